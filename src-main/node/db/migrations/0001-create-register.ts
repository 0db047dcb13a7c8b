import type { Migration } from './migration';

// The register and everything later features hang on it: snapshots of API data, attestations,
// documents, the call journal and refresh runs. Later migrations add, they do not rewrite.
export const createRegister: Migration = {
  version: 1,
  name: 'create-register',
  up(db) {
    db.exec(`
      CREATE TABLE suppliers (
        id INTEGER PRIMARY KEY,
        siren TEXT NOT NULL CHECK (length(siren) = 9),
        siret TEXT CHECK (siret IS NULL OR (length(siret) = 14 AND substr(siret, 1, 9) = siren)),
        name TEXT NOT NULL DEFAULT '',
        -- lower-case, accent-free copy of name: SQLite's NOCASE would sort "École" after "Zinc"
        sort_name TEXT NOT NULL DEFAULT '',
        accounting_code TEXT,
        address TEXT,
        postal_code TEXT,
        city TEXT,
        notes TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX suppliers_siret ON suppliers (siret) WHERE siret IS NOT NULL;
      -- a supplier known by its SIREN only is unique among those without a SIRET
      CREATE UNIQUE INDEX suppliers_siren_only ON suppliers (siren) WHERE siret IS NULL;
      CREATE INDEX suppliers_siren ON suppliers (siren);
      CREATE INDEX suppliers_sort_name ON suppliers (sort_name, id);
      CREATE INDEX suppliers_city ON suppliers (city COLLATE NOCASE, id);
      CREATE INDEX suppliers_accounting_code ON suppliers (accounting_code COLLATE NOCASE, id);
      CREATE INDEX suppliers_updated_at ON suppliers (updated_at, id);

      CREATE TABLE supplier_tags (
        supplier_id INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (supplier_id, tag)
      ) WITHOUT ROWID;
      CREATE INDEX supplier_tags_tag ON supplier_tags (tag, supplier_id);

      -- accent-insensitive prefix search over what an agent types
      CREATE VIRTUAL TABLE suppliers_fts USING fts5 (
        name, siren, siret, city, accounting_code,
        content = 'suppliers', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
      );
      CREATE TRIGGER suppliers_fts_insert AFTER INSERT ON suppliers BEGIN
        INSERT INTO suppliers_fts (rowid, name, siren, siret, city, accounting_code)
        VALUES (new.id, new.name, new.siren, new.siret, new.city, new.accounting_code);
      END;
      CREATE TRIGGER suppliers_fts_delete AFTER DELETE ON suppliers BEGIN
        INSERT INTO suppliers_fts (suppliers_fts, rowid, name, siren, siret, city, accounting_code)
        VALUES ('delete', old.id, old.name, old.siren, old.siret, old.city, old.accounting_code);
      END;
      CREATE TRIGGER suppliers_fts_update AFTER UPDATE OF name, siren, siret, city, accounting_code ON suppliers BEGIN
        INSERT INTO suppliers_fts (suppliers_fts, rowid, name, siren, siret, city, accounting_code)
        VALUES ('delete', old.id, old.name, old.siren, old.siret, old.city, old.accounting_code);
        INSERT INTO suppliers_fts (rowid, name, siren, siret, city, accounting_code)
        VALUES (new.id, new.name, new.siren, new.siret, new.city, new.accounting_code);
      END;

      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        media_type TEXT NOT NULL,
        stored_path TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE company_snapshots (
        id INTEGER PRIMARY KEY,
        siren TEXT NOT NULL CHECK (length(siren) = 9),
        endpoint TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        name TEXT,
        legal_form TEXT,
        activity_code TEXT,
        administrative_status TEXT,
        ceased_on TEXT,
        diffusion_status TEXT,
        raw_json TEXT NOT NULL
      );
      CREATE INDEX company_snapshots_siren ON company_snapshots (siren, fetched_at);

      CREATE TABLE establishment_snapshots (
        id INTEGER PRIMARY KEY,
        siret TEXT NOT NULL CHECK (length(siret) = 14),
        siren TEXT NOT NULL CHECK (length(siren) = 9),
        endpoint TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        is_headquarters INTEGER CHECK (is_headquarters IN (0, 1)),
        name TEXT,
        address TEXT,
        postal_code TEXT,
        city TEXT,
        administrative_status TEXT,
        closed_on TEXT,
        diffusion_status TEXT,
        raw_json TEXT NOT NULL
      );
      CREATE INDEX establishment_snapshots_siret ON establishment_snapshots (siret, fetched_at);
      CREATE INDEX establishment_snapshots_siren ON establishment_snapshots (siren, fetched_at);

      CREATE TABLE attestations (
        id INTEGER PRIMARY KEY,
        siren TEXT NOT NULL CHECK (length(siren) = 9),
        siret TEXT CHECK (siret IS NULL OR length(siret) = 14),
        kind TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        status TEXT NOT NULL,
        valid_from TEXT,
        valid_until TEXT,
        issued_on TEXT,
        period_analyzed TEXT,
        security_code TEXT,
        document_id INTEGER REFERENCES documents (id) ON DELETE RESTRICT,
        fetched_at TEXT NOT NULL,
        raw_json TEXT NOT NULL
      );
      CREATE INDEX attestations_siren_kind ON attestations (siren, kind, fetched_at);
      CREATE INDEX attestations_valid_until ON attestations (kind, valid_until);

      CREATE TABLE refresh_runs (
        id INTEGER PRIMARY KEY,
        trigger TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        report_json TEXT
      );

      CREATE TABLE refresh_jobs (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES refresh_runs (id) ON DELETE CASCADE,
        supplier_id INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
        endpoint TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        finished_at TEXT,
        UNIQUE (run_id, supplier_id, endpoint)
      );
      CREATE INDEX refresh_jobs_state ON refresh_jobs (run_id, state, next_attempt_at);

      CREATE TABLE call_journal (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        supplier_id INTEGER REFERENCES suppliers (id) ON DELETE SET NULL,
        identifier TEXT,
        recipient TEXT NOT NULL,
        context TEXT NOT NULL,
        object TEXT NOT NULL,
        http_status INTEGER,
        outcome TEXT NOT NULL,
        error_code TEXT,
        duration_ms INTEGER,
        run_id INTEGER REFERENCES refresh_runs (id) ON DELETE SET NULL
      );
      CREATE INDEX call_journal_at ON call_journal (at);
      CREATE INDEX call_journal_supplier ON call_journal (supplier_id, at);
    `);
  },
};
