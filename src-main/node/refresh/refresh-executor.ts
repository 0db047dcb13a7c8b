// Runs one refresh run: per rate-limit pool, a few workers claim jobs from the store and call the
// API through the shared client, whose limiter paces every pool at its own limit; the pools run
// concurrently. Each job ends in one transaction with its data, its journal lines and its state.
//
// Failures, as BRIEF §3 asks:
// - a provider outage (502/503/504, timeouts) backs off that pool only: after `threshold`
//   consecutive failures the pool is blocked in the limiter with exponential back-off and jitter,
//   then one probe at a time tests it ("half-open"), while the other pools keep going; after
//   `giveUpAfter` failures in a row the pool's remaining jobs fail for this run, keeping the last
//   good data;
// - a refused token (401) stops every worker at once and aborts the calls waiting for a permit; the
//   client's latch already refuses to send anything more; the run waits in state 'stopped_token';
// - "non trouvé", "non habilité", protected are answers, not failures: the job is done, nothing is
//   overwritten, and a missing scope skips the endpoint's other jobs;
// - anything else unexpected (a database error) stops the run as 'interrupted', to be resumed.
import { setMaxListeners } from 'node:events';
import type { ApiCallResult, CallOptions } from '../api-entreprise/api-client';
import { ApiEntrepriseError, type ApiErrorKind } from '../api-entreprise/api-error';
import type { EndpointId, RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { PoolSnapshot } from '../api-entreprise/rate-limiter';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AttemptJournal } from './attempt-journal';
import { lapsedAttestations } from './change-detector';
import { parisDay } from './french-format';
import { durationAtLimit, POOL_IDS, type RateLimits } from './refresh-planner';
import type { JobRecord, RefreshStore, RunRecord, RunState } from './refresh-store';
import type { FinalOutcome, RegisterWriter } from './register-writer';
import { buildRunReport, type RunReport } from './run-report';

/** What the executor needs of ApiEntrepriseClient: tests may pass a scripted one. */
export interface RefreshApiClient {
  call(endpoint: EndpointId, identifier: string | null, options?: CallOptions): Promise<ApiCallResult>;
  readonly tokenRefusal: ApiEntrepriseError | null;
}

/** What it needs of RateLimiter: block a pool during an outage, read its state for progress. */
export interface PoolLimiter {
  blockPool(pool: RateLimitPoolId, untilMs: number): void;
  snapshot(pool: RateLimitPoolId): PoolSnapshot;
}

export interface OutageTuning {
  /** Consecutive failures of a pool before it is blocked (one bad identifier does not stop a pool). */
  threshold: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Consecutive failures after which the pool's remaining jobs fail for this run. */
  giveUpAfter: number;
}

export interface ExecutorTuning {
  /** Jobs in flight per pool. A small number for the slow pools keeps a pause quick: a claimed job waits for its permit. */
  concurrency: Record<RateLimitPoolId, number>;
  outage: OutageTuning;
  /** Wait before retrying one job after a transient failure that is not a pool outage (409, truncated document). */
  retryDelayMs: number;
  progressIntervalMs: number;
  /** Errors kept in the progress events. */
  recentErrors: number;
}

export const DEFAULT_TUNING: ExecutorTuning = {
  concurrency: { json: 8, urssaf: 6, documents: 4, dgfip: 2, cibtp: 2, inpi_rne: 3 },
  outage: { threshold: 2, baseBackoffMs: 30_000, maxBackoffMs: 15 * 60_000, giveUpAfter: 8 },
  retryDelayMs: 15_000,
  progressIntervalMs: 500,
  recentErrors: 10,
};

export interface ExecutorTuningInput {
  concurrency?: Partial<Record<RateLimitPoolId, number>>;
  outage?: Partial<OutageTuning>;
  retryDelayMs?: number;
  progressIntervalMs?: number;
  recentErrors?: number;
}

export function resolveTuning(input: ExecutorTuningInput = {}): ExecutorTuning {
  return {
    concurrency: { ...DEFAULT_TUNING.concurrency, ...input.concurrency },
    outage: { ...DEFAULT_TUNING.outage, ...input.outage },
    retryDelayMs: input.retryDelayMs ?? DEFAULT_TUNING.retryDelayMs,
    progressIntervalMs: input.progressIntervalMs ?? DEFAULT_TUNING.progressIntervalMs,
    recentErrors: input.recentErrors ?? DEFAULT_TUNING.recentErrors,
  };
}

