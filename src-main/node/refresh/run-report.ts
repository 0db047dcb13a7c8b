// The report of a run: counts, duration, per-pool use of the rate limits, what changed, what failed,
// and one French line for the notification. Built from the database (jobs, call journal, changes),
// so a run resumed after a crash reports everything it did, before and after the crash.
import { ENDPOINTS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import { CHANGE_KINDS, CHANGE_LABELS, type ChangeKind } from './change-detector';
import { counted, epochOf, frenchNumber } from './french-format';
import { POOL_IDS, type RateLimits } from './refresh-planner';
import type { RunState } from './refresh-store';

export interface ReportedChange {
  kind: ChangeKind;
  supplierId: number | null;
  supplierName: string | null;
  siren: string;
  siret: string | null;
  /** French. */
  description: string;
  detectedAt: string;
}

export interface ReportedError {
  supplierId: number;
  supplierName: string | null;
  endpoint: EndpointId;
  endpointLabel: string;
  identifier: string;
  kind: string | null;
  /** French. */
  message: string;
}

export interface PoolReport {
  jobs: number;
  done: number;
  failed: number;
  skipped: number;
  /** HTTP calls made (retries included), from the call journal. */
  calls: number;
  limit: number;
  windowMs: number;
  /** From the first to the last call of the pool. */
  activeMs: number;
  /** Calls / what the limit allowed over the windows the pool was active: 1 = used to the full. */
  utilisation: number;
}

export interface RunReport {
  runId: number;
  trigger: string;
  state: RunState;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  counts: { total: number; done: number; failed: number; skipped: number; pending: number; notFound: number; notAuthorized: number; protected: number };
  perPool: Partial<Record<RateLimitPoolId, PoolReport>>;
  changes: ReportedChange[];
  changeCounts: Partial<Record<ChangeKind, number>>;
  /** The first failures (up to 200); `errorCount` has them all. */
  errors: ReportedError[];
  errorCount: number;
  /** French, one line: the notification's text. */
  summary: string;
  /** French, set when the run stopped on an error (a refused token). */
  stopReason: string | null;
}

const MAX_ERRORS = 200;

export function buildRunReport(db: VigieDatabase, runId: number, limits: RateLimits, now: number): RunReport | null {
  const run = db
    .prepare<[number], { id: number; trigger: string; state: string; started_at: string; finished_at: string | null; error_message: string | null }>(
      'SELECT id, trigger, state, started_at, finished_at, error_message FROM refresh_runs WHERE id = ?',
    )
    .get(runId);
  if (!run) return null;

  const counts = { total: 0, done: 0, failed: 0, skipped: 0, pending: 0, notFound: 0, notAuthorized: 0, protected: 0 };
  const perPool: Partial<Record<RateLimitPoolId, PoolReport>> = {};
  const jobRows = db
    .prepare<[number], { pool: RateLimitPoolId; state: string; outcome: string | null; n: number }>(
      'SELECT pool, state, outcome, count(*) AS n FROM refresh_jobs WHERE run_id = ? GROUP BY pool, state, outcome',
    )
    .all(runId);
  const poolEntry = (pool: RateLimitPoolId): PoolReport => {
    let entry = perPool[pool];
    if (!entry) {
      const spec = limits.pools[pool];
      entry = { jobs: 0, done: 0, failed: 0, skipped: 0, calls: 0, limit: spec.limit, windowMs: spec.windowMs, activeMs: 0, utilisation: 0 };
      perPool[pool] = entry;
    }
    return entry;
  };
  for (const row of jobRows) {
    const entry = poolEntry(row.pool);
    entry.jobs += row.n;
    counts.total += row.n;
    if (row.state === 'done') {
      entry.done += row.n;
      counts.done += row.n;
      if (row.outcome === 'not_found') counts.notFound += row.n;
      if (row.outcome === 'not_authorized') counts.notAuthorized += row.n;
      if (row.outcome === 'legally_unavailable') counts.protected += row.n;
    } else if (row.state === 'failed') {
      entry.failed += row.n;
      counts.failed += row.n;
    } else if (row.state === 'skipped') {
      entry.skipped += row.n;
      counts.skipped += row.n;
    } else {
      counts.pending += row.n;
    }
  }

  const calls = db
    .prepare<[number], { endpoint: EndpointId; calls: number; first_at: string; last_at: string }>(
      'SELECT endpoint, count(*) AS calls, min(at) AS first_at, max(at) AS last_at FROM call_journal WHERE run_id = ? GROUP BY endpoint',
    )
    .all(runId);
  const spans: Partial<Record<RateLimitPoolId, { first: number; last: number }>> = {};
  for (const row of calls) {
    const pool = ENDPOINTS[row.endpoint]?.pool;
    if (!pool) continue;
    const entry = poolEntry(pool);
    entry.calls += row.calls;
    const first = epochOf(row.first_at) ?? 0;
    const last = epochOf(row.last_at) ?? 0;
    const span = spans[pool];
    spans[pool] = span ? { first: Math.min(span.first, first), last: Math.max(span.last, last) } : { first, last };
  }
  for (const pool of POOL_IDS) {
    const entry = perPool[pool];
    const span = spans[pool];
    if (!entry || !span) continue;
    entry.activeMs = span.last - span.first;
    // the windows the calls fell in: a fixed window admits its whole limit at once
    const windows = Math.floor(entry.activeMs / entry.windowMs) + 1;
    entry.utilisation = Math.min(1, entry.calls / (entry.limit * windows));
  }

  const changes = db
    .prepare<[number], { kind: ChangeKind; supplier_id: number | null; name: string | null; siren: string; siret: string | null; description: string; detected_at: string }>(
      `SELECT c.kind, c.supplier_id, s.name, c.siren, c.siret, c.description, c.detected_at
       FROM refresh_changes c LEFT JOIN suppliers s ON s.id = c.supplier_id WHERE c.run_id = ? ORDER BY c.id`,
    )
    .all(runId)
    .map(
      (row): ReportedChange => ({
        kind: row.kind,
        supplierId: row.supplier_id,
        supplierName: row.name,
        siren: row.siren,
        siret: row.siret,
        description: row.description,
        detectedAt: row.detected_at,
      }),
    );
  const changeCounts: Partial<Record<ChangeKind, number>> = {};
  for (const change of changes) changeCounts[change.kind] = (changeCounts[change.kind] ?? 0) + 1;

  const errors = db
    .prepare<[number, number], { supplier_id: number; name: string | null; endpoint: EndpointId; identifier: string; error_kind: string | null; last_error: string | null }>(
      `SELECT j.supplier_id, s.name, j.endpoint, j.identifier, j.error_kind, j.last_error
       FROM refresh_jobs j LEFT JOIN suppliers s ON s.id = j.supplier_id
       WHERE j.run_id = ? AND j.state = 'failed' ORDER BY j.priority, j.id LIMIT ?`,
    )
    .all(runId, MAX_ERRORS)
    .map(
      (row): ReportedError => ({
        supplierId: row.supplier_id,
        supplierName: row.name,
        endpoint: row.endpoint,
        endpointLabel: ENDPOINTS[row.endpoint]?.label ?? row.endpoint,
        identifier: row.identifier,
        kind: row.error_kind,
        message: row.last_error ?? 'Erreur inconnue : les données précédentes sont conservées.',
      }),
    );

  const startedAt = epochOf(run.started_at) ?? now;
  const finishedAt = epochOf(run.finished_at);
  const report: RunReport = {
    runId,
    trigger: run.trigger,
    state: run.state as RunState,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    durationMs: (finishedAt ?? now) - startedAt,
    counts,
    perPool,
    changes,
    changeCounts,
    errors,
    errorCount: counts.failed,
    summary: '',
    stopReason: run.error_message,
  };
  report.summary = summarizeRun(report);
  return report;
}

function changesPart(report: RunReport): string {
  const total = report.changes.length;
  if (total === 0) return 'aucun changement';
  const parts = CHANGE_KINDS.flatMap((kind) => {
    const n = report.changeCounts[kind] ?? 0;
    const [one, many] = CHANGE_LABELS[kind];
    return n > 0 ? [counted(n, one, many)] : [];
  });
  return `${counted(total, 'changement', 'changements')} (${parts.join(', ')})`;
}

/** One line of French for the notification. */
export function summarizeRun(report: RunReport): string {
  const { counts } = report;
  const checks = counted(counts.done, 'vérification', 'vérifications');
  const errors = counts.failed > 0 ? `, ${counted(counts.failed, 'erreur', 'erreurs')} (données précédentes conservées)` : '';
  switch (report.state) {
    case 'completed': {
      if (counts.total === 0) return 'Registre à jour : aucune vérification n’était nécessaire.';
      const later = counts.skipped > 0 ? `, ${counted(counts.skipped, 'vérification reportée', 'vérifications reportées')}` : '';
      return `Registre mis à jour : ${checks}, ${changesPart(report)}${errors}${later}.`;
    }
    case 'cancelled':
      return `Mise à jour du registre annulée : ${frenchNumber(counts.done)} vérifications sur ${frenchNumber(counts.total)}, ${changesPart(report)}${errors}.`;
    case 'stopped_token':
      return `Mise à jour du registre interrompue : ${report.stopReason ?? 'le jeton API Entreprise a été refusé.'}`;
    case 'paused':
      return `Mise à jour du registre en pause : ${frenchNumber(counts.done)} vérifications sur ${frenchNumber(counts.total)}.`;
    default:
      return `Mise à jour du registre en cours : ${frenchNumber(counts.done)} vérifications sur ${frenchNumber(counts.total)}.`;
  }
}
