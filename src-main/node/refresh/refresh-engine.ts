// The refresh engine: what the Electron shell (scheduler, IPC, notifications) and the CLI call.
// It plans from the register and the freshness policy, runs one run at a time through the
// executor, persists everything so that a crash or a kill loses nothing, and answers "how fresh is
// this supplier's data" in French. Plain Node: the shell passes its adapters (client, limiter,
// clock, logger, document store) in.
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import { type Clock, systemClock } from '../clock';
import type { VigieDatabase } from '../db/database';
import type { DocumentStore } from '../documents/document-store';
import { type Logger, silentLogger } from '../logger';
import type { AttemptJournal } from './attempt-journal';
import { epochOf, frenchDate } from './french-format';
import { type FreshnessPolicy, type FreshnessPolicyInput, parseFreshnessPolicy, type Privileges } from './freshness-policy';
import { API_ENTREPRISE_LIMITS, HOUR_MS, planRefresh, type PlanRefreshOptions, type RateLimits, type RefreshPlan } from './refresh-planner';
import {
  type ExecutionEnd,
  type ExecutorHooks,
  type ExecutorTuningInput,
  type PoolLimiter,
  type RefreshApiClient,
  type RefreshProgress,
  resolveTuning,
  RunExecution,
} from './refresh-executor';
import { type RunRecord, RefreshStore } from './refresh-store';
import { readRegisterStates } from './register-state';
import { RegisterWriter } from './register-writer';
import type { RunReport } from './run-report';
import { RefreshLock, refreshLockPath, type RefreshLockHolderKind, type RefreshLockOptions } from './refresh-lock';

export type { RefreshProgress, ExecutionEnd } from './refresh-executor';
export type { RunReport } from './run-report';

export interface RefreshEngineOptions {
  db: VigieDatabase;
  /** The shared API client (its `onAttempt` must be `attempts.hook`). */
  client: RefreshApiClient;
  /** The client's limiter: outages block a pool there. */
  limiter: PoolLimiter;
  attempts: AttemptJournal;
  clock?: Clock;
  /** Its temporary files are swept when an interrupted run resumes. */
  documents?: Pick<DocumentStore, 'sweepTemporaryFiles'> | null;
  policy?: FreshnessPolicyInput;
  /** Scopes from GET /privileges ('all' only for planning on paper). */
  privileges: Privileges | Iterable<string>;
  logger?: Logger;
  /** The limits the planner and the ETA count on; API Entreprise's by default. */
  limits?: RateLimits;
  tuning?: ExecutorTuningInput;
  hooks?: ExecutorHooks;
  random?: () => number;
  /**
   * The lock that keeps one refresh per register across processes (`refresh-lock.ts`): a file next
   * to the database by default, none for an in-memory one or with `path: null`. `kind` says who
   * holds it in the refusal message.
   */
  lock?: { path?: string | null; kind?: RefreshLockHolderKind } & Pick<RefreshLockOptions, 'heartbeatMs' | 'staleAfterMs'>;
}

export type RefreshTrigger = 'night' | 'manual' | 'startup' | (string & {});

export interface StartOptions {
  /** Only these suppliers (a refresh asked from the supplier's page). */
  supplierIds?: readonly number[];
  /** Refresh every endpoint of `supplierIds` whatever their freshness. */
  force?: boolean;
  /** `Cache-Control: no-cache`: for an explicit user action only (BRIEF §3). */
  bypassCache?: boolean;
  /** When the run must stop claiming jobs; now + the policy's night window by default. */
  deadlineAt?: number;
}

export interface RunHandle {
  runId: number;
  /** Settles when the run stops: completed, cancelled, paused, stopped on a refused token, interrupted. */
  finished: Promise<ExecutionEnd>;
}

export interface EndpointFreshness {
  endpoint: EndpointId;
  label: string;
  lastCheckedAt: string | null;
  lastSuccessAt: string | null;
  /** 'ok', 'not_found', 'not_authorized', 'legally_unavailable'. */
  outcome: string | null;
  /** French, for an outcome other than data ("Non trouvé chez ce fournisseur..."). */
  message: string | null;
  /** French, when the latest attempt failed after the last answer. */
  error: string | null;
  errorAt: string | null;
}

