// Persistence of refresh runs and their jobs, and the jobs' state machine:
//
//   pending --claim--> running --commit--> done      (data, or a final "non trouvé"/"non habilité")
//                         |      --------> failed    (attempts exhausted, or an error no retry cures)
//                         |      --------> pending   (retry later: next_attempt_at; or released on a token refusal)
//                         |      --------> skipped   (cancelled, past the night's deadline, scope missing)
//   pending ------------------------------> skipped | failed (cancel, deadline, a pool given up)
//
// Exactly once: a claim is one UPDATE ... RETURNING that moves a single pending job to running with
// a fresh claim token, so two workers never get the same job. Every later change of a running job
// is guarded by `state = 'running' AND claim_token = ?` and runs in the same transaction as the
// job's data and journal lines: either the data is committed with the job marked done, or neither
// is. After a crash, jobs left running go back to pending (their data was not committed, since it
// would have been committed together with their state), and a stale executor that wakes up later
// cannot commit: its claim token no longer matches.
import { randomBytes } from 'node:crypto';
import type { EndpointId, RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import type { DueReason } from './freshness-policy';
import { epochOf, isoOf } from './french-format';
import type { ScheduledItem } from './refresh-planner';

export type RunState = 'running' | 'paused' | 'stopped_token' | 'interrupted' | 'completed' | 'cancelled';
export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** A run in one of these states is over; any other can be resumed. */
export const FINISHED_RUN_STATES: ReadonlySet<RunState> = new Set<RunState>(['completed', 'cancelled']);
export const JOB_STATES: readonly JobState[] = ['pending', 'running', 'done', 'failed', 'skipped'];

export interface RunRecord {
  id: number;
  trigger: string;
  state: RunState;
  startedAt: number;
  finishedAt: number | null;
  deadlineAt: number | null;
  updatedAt: number | null;
  totalJobs: number;
  errorKind: string | null;
  errorMessage: string | null;
  reportJson: string | null;
}

export interface JobRecord {
  id: number;
  runId: number;
  supplierId: number;
  endpoint: EndpointId;
  identifier: string;
  pool: RateLimitPoolId;
  state: JobState;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  priority: number;
  reason: DueReason | null;
  dueBy: number | null;
  plannedAt: number | null;
  claimedAt: number | null;
  claimToken: string | null;
  outcome: string | null;
  errorKind: string | null;
  finishedAt: number | null;
}

interface RunRow {
  id: number;
  trigger: string;
  state: string;
  started_at: string;
  finished_at: string | null;
  deadline_at: string | null;
  updated_at: string | null;
  total_jobs: number;
  error_kind: string | null;
  error_message: string | null;
  report_json: string | null;
}

interface JobRow {
  id: number;
  run_id: number;
  supplier_id: number;
  endpoint: string;
  identifier: string;
  pool: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  priority: number;
  reason: string | null;
  due_by: string | null;
  planned_at: string | null;
  claimed_at: string | null;
  claim_token: string | null;
  outcome: string | null;
  error_kind: string | null;
  finished_at: string | null;
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    trigger: row.trigger,
    state: row.state as RunState,
    startedAt: epochOf(row.started_at) ?? 0,
    finishedAt: epochOf(row.finished_at),
    deadlineAt: epochOf(row.deadline_at),
    updatedAt: epochOf(row.updated_at),
    totalJobs: row.total_jobs,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    reportJson: row.report_json,
  };
}

export function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    runId: row.run_id,
    supplierId: row.supplier_id,
    endpoint: row.endpoint as EndpointId,
    identifier: row.identifier,
    pool: row.pool as RateLimitPoolId,
    state: row.state as JobState,
    attempts: row.attempts,
    nextAttemptAt: epochOf(row.next_attempt_at),
    lastError: row.last_error,
    priority: row.priority,
    reason: row.reason as DueReason | null,
    dueBy: epochOf(row.due_by),
    plannedAt: epochOf(row.planned_at),
    claimedAt: epochOf(row.claimed_at),
    claimToken: row.claim_token,
    outcome: row.outcome,
    errorKind: row.error_kind,
    finishedAt: epochOf(row.finished_at),
  };
}

/** How a running job ends (or goes back to pending). */
export interface JobSettlement {
  state: Exclude<JobState, 'running'>;
  outcome?: string | null;
  errorKind?: string | null;
  /** French. */
  lastError?: string | null;
  nextAttemptAt?: number | null;
  /** A released job gives its attempt back (a refused token is not the job's failure). */
  attemptsDelta?: number;
}

export interface JobCounts {
  total: number;
  byState: Record<JobState, number>;
  perPool: Partial<Record<RateLimitPoolId, Record<JobState, number>>>;
}