/** Test and instrumentation points; a hook that throws stops the run as a crash would. */
export interface ExecutorHooks {
  afterClaim?(job: JobRecord): void | Promise<void>;
  /** The call answered; its data is not committed yet. */
  afterCall?(job: JobRecord): void | Promise<void>;
  afterCommit?(job: JobRecord): void | Promise<void>;
}

export interface PoolProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Jobs finished over the last minute. */
  ratePerMinute: number;
  /** Set while the pool is backed off after an outage (epoch ms). */
  blockedUntil: number | null;
}

export interface ProgressError {
  supplierId: number;
  endpoint: EndpointId;
  identifier: string;
  /** French. */
  message: string;
  at: number;
}

export interface RefreshProgress {
  runId: number;
  state: RunState;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  running: number;
  perPool: Partial<Record<RateLimitPoolId, PoolProgress>>;
  /** Remaining time at the pools' limits (blocked pools included); null once finished. */
  etaMs: number | null;
  elapsedMs: number;
  errors: ProgressError[];
  at: number;
}

export interface ExecutionEnd {
  runId: number;
  state: RunState | 'disposed';
  report: RunReport | null;
  /** French, when the run stopped on an error. */
  error: string | null;
}

export interface ExecutorDeps {
  store: RefreshStore;
  writer: RegisterWriter;
  attempts: AttemptJournal;
  client: RefreshApiClient;
  limiter: PoolLimiter;
  clock: Clock;
  logger: Logger;
  limits: RateLimits;
  tuning: ExecutorTuning;
  hooks: ExecutorHooks;
  random: () => number;
  maxAttemptsPerJob: number;
  callObject: string;
  bypassCache: boolean;
  emit(progress: RefreshProgress): void;
}

type StopReason = 'pause' | 'cancel' | 'token' | 'deadline' | 'fatal' | 'dispose';

const STOP_RANK: Record<StopReason, number> = { pause: 1, deadline: 1, token: 2, cancel: 3, fatal: 4, dispose: 5 };

interface PoolState {
  failures: number;
  blockedUntil: number;
  probing: boolean;
  gaveUp: boolean;
  finishedAt: number[];
}

/** Answers that say something final about the supplier and are no failure of the refresh. */
const FINAL_ANSWERS: ReadonlySet<ApiErrorKind> = new Set<ApiErrorKind>(['not_found', 'not_authorized', 'legally_unavailable']);
/** Failures that say the provider (or the way to it) is down: the whole pool backs off. */
const OUTAGES: ReadonlySet<ApiErrorKind> = new Set<ApiErrorKind>(['provider_error', 'provider_unavailable', 'gateway_timeout', 'timeout', 'network']);

export class RunExecution {
  readonly runId: number;
  readonly finished: Promise<ExecutionEnd>;
  private resolveFinished!: (end: ExecutionEnd) => void;
  private stop: StopReason | null = null;
  private readonly abort = new AbortController();
  private readonly wakers = new Set<() => void>();
  private readonly pools = {} as Record<RateLimitPoolId, PoolState>;
  private readonly recentErrors: ProgressError[] = [];
  private readonly startedAt: number;
  private deadlineAt: number;
  private tokenError: ApiEntrepriseError | null = null;
  private fatalError: unknown = null;
  private lastEmitAt = 0;
  private state: RunState = 'running';

  constructor(
    private readonly deps: ExecutorDeps,
    run: RunRecord,
  ) {
    this.runId = run.id;
    // every call of the run listens to this one signal (the limiter's queue, the request): dozens at once
    setMaxListeners(0, this.abort.signal);
    this.startedAt = deps.clock.now();
    this.deadlineAt = run.deadlineAt ?? Number.MAX_SAFE_INTEGER;
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    for (const pool of POOL_IDS) this.pools[pool] = { failures: 0, blockedUntil: 0, probing: false, gaveUp: false, finishedAt: [] };
  }

  get currentState(): RunState {
    return this.state;
  }