export interface SupplierFreshness {
  supplierId: number;
  /** When the oldest data shown was obtained (of the failing calls when some fail); null when nothing is known. */
  dataAsOf: string | null;
  /** "données au 28/11/2026" (Paris calendar day), or null. */
  dataAsOfLabel: string | null;
  /** Some data could not be refreshed: the last good one is shown. */
  degraded: boolean;
  /** French, with the data's name: "Attestation de vigilance (URSSAF) : Le fournisseur de données est indisponible...". */
  lastError: string | null;
  lastErrorAt: string | null;
  endpoints: EndpointFreshness[];
}

export class TokenStillRefusedError extends Error {
  constructor(readonly userMessage: string) {
    super('the API token is still refused: store a new token before resuming');
    this.name = 'TokenStillRefusedError';
  }
}

export class RefreshEngine {
  private readonly store: RefreshStore;
  private readonly writer: RegisterWriter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly limits: RateLimits;
  private policy: FreshnessPolicy;
  private privileges: Privileges;
  private execution: RunExecution | null = null;
  private readonly progressListeners = new Set<(progress: RefreshProgress) => void>();
  private readonly finishedListeners = new Set<(end: ExecutionEnd) => void>();
  private lastProgress: RefreshProgress | null = null;
  private lock: RefreshLock | null = null;
  /** Who this engine is in the lock file (an app core running `--headless-refresh` says 'headless'). */
  lockHolderKind: RefreshLockHolderKind;

  constructor(private readonly options: RefreshEngineOptions) {
    this.store = new RefreshStore(options.db);
    this.writer = new RegisterWriter(options.db);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.limits = options.limits ?? API_ENTREPRISE_LIMITS;
    this.policy = parseFreshnessPolicy(options.policy);
    this.privileges = toPrivileges(options.privileges);
    this.lockHolderKind = options.lock?.kind ?? 'app';
  }

  get currentPolicy(): FreshnessPolicy {
    return this.policy;
  }

  /** Validates and applies new settings (throws a ZodError on invalid ones); the next plan uses them. */
  updatePolicy(input: FreshnessPolicyInput): FreshnessPolicy {
    this.policy = parseFreshnessPolicy(input);
    return this.policy;
  }

  /** After GET /privileges, or a new token. */
  setPrivileges(privileges: Privileges | Iterable<string>): void {
    this.privileges = toPrivileges(privileges);
  }

  /** The plan from now: tonight's calls in order, the following nights, estimates, SLA misses. */
  plan(options: PlanRefreshOptions = {}): RefreshPlan {
    const states = readRegisterStates(this.options.db);
    return planRefresh(states, this.policy, this.limits, this.privileges, this.clock.now(), options);
  }

  /** True while a run executes in this process. */
  get running(): boolean {
    return this.execution !== null;
  }

  /**
   * Starts tonight's run. A run left unfinished (interrupted by a crash, paused, stopped on a
   * refused token) is resumed instead of starting a new one, so no job is lost.
   */
  start(trigger: RefreshTrigger = 'night', options: StartOptions = {}): RunHandle {
    if (this.execution) return { runId: this.execution.runId, finished: this.execution.finished };
    return this.locked(() => this.startLocked(trigger, options));
  }

  private startLocked(trigger: RefreshTrigger, options: StartOptions): RunHandle {
    const unfinished = this.store.unfinishedRun();
    if (unfinished) return this.continueRun(unfinished, true);
    const now = this.clock.now();
    const only = options.supplierIds ? new Set(options.supplierIds) : undefined;
    const states = readRegisterStates(this.options.db, options.supplierIds ? { supplierIds: options.supplierIds } : {});
    // tonight only: EDF over what is due by the night's end gives the same night 0 as a longer horizon
    const plan = planRefresh(states, this.policy, this.limits, this.privileges, now, {
      horizonNights: 1,
      only,
      force: options.force && only ? only : undefined,
    });
    const deadlineAt = options.deadlineAt ?? now + this.policy.nightWindowHours * HOUR_MS;
    const runId = this.store.createRun(trigger, plan.tonight, now, deadlineAt);
    this.logger.info('refresh run started', { runId, trigger, jobs: plan.tonight.length, dueTonight: plan.dueTonight, estimateMs: plan.tonightEstimate.totalMs });
    return this.launch(this.store.getRun(runId) as RunRecord, options.bypassCache === true);
  }