function emptyStates(): Record<JobState, number> {
  return { pending: 0, running: 0, done: 0, failed: 0, skipped: 0 };
}

export class RefreshStore {
  private readonly insertRun;
  private readonly insertJob;
  private readonly selectRun;
  private readonly claimStmt;
  private readonly nextPendingStmt;
  private readonly settleStmt;

  constructor(readonly db: VigieDatabase) {
    this.insertRun = db.prepare(
      `INSERT INTO refresh_runs (trigger, state, started_at, updated_at, deadline_at, total_jobs) VALUES (?, 'running', ?, ?, ?, ?)`,
    );
    this.insertJob = db.prepare(
      `INSERT INTO refresh_jobs (run_id, supplier_id, endpoint, identifier, pool, state, priority, reason, due_by, planned_at)
       VALUES (@runId, @supplierId, @endpoint, @identifier, @pool, 'pending', @priority, @reason, @dueBy, @plannedAt)`,
    );
    this.selectRun = db.prepare<[number], RunRow>('SELECT * FROM refresh_runs WHERE id = ?');
    this.claimStmt = db.prepare<{ runId: number; pool: string; now: string; token: string }, JobRow>(
      `UPDATE refresh_jobs SET state = 'running', attempts = attempts + 1, claimed_at = @now, claim_token = @token
       WHERE id = (
         SELECT id FROM refresh_jobs
         WHERE run_id = @runId AND pool = @pool AND state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
         ORDER BY priority, id LIMIT 1)
       RETURNING *`,
    );
    // NULL sorts first: a job ready at once wins over one waiting for its retry time
    this.nextPendingStmt = db.prepare<[number, string], { next_attempt_at: string | null }>(
      `SELECT next_attempt_at FROM refresh_jobs WHERE run_id = ? AND pool = ? AND state = 'pending' ORDER BY next_attempt_at LIMIT 1`,
    );
    this.settleStmt = db.prepare(
      `UPDATE refresh_jobs SET state = @state, outcome = @outcome, error_kind = @errorKind, last_error = @lastError,
         next_attempt_at = @nextAttemptAt, attempts = attempts + @attemptsDelta, finished_at = @finishedAt,
         claim_token = CASE WHEN @state = 'pending' THEN NULL ELSE claim_token END
       WHERE id = @id AND state = 'running' AND claim_token = @token`,
    );
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A run and its jobs, in one transaction: a crash leaves all of it or none. */
  createRun(trigger: string, items: readonly ScheduledItem[], startedAt: number, deadlineAt: number): number {
    return this.transaction(() => {
      const runId = Number(this.insertRun.run(trigger, isoOf(startedAt), isoOf(startedAt), isoOf(deadlineAt), items.length).lastInsertRowid);
      items.forEach((item, priority) => {
        this.insertJob.run({
          runId,
          supplierId: item.supplierId,
          endpoint: item.endpoint,
          identifier: item.identifier,
          pool: item.pool,
          priority,
          reason: item.reason,
          dueBy: isoOf(item.deadline),
          plannedAt: isoOf(item.plannedAt),
        });
      });
      return runId;
    });
  }

  getRun(runId: number): RunRecord | null {
    const row = this.selectRun.get(runId);
    return row ? toRun(row) : null;
  }

  /** The most recent run not over yet (running, paused, interrupted, stopped on a refused token). */
  unfinishedRun(): RunRecord | null {
    const row = this.db
      .prepare<[], RunRow>(`SELECT * FROM refresh_runs WHERE state NOT IN ('completed', 'cancelled') ORDER BY id DESC LIMIT 1`)
      .get();
    return row ? toRun(row) : null;
  }

  latestFinishedRun(before?: number): RunRecord | null {
    const row = this.db
      .prepare<[number], RunRow>(`SELECT * FROM refresh_runs WHERE state IN ('completed', 'cancelled') AND id < ? ORDER BY id DESC LIMIT 1`)
      .get(before ?? Number.MAX_SAFE_INTEGER);
    return row ? toRun(row) : null;
  }

  setRunState(runId: number, state: RunState, at: number, error: { kind: string; message: string } | null = null): void {
    this.db
      .prepare('UPDATE refresh_runs SET state = ?, updated_at = ?, error_kind = ?, error_message = ? WHERE id = ?')
      .run(state, isoOf(at), error?.kind ?? null, error?.message ?? null, runId);
  }

  setDeadline(runId: number, deadlineAt: number): void {
    this.db.prepare('UPDATE refresh_runs SET deadline_at = ? WHERE id = ?').run(isoOf(deadlineAt), runId);
  }

  finishRun(runId: number, state: RunState, at: number, reportJson: string): void {
    this.db
      .prepare('UPDATE refresh_runs SET state = ?, finished_at = ?, updated_at = ?, report_json = ? WHERE id = ?')
      .run(state, isoOf(at), isoOf(at), reportJson, runId);
  }

  /**
   * After a crash or a kill: jobs left running were not committed (their data would have been
   * committed with their state). They go back to pending; their attempt count stays, since their
   * call may have gone out.
   */
  recoverRunning(runId: number): number {
    return this.db
      .prepare(`UPDATE refresh_jobs SET state = 'pending', claim_token = NULL, next_attempt_at = NULL WHERE run_id = ? AND state = 'running'`)
      .run(runId).changes;
  }

  /** Takes the next ready job of a pool, atomically; null when none is ready. */
  claim(runId: number, pool: RateLimitPoolId, now: number): JobRecord | null {
    const token = randomBytes(8).toString('hex');
    const row = this.claimStmt.get({ runId, pool, now: isoOf(now), token });
    return row ? toJob(row) : null;
  }

  /** When the next pending job of a pool is ready (now or later); null when the pool has none pending. */
  nextPendingAt(runId: number, pool: RateLimitPoolId, now: number): number | null {
    const row = this.nextPendingStmt.get(runId, pool);
    if (!row) return null;
    return row.next_attempt_at === null ? now : (epochOf(row.next_attempt_at) ?? now);
  }

  /**
   * Settles a running job, and runs `write` (its data, journal lines, statuses) in the same
   * transaction. Returns false, writing nothing, when the job is no longer this claim's.
   */
  settle(job: JobRecord, settlement: JobSettlement, now: number, write?: () => void): boolean {
    return this.transaction(() => {
      const changed = this.settleStmt.run({
        id: job.id,
        token: job.claimToken,
        state: settlement.state,
        outcome: settlement.outcome ?? null,
        errorKind: settlement.errorKind ?? null,
        lastError: settlement.lastError ?? null,
        nextAttemptAt: settlement.nextAttemptAt === undefined || settlement.nextAttemptAt === null ? null : isoOf(settlement.nextAttemptAt),
        attemptsDelta: settlement.attemptsDelta ?? 0,
        finishedAt: settlement.state === 'pending' ? null : isoOf(now),
      }).changes;
      if (changed !== 1) return false;
      write?.();
      return true;
    });
  }

  /**
   * Ends every pending job of a run (or of one pool / endpoint) with `state`, calling `each` for
   * each in the same transaction (to record their status). Returns the jobs settled.
   */
  settlePending(
    runId: number,
    filter: { pool?: RateLimitPoolId; endpoint?: EndpointId },
    settlement: { state: 'skipped' | 'failed'; outcome: string; errorKind?: string | null; lastError: string | null },
    now: number,
    each?: (job: JobRecord) => void,
  ): JobRecord[] {
    return this.transaction(() => {
      const conditions = ['run_id = @runId', "state = 'pending'"];
      if (filter.pool) conditions.push('pool = @pool');
      if (filter.endpoint) conditions.push('endpoint = @endpoint');
      const params = { runId, pool: filter.pool ?? null, endpoint: filter.endpoint ?? null };
      const jobs = this.db.prepare<typeof params, JobRow>(`SELECT * FROM refresh_jobs WHERE ${conditions.join(' AND ')}`).all(params).map(toJob);
      this.db
        .prepare(
          `UPDATE refresh_jobs SET state = @state, outcome = @outcome, error_kind = @errorKind, last_error = @lastError, finished_at = @at
           WHERE ${conditions.join(' AND ')}`,
        )
        .run({ ...params, state: settlement.state, outcome: settlement.outcome, errorKind: settlement.errorKind ?? null, lastError: settlement.lastError, at: isoOf(now) });
      if (each) for (const job of jobs) each(job);
      return jobs;
    });
  }

  counts(runId: number): JobCounts {
    const rows = this.db
      .prepare<[number], { pool: string; state: string; n: number }>('SELECT pool, state, count(*) AS n FROM refresh_jobs WHERE run_id = ? GROUP BY pool, state')
      .all(runId);
    const counts: JobCounts = { total: 0, byState: emptyStates(), perPool: {} };
    for (const row of rows) {
      const state = row.state as JobState;
      const pool = row.pool as RateLimitPoolId;
      counts.total += row.n;
      counts.byState[state] += row.n;
      const perPool = counts.perPool[pool] ?? emptyStates();
      perPool[state] += row.n;
      counts.perPool[pool] = perPool;
    }
    return counts;
  }

  jobs(runId: number): JobRecord[] {
    return this.db.prepare<[number], JobRow>('SELECT * FROM refresh_jobs WHERE run_id = ? ORDER BY priority, id').all(runId).map(toJob);
  }
}