  /** Starts the workers; `finished` settles when they have all stopped. */
  start(): void {
    const counts = this.deps.store.counts(this.runId);
    const workers: Promise<void>[] = [];
    for (const pool of POOL_IDS) {
      const perPool = counts.perPool[pool];
      if (!perPool || perPool.pending + perPool.running === 0) continue;
      const n = Math.max(1, Math.min(this.deps.tuning.concurrency[pool], perPool.pending + perPool.running));
      for (let i = 0; i < n; i += 1) workers.push(this.guard(() => this.worker(pool)));
    }
    this.emit(true);
    void Promise.all(workers).then(() => this.conclude());
  }

  /** No new job is claimed; calls under way finish and are committed; the run waits as 'paused'. */
  pause(): void {
    this.requestStop('pause');
  }

  /** Calls under way are aborted, every job left is skipped, the run ends as 'cancelled'. */
  cancel(): void {
    this.requestStop('cancel');
  }

  /**
   * Stops everything without writing anything more (application quit, or a simulated kill): the
   * run stays as it is in the database, and the next start resumes it.
   */
  dispose(): void {
    this.requestStop('dispose');
  }

  progress(): RefreshProgress {
    const now = this.deps.clock.now();
    const counts = this.deps.store.counts(this.runId);
    const perPool: Partial<Record<RateLimitPoolId, PoolProgress>> = {};
    let etaMs = 0;
    let remainingAll = 0;
    for (const pool of POOL_IDS) {
      const c = counts.perPool[pool];
      if (!c) continue;
      const state = this.pools[pool];
      state.finishedAt = state.finishedAt.filter((t) => t > now - 60_000);
      const window = Math.min(60_000, Math.max(1_000, now - this.startedAt));
      const blockedUntil = Math.max(state.blockedUntil, this.limiterBlock(pool));
      perPool[pool] = {
        total: c.pending + c.running + c.done + c.failed + c.skipped,
        done: c.done,
        failed: c.failed,
        skipped: c.skipped,
        ratePerMinute: Math.round((state.finishedAt.length * 60_000) / window),
        blockedUntil: blockedUntil > now ? blockedUntil : null,
      };
      const remaining = c.pending + c.running;
      remainingAll += remaining;
      if (remaining > 0) {
        const wait = Math.max(0, blockedUntil - now);
        etaMs = Math.max(etaMs, wait + durationAtLimit(remaining, this.deps.limits.pools[pool]));
      }
    }
    for (const ceiling of this.deps.limits.ceilings) etaMs = Math.max(etaMs, durationAtLimit(remainingAll, ceiling));
    return {
      runId: this.runId,
      state: this.state,
      total: counts.total,
      done: counts.byState.done,
      failed: counts.byState.failed,
      skipped: counts.byState.skipped,
      pending: counts.byState.pending,
      running: counts.byState.running,
      perPool,
      etaMs: remainingAll > 0 ? Math.round(etaMs) : 0,
      elapsedMs: now - this.startedAt,
      errors: [...this.recentErrors],
      at: now,
    };
  }

  /** A method, not a field read: the stop reason changes while a call is awaited. */
  private disposed(): boolean {
    return this.stop === 'dispose';
  }

  private limiterBlock(pool: RateLimitPoolId): number {
    try {
      return this.deps.limiter.snapshot(pool).blockedUntil;
    } catch {
      return 0;
    }
  }