  /**
   * At start-up: resumes a run a crash or a kill interrupted (state 'running' or 'interrupted' in
   * the database). Returns null when there is none. Paused runs and runs stopped on a refused
   * token wait for `resume()`.
   */
  resumeInterrupted(): RunHandle | null {
    if (this.execution) return null;
    // under the lock: a run another process executes is 'running' in the database too
    return this.locked(() => {
      const run = this.store.unfinishedRun();
      if (!run || (run.state !== 'running' && run.state !== 'interrupted')) return null;
      return this.continueRun(run, false);
    });
  }

  /** Resumes a paused run, or one stopped on a refused token once a new token is accepted. */
  resume(): RunHandle | null {
    if (this.execution) return null;
    return this.locked(() => {
      const run = this.store.unfinishedRun();
      if (!run) return null;
      return this.continueRun(run, true);
    });
  }

  /** Stops claiming jobs; calls under way finish and are committed. */
  pause(): boolean {
    if (!this.execution) return false;
    this.execution.pause();
    return true;
  }

  /** Aborts the calls under way and skips every job left; a paused run is cancelled too. */
  cancel(): boolean {
    if (this.execution) {
      this.execution.cancel();
      return true;
    }
    const cancelled = this.locked(() => {
      const run = this.store.unfinishedRun();
      if (!run) return null;
      // not executing (paused, stopped, interrupted): cancel it without calling anything
      this.store.recoverRunning(run.id);
      const execution = this.newExecution(run, false);
      execution.cancel();
      this.track(execution);
      execution.start();
      return true;
    });
    return cancelled === true;
  }

  /** Application quit: stops without touching the run's state, so the next start resumes it. */
  dispose(): void {
    this.execution?.dispose();
    // nothing more is written for the run: another process may take it from here
    this.releaseLock();
  }

