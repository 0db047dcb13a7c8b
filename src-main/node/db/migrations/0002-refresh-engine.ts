import type { Migration } from './migration';

// What the refresh engine needs on top of the register (src-main/node/refresh):
// - refresh_runs: a deadline (end of the night window), an updated time, the error that stopped a
//   run (French, for the UI) and the number of jobs planned.
// - refresh_jobs: the identifier actually called (SIREN-level endpoints are called once per SIREN,
//   however many suppliers share it), its rate-limit pool, its rank in the plan, why and by when it
//   is due, when the plan expected it, and a claim token: every state change of a running job is
//   guarded by it, so a stale executor can never commit a job that another one has taken over.
// - the snapshots and attestations say which job wrote them: "done exactly once" can be checked
//   row by row, and an agent can see where a piece of data came from.
// - refresh_status: per (endpoint, identifier), the last final answer, the last success and the last
//   failure with its French message: what "données au JJ/MM/AAAA" and the planner read.
// - refresh_changes: what a run found changed (company ceased, address changed, URSSAF refusal...),
//   written in the same transaction as the data that revealed it.
// ALTER TABLE ADD COLUMN only appends: 0001 stays as released.
export const refreshEngine: Migration = {
  version: 2,
  name: 'refresh-engine',
  up(db) {
    db.exec(`
      ALTER TABLE refresh_runs ADD COLUMN updated_at TEXT;
      ALTER TABLE refresh_runs ADD COLUMN deadline_at TEXT;
      ALTER TABLE refresh_runs ADD COLUMN total_jobs INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE refresh_runs ADD COLUMN error_kind TEXT;
      ALTER TABLE refresh_runs ADD COLUMN error_message TEXT;
      CREATE INDEX refresh_runs_state ON refresh_runs (state, id);

      ALTER TABLE refresh_jobs ADD COLUMN identifier TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN pool TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE refresh_jobs ADD COLUMN reason TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN due_by TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN planned_at TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN claimed_at TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN claim_token TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN outcome TEXT;
      ALTER TABLE refresh_jobs ADD COLUMN error_kind TEXT;
      -- the executor's claim: the next pending job of a pool, by rank
      CREATE INDEX refresh_jobs_claim ON refresh_jobs (run_id, pool, state, priority, id);

      -- a move of the head office is a new establishment: the change detector compares this
      ALTER TABLE company_snapshots ADD COLUMN head_office_siret TEXT;
      ALTER TABLE company_snapshots ADD COLUMN refresh_job_id INTEGER REFERENCES refresh_jobs (id) ON DELETE SET NULL;
      ALTER TABLE establishment_snapshots ADD COLUMN refresh_job_id INTEGER REFERENCES refresh_jobs (id) ON DELETE SET NULL;
      ALTER TABLE attestations ADD COLUMN refresh_job_id INTEGER REFERENCES refresh_jobs (id) ON DELETE SET NULL;
      CREATE INDEX company_snapshots_job ON company_snapshots (refresh_job_id) WHERE refresh_job_id IS NOT NULL;
      CREATE INDEX establishment_snapshots_job ON establishment_snapshots (refresh_job_id) WHERE refresh_job_id IS NOT NULL;
      CREATE INDEX attestations_job ON attestations (refresh_job_id) WHERE refresh_job_id IS NOT NULL;
      -- the latest attestation per endpoint and identifier, for the planner
      CREATE INDEX attestations_endpoint ON attestations (endpoint, siren, siret, id);

      CREATE TABLE refresh_status (
        endpoint TEXT NOT NULL,
        identifier TEXT NOT NULL,
        -- last final answer: data, or "non trouvé" / "non habilité" / protected (none says anything of compliance)
        last_checked_at TEXT,
        last_success_at TEXT,
        last_outcome TEXT,
        -- French, for an outcome other than data
        last_message TEXT,
        -- last failure (provider outage, timeout...): the data shown stays the last good one
        last_error_kind TEXT,
        last_error_message TEXT,
        last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (endpoint, identifier)
      ) WITHOUT ROWID;
      CREATE INDEX refresh_status_identifier ON refresh_status (identifier, endpoint);

      CREATE TABLE refresh_changes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES refresh_runs (id) ON DELETE CASCADE,
        job_id INTEGER REFERENCES refresh_jobs (id) ON DELETE SET NULL,
        supplier_id INTEGER REFERENCES suppliers (id) ON DELETE SET NULL,
        siren TEXT NOT NULL CHECK (length(siren) = 9),
        siret TEXT CHECK (siret IS NULL OR length(siret) = 14),
        kind TEXT NOT NULL,
        description TEXT NOT NULL,
        before_value TEXT,
        after_value TEXT,
        detected_at TEXT NOT NULL
      );
      CREATE INDEX refresh_changes_run ON refresh_changes (run_id, id);
      CREATE INDEX refresh_changes_siren ON refresh_changes (siren, detected_at);
    `);
  },
};