  private requestStop(reason: StopReason): void {
    // a stronger reason overrides a weaker one: a kill over everything, an internal error over a
    // cancel, a cancel over a refused token, anything over a pause
    if (this.stop !== null && STOP_RANK[this.stop] >= STOP_RANK[reason]) return;
    this.stop = reason;
    if (reason !== 'pause' && reason !== 'deadline' && !this.abort.signal.aborted) this.abort.abort(new Error(`refresh run ${reason}`));
    this.wakeAll();
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (this.stop === 'dispose') return;
      this.deps.logger.error('refresh run stopped by an unexpected error', { runId: this.runId, error: String(error) });
      this.fatalError ??= error;
      this.requestStop('fatal');
    }
  }

  /** Sleeps until woken or `ms` pass, a minute at most: workers re-check the run's state at least that often. */
  private sleep(ms: number): Promise<void> {
    // setTimeout turns a delay past 2^31 ms into 1 ms: an unbounded wait would become a busy loop
    const delay = Math.min(Math.max(1, ms), 60_000);
    return new Promise((resolve) => {
      let cancelTimer: () => void = () => {};
      const wake = () => {
        cancelTimer();
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
      cancelTimer = this.deps.clock.setTimer(wake, delay);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private async worker(pool: RateLimitPoolId): Promise<void> {
    const state = this.pools[pool];
    const { store, clock } = this.deps;
    while (this.stop === null) {
      const now = clock.now();
      if (now >= this.deadlineAt) {
        this.requestStop('deadline');
        break;
      }
      if (state.gaveUp) break;
      if (state.blockedUntil > now) {
        await this.sleep(Math.min(state.blockedUntil, this.deadlineAt) - now);
        continue;
      }
      if (state.probing) {
        // half-open: one probe tests the pool; the others wait for its answer (it wakes them)
        await this.sleep(this.deadlineAt - now);
        continue;
      }
      const job = store.claim(this.runId, pool, now);
      if (!job) {
        const next = store.nextPendingAt(this.runId, pool, now);
        if (next === null) break;
        await this.sleep(Math.min(next, this.deadlineAt) - now);
        continue;
      }
      if (state.failures >= this.deps.tuning.outage.threshold) state.probing = true;
      await this.execute(job, state);
    }
  }

  private async execute(job: JobRecord, pool: PoolState): Promise<void> {
    const { client, hooks, clock, store, writer, attempts } = this.deps;
    const capture = attempts.capture(job.endpoint, job.identifier);
    let result: ApiCallResult | null = null;
    let failure: unknown = null;
    try {
      await hooks.afterClaim?.(job);
      result = await client.call(job.endpoint, job.identifier, {
        signal: this.abort.signal,
        context: { object: this.deps.callObject },
        bypassCache: this.deps.bypassCache,
      });
    } catch (error) {
      failure = error;
    }
    const records = capture.take();
    if (this.disposed()) return;
    const journal = () => attempts.write(records, this.runId);
    const context = { runId: this.runId, jobId: job.id, supplierId: job.supplierId, endpoint: job.endpoint, identifier: job.identifier };

    if (result !== null) {
      await hooks.afterCall?.(job);
      // a kill during the hook: nothing more is written, as after a real crash
      if (this.disposed()) return;
      const now = clock.now();
      const data = result;
      const committed = store.settle(job, { state: 'done', outcome: 'ok' }, now, () => {
        journal();
        writer.writeSuccess({ ...context, at: now }, data);
      });
      if (!committed) this.deps.logger.warn('refresh job taken over before its commit', { jobId: job.id });
      this.providerAnswered(pool);
      this.noteFinished(pool, now);
      await hooks.afterCommit?.(job);
      return;
    }

    const now = clock.now();
    if (this.abort.signal.aborted) {
      // cancelled: the job is skipped; a refused token or a crash elsewhere: it waits for the resume
      const settlement =
        this.stop === 'cancel'
          ? { state: 'skipped' as const, outcome: 'cancelled', lastError: 'Mise à jour annulée.' }
          : { state: 'pending' as const, attemptsDelta: -1 };
      store.settle(job, settlement, now, journal);
      this.providerAnswered(pool, false);
      return;
    }
    if (!(failure instanceof ApiEntrepriseError)) throw failure;
    const error = failure;

    if (error.refusesToken || client.tokenRefusal !== null) {
      const refusal = client.tokenRefusal ?? error;
      store.settle(job, { state: 'pending', attemptsDelta: -1, errorKind: refusal.kind, lastError: refusal.userMessage }, now, journal);
      this.tokenError = refusal;
      this.requestStop('token');
      return;
    }

    if (FINAL_ANSWERS.has(error.kind)) {
      store.settle(job, { state: 'done', outcome: error.kind }, now, () => {
        journal();
        writer.writeFinalAnswer({ ...context, at: now }, error.kind as FinalOutcome, error.userMessage);
      });
      if (error.kind === 'not_authorized') {
        // the token lacks the scope: every other call of this endpoint would get the same answer
        store.settlePending(this.runId, { endpoint: job.endpoint }, { state: 'skipped', outcome: 'not_authorized', lastError: error.userMessage }, now, (other) =>
          writer.writeFinalAnswer({ ...context, supplierId: other.supplierId, identifier: other.identifier, jobId: other.id, at: now }, 'not_authorized', error.userMessage),
        );
      }
      this.providerAnswered(pool);
      this.noteFinished(pool, now);
      return;
    }

    this.noteError(job, error, now);
    if (error.kind === 'rate_limited') {
      // should not happen (the limiter follows the server's headers); the limiter now holds the pool
      this.deps.logger.warn('429 received during a refresh run', { endpoint: job.endpoint });
      const retryAt = now + (error.retryAfterMs ?? this.deps.limits.pools[job.pool].windowMs);
      store.settle(job, { state: 'pending', attemptsDelta: -1, nextAttemptAt: retryAt, errorKind: error.kind, lastError: error.userMessage }, now, journal);
      return;
    }

    const outage = OUTAGES.has(error.kind);
    let retryAt = now + Math.max(this.deps.tuning.retryDelayMs * job.attempts, (error.retryInSeconds ?? 0) * 1_000);
    if (outage) retryAt = Math.max(retryAt, this.poolFailed(job.pool, pool, error, now));
    else this.providerAnswered(pool);
    // past `giveUpAfter` failures in a row, the pool's pending jobs fail for this run (last good data kept)
    if (outage && pool.failures >= this.deps.tuning.outage.giveUpAfter) this.giveUpPool(job, pool, error, now);
    // a job that was in flight when its pool was given up fails with the others rather than waiting
    const finalFailure = !error.retryable || job.attempts >= this.deps.maxAttemptsPerJob || pool.gaveUp;
    if (finalFailure) {
      store.settle(job, { state: 'failed', outcome: 'error', errorKind: error.kind, lastError: error.userMessage }, now, () => {
        journal();
        writer.writeFailure({ ...context, at: now }, error.kind, error.userMessage);
      });
      this.noteFinished(pool, now);
    } else {
      store.settle(job, { state: 'pending', nextAttemptAt: retryAt, errorKind: error.kind, lastError: error.userMessage }, now, journal);
    }
  }

  /** An outage failure: counts it, and past the threshold blocks the pool. Returns when to try again. */
  private poolFailed(poolId: RateLimitPoolId, pool: PoolState, error: ApiEntrepriseError, now: number): number {
    const { threshold, baseBackoffMs, maxBackoffMs } = this.deps.tuning.outage;
    pool.failures += 1;
    pool.probing = false;
    if (pool.failures < threshold) return now;
    const exponential = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (pool.failures - threshold));
    // jitter: pools (and installations) that failed together do not come back together
    const backoff = Math.max((error.retryInSeconds ?? 0) * 1_000, exponential * (0.75 + 0.5 * this.deps.random()));
    pool.blockedUntil = now + backoff;
    this.deps.limiter.blockPool(poolId, pool.blockedUntil);
    this.deps.logger.warn('refresh pool backing off after provider failures', { pool: poolId, failures: pool.failures, backoffMs: Math.round(backoff) });
    this.wakeAll();
    // the renderer shows the pool waiting at once
    this.emit(true);
    return pool.blockedUntil;
  }

  /** The provider answered (data, or a final answer): the pool is healthy again. */
  private providerAnswered(pool: PoolState, healthy = true): void {
    if (healthy) pool.failures = 0;
    if (pool.probing || healthy) {
      pool.probing = false;
      this.wakeAll();
    }
  }

  private giveUpPool(job: JobRecord, pool: PoolState, error: ApiEntrepriseError, now: number): void {
    if (pool.gaveUp) return;
    pool.gaveUp = true;
    const { store, writer } = this.deps;
    const failed = store.settlePending(
      this.runId,
      { pool: job.pool },
      { state: 'failed', outcome: 'error', errorKind: error.kind, lastError: error.userMessage },
      now,
      (other) => writer.writeFailure({ endpoint: other.endpoint, identifier: other.identifier, at: now }, error.kind, error.userMessage),
    );
    this.deps.logger.warn('refresh pool given up for this run', { pool: job.pool, jobs: failed.length });
    this.wakeAll();
  }

  private noteFinished(pool: PoolState, now: number): void {
    pool.finishedAt.push(now);
    this.emit(false);
  }

  private noteError(job: JobRecord, error: ApiEntrepriseError, now: number): void {
    this.recentErrors.push({ supplierId: job.supplierId, endpoint: job.endpoint, identifier: job.identifier, message: error.userMessage, at: now });
    if (this.recentErrors.length > this.deps.tuning.recentErrors) this.recentErrors.shift();
  }

  private emit(force: boolean): void {
    const now = this.deps.clock.now();
    if (!force && now - this.lastEmitAt < this.deps.tuning.progressIntervalMs) return;
    this.lastEmitAt = now;
    try {
      this.deps.emit(this.progress());
    } catch (error) {
      this.deps.logger.warn('refresh progress listener failed', { error: String(error) });
    }
  }

  /** Every worker stopped: record how the run ends. */
  private conclude(): void {
    const { store, clock } = this.deps;
    const now = clock.now();
    const end = (state: ExecutionEnd['state'], report: RunReport | null = null, error: string | null = null) => {
      if (state !== 'disposed') this.state = state;
      this.resolveFinished({ runId: this.runId, state, report, error });
    };
    if (this.stop === 'dispose') return end('disposed');
    try {
      switch (this.stop) {
        case 'fatal': {
          const message = 'La mise à jour s’est arrêtée sur une erreur interne : elle reprendra au prochain démarrage.';
          try {
            store.setRunState(this.runId, 'interrupted', now, { kind: 'internal', message });
          } catch {
            // the database itself may be what failed: the run is still 'running' there, and resumes just the same
          }
          this.emitFinal('interrupted');
          return end('interrupted', null, message);
        }
        case 'pause':
          store.setRunState(this.runId, 'paused', now);
          this.emitFinal('paused');
          return end('paused');
        case 'token': {
          const message = this.tokenError?.userMessage ?? 'Le jeton API Entreprise a été refusé.';
          store.setRunState(this.runId, 'stopped_token', now, { kind: this.tokenError?.kind ?? 'token_invalid', message });
          this.emitFinal('stopped_token');
          return end('stopped_token', null, message);
        }
        case 'cancel': {
          store.settlePending(this.runId, {}, { state: 'skipped', outcome: 'cancelled', lastError: 'Mise à jour annulée.' }, now);
          const report = this.finalize('cancelled', now);
          return end('cancelled', report);
        }
        default: {
          if (this.stop === 'deadline') {
            store.settlePending(
              this.runId,
              {},
              { state: 'skipped', outcome: 'deadline', lastError: 'Reporté : la fenêtre de mise à jour de la nuit est terminée.' },
              now,
            );
          }
          const report = this.finalize('completed', now);
          return end('completed', report);
        }
      }
    } catch (error) {
      this.deps.logger.error('refresh run could not be concluded', { runId: this.runId, error: String(error) });
      return end('interrupted', null, 'La mise à jour n’a pas pu être terminée : elle reprendra au prochain démarrage.');
    }
  }

  /** Lapsed attestations, the report and the run's final state, in one transaction. */
  private finalize(state: 'completed' | 'cancelled', now: number): RunReport | null {
    const { store, writer } = this.deps;
    const report = store.transaction(() => {
      const previous = store.latestFinishedRun(this.runId);
      const since = previous?.finishedAt ? parisDay(previous.finishedAt) : null;
      const supplierOf = store.db.prepare<[string], { id: number }>('SELECT id FROM suppliers WHERE siren = ? AND active = 1 ORDER BY id LIMIT 1');
      for (const change of lapsedAttestations(store.db, since, parisDay(now))) {
        writer.recordChanges({ runId: this.runId, jobId: null, supplierId: supplierOf.get(change.siren)?.id ?? null, at: now }, [change]);
      }
      store.finishRun(this.runId, state, now, '{}');
      const built = buildRunReport(store.db, this.runId, this.deps.limits, now);
      store.finishRun(this.runId, state, now, JSON.stringify(built));
      return built;
    });
    this.emitFinal(state);
    return report;
  }

  private emitFinal(state: RunState): void {
    this.state = state;
    this.emit(true);
  }
}