  onProgress(listener: (progress: RefreshProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Each time a run stops (its report is set when it completed or was cancelled). */
  onFinished(listener: (end: ExecutionEnd) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  /** The latest progress event, for a renderer that opens mid-run. */
  progress(): RefreshProgress | null {
    return this.execution ? this.execution.progress() : this.lastProgress;
  }

  /** The report of the latest run that ended (completed or cancelled). */
  lastReport(): RunReport | null {
    const run = this.store.latestFinishedRun();
    return run ? this.report(run.id) : null;
  }

  report(runId: number): RunReport | null {
    const run = this.store.getRun(runId);
    if (!run?.reportJson) return null;
    try {
      const parsed = JSON.parse(run.reportJson) as RunReport | null;
      return parsed && typeof parsed === 'object' && 'runId' in parsed ? parsed : null;
    } catch {
      return null;
    }
  }

  /** What the supplier's page shows: "données au JJ/MM/AAAA" and the last error in French. */
  supplierFreshness(supplierId: number): SupplierFreshness | null {
    const db = this.options.db;
    const supplier = db.prepare<[number], { siren: string; siret: string | null }>('SELECT siren, siret FROM suppliers WHERE id = ?').get(supplierId);
    if (!supplier) return null;
    const rows = db
      .prepare<
        [string, string],
        {
          endpoint: EndpointId;
          last_checked_at: string | null;
          last_success_at: string | null;
          last_outcome: string | null;
          last_message: string | null;
          last_error_message: string | null;
          last_error_at: string | null;
        }
      >(
        `SELECT endpoint, last_checked_at, last_success_at, last_outcome, last_message, last_error_message, last_error_at
         FROM refresh_status WHERE identifier IN (?, ?) ORDER BY endpoint`,
      )
      .all(supplier.siren, supplier.siret ?? supplier.siren);
    const endpoints: EndpointFreshness[] = rows
      .filter((row) => row.endpoint in ENDPOINTS)
      .map((row) => {
        const failing = row.last_error_at !== null && (row.last_checked_at === null || row.last_error_at > row.last_checked_at);
        return {
          endpoint: row.endpoint,
          label: ENDPOINTS[row.endpoint].label,
          lastCheckedAt: row.last_checked_at,
          lastSuccessAt: row.last_success_at,
          outcome: row.last_outcome,
          message: row.last_message,
          error: failing ? row.last_error_message : null,
          errorAt: failing ? row.last_error_at : null,
        };
      });
    const failing = endpoints.filter((e) => e.error !== null);
    const basis = failing.length > 0 ? failing : endpoints;
    const successes = basis.map((e) => epochOf(e.lastSuccessAt)).filter((t): t is number => t !== null);
    const dataAsOf = successes.length > 0 ? Math.min(...successes) : null;
    const latestError = [...failing].sort((a, b) => ((a.errorAt ?? '') < (b.errorAt ?? '') ? 1 : -1))[0] ?? null;
    return {
      supplierId,
      dataAsOf: dataAsOf === null ? null : new Date(dataAsOf).toISOString(),
      dataAsOfLabel: dataAsOf === null ? null : `données au ${frenchDate(dataAsOf)}`,
      degraded: failing.length > 0,
      lastError: latestError ? `${latestError.label} : ${latestError.error}` : null,
      lastErrorAt: latestError?.errorAt ?? null,
      endpoints,
    };
  }

  /**
   * Runs `take` holding the register's refresh lock (throws RefreshLockedError when another
   * process holds it); the lock stays held while the execution `take` tracked runs.
   */
  private locked<T>(take: () => T): T {
    const path = this.options.lock?.path === undefined ? refreshLockPath(this.options.db.name) : this.options.lock.path;
    if (path !== null && !this.lock?.held) {
      this.lock = RefreshLock.acquire(path, {
        kind: this.lockHolderKind,
        heartbeatMs: this.options.lock?.heartbeatMs,
        staleAfterMs: this.options.lock?.staleAfterMs,
        onLost: (holder) => {
          // another process judged this one gone: stop calling, leave the run to it
          this.logger.error('refresh lock taken over by another process: run stopped', { holderPid: holder?.pid ?? null });
          this.execution?.dispose();
        },
      });
    }
    try {
      return take();
    } finally {
      if (!this.execution) this.releaseLock();
    }
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = null;
  }

  private continueRun(run: RunRecord, userAction: boolean): RunHandle {
    if (run.state === 'stopped_token' && this.options.client.tokenRefusal) {
      throw new TokenStillRefusedError(this.options.client.tokenRefusal.userMessage);
    }
    const now = this.clock.now();
    // jobs left running by a crash were not committed: they go back to pending
    const recovered = this.store.recoverRunning(run.id);
    if (run.deadlineAt === null || run.deadlineAt <= now) {
      // a run resumed after its night gets a new window rather than skipping everything left
      this.store.setDeadline(run.id, now + this.policy.nightWindowHours * HOUR_MS);
    }
    this.store.setRunState(run.id, 'running', now);
    this.logger.info('refresh run resumed', { runId: run.id, previousState: run.state, recovered, userAction });
    if (!userAction && this.options.documents) {
      void this.options.documents.sweepTemporaryFiles({ now }).catch((error: unknown) => this.logger.warn('document sweep failed', { error: String(error) }));
    }
    return this.launch(this.store.getRun(run.id) as RunRecord, false);
  }

  private launch(run: RunRecord, bypassCache: boolean): RunHandle {
    const execution = this.newExecution(run, bypassCache);
    this.track(execution);
    execution.start();
    return { runId: run.id, finished: execution.finished };
  }

  private newExecution(run: RunRecord, bypassCache: boolean): RunExecution {
    return new RunExecution(
      {
        store: this.store,
        writer: this.writer,
        attempts: this.options.attempts,
        client: this.options.client,
        limiter: this.options.limiter,
        clock: this.clock,
        logger: this.logger,
        limits: this.limits,
        tuning: resolveTuning(this.options.tuning),
        hooks: this.options.hooks ?? {},
        random: this.options.random ?? Math.random,
        maxAttemptsPerJob: this.policy.maxAttemptsPerJob,
        callObject: this.policy.callObject,
        bypassCache,
        emit: (progress) => {
          this.lastProgress = progress;
          for (const listener of this.progressListeners) listener(progress);
        },
      },
      run,
    );
  }

  private track(execution: RunExecution): void {
    this.execution = execution;
    void execution.finished.then((end) => {
      if (this.execution === execution) {
        this.execution = null;
        this.releaseLock();
      }
      if (end.state === 'disposed') return;
      this.logger.info('refresh run stopped', { runId: end.runId, state: end.state, summary: end.report?.summary ?? end.error });
      for (const listener of this.finishedListeners) {
        try {
          listener(end);
        } catch (error) {
          this.logger.warn('refresh finished listener failed', { error: String(error) });
        }
      }
    });
  }
}

function toPrivileges(value: Privileges | Iterable<string>): Privileges {
  if (value === 'all') return 'all';
  return value instanceof Set ? (value as ReadonlySet<string>) : new Set(value);
}

export function createRefreshEngine(options: RefreshEngineOptions): RefreshEngine {
  return new RefreshEngine(options);
}
