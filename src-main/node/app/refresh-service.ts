// The refresh engine as the app drives it: the nightly schedule in the user's night window, the
// catch-up of a night missed while Vigie was closed or the computer asleep, the runs asked from the
// UI, the status the "Mises à jour" screen polls, and the notification at the end of a run.
import { RATE_LIMIT_POOLS, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { ApiEntrepriseError } from '../api-entreprise/api-error';
import type { Clock } from '../clock';
import type { VigieDatabase } from '../db/database';
import type { Logger } from '../logger';
import type { AttemptJournal } from '../refresh/attempt-journal';
import { RefreshLockedError } from '../refresh/refresh-lock';
import { createRefreshEngine, TokenStillRefusedError, type RefreshEngine, type RefreshProgress, type RunReport } from '../refresh/refresh-engine';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { RefreshProgressView, RefreshStatus, RunOutcomeView } from '../../common/ipc-contract';
import type { RefreshSettingsPage } from '../../common/refresh-settings';
import { MemoryKeyValueStore } from '../settings/key-value-store';
import {
  DEFAULT_REFRESH_SETTINGS,
  latestNightWindow,
  nextNightWindowStart,
  nightOf,
  REFRESH_DAY_LIMITS,
  refreshableEndpoints,
  RefreshSettingsRepository,
  toFreshnessPolicy,
  type NightWindowSpan,
  type RefreshSettings,
} from '../settings/refresh-settings';
import type { TokenVault } from '../token/token-vault';
import { UserFacingError } from '../user-facing-error';
import type { ApiService } from './api-service';

/** How a run that catches up a missed night is recorded (refresh_runs.trigger is free text). */
export const CATCH_UP_TRIGGER = 'catch_up';

export interface RefreshServiceOptions {
  db: VigieDatabase;
  api: ApiService;
  vault: TokenVault;
  attempts: AttemptJournal;
  clock: Clock;
  logger: Logger;
  /** A run ended: one notification with the report's summary. */
  onFinished?: (summary: string) => void;
  /** Keep the computer awake while a run works (Electron's powerSaveBlocker). */
  onRunningChange?: (running: boolean) => void;
  /** The night window, the catch-up choice and the user's freshness rules; in memory when absent. */
  settings?: RefreshSettingsRepository;
}

/** The next start of the night window after `now`, in the computer's local time. */
export function nextNightStart(now: number, window: Pick<RefreshSettings, 'nightStart'> = DEFAULT_REFRESH_SETTINGS): number {
  return nextNightWindowStart(now, window);
}

/** A night window that passed with no run: Vigie was closed, or the computer asleep. */
interface MissedNight {
  window: NightWindowSpan;
}

export class RefreshService {
  readonly engine: RefreshEngine;
  readonly settings: RefreshSettingsRepository;
  private cancelTimer: (() => void) | null = null;
  private nextRunAt: number | null = null;
  private running = false;
  private pendingCatchUp: MissedNight | null = null;

  constructor(private readonly options: RefreshServiceOptions) {
    const { api } = options;
    this.settings = options.settings ?? new RefreshSettingsRepository(new MemoryKeyValueStore());
    this.engine = createRefreshEngine({
      db: options.db,
      // the client is rebuilt when the settings change: always call through the current one
      client: {
        call: (endpoint, identifier, callOptions) => api.client().call(endpoint, identifier, callOptions),
        get tokenRefusal(): ApiEntrepriseError | null {
          return api.currentTokenRefusal();
        },
      },
      limiter: api.limiter,
      attempts: options.attempts,
      clock: options.clock,
      privileges: options.vault.privileges() ?? [],
      logger: options.logger,
      policy: toFreshnessPolicy(this.settings.get()),
    });
    this.engine.onFinished((end) => {
      this.setRunning(false);
      if (end.report && end.state !== 'paused' && end.state !== 'disposed') options.onFinished?.(end.report.summary);
    });
  }

  /**
   * At start-up: resume a run a crash or a shutdown interrupted, catch up a night missed while
   * Vigie was closed (or ask), and arm the nightly schedule.
   */
  start(): void {
    try {
      if (this.engine.resumeInterrupted()) this.setRunning(true);
    } catch (error) {
      this.options.logger.warn('refresh: interrupted run not resumed', { error: String(error).slice(0, 200) });
    }
    this.checkNights(this.options.clock.now());
    this.schedule();
  }

  /**
   * The computer woke up: timers drift over sleep, so the schedule is armed again, and a window
   * that passed (or began) while it slept is handled as at start-up.
   */
  systemResumed(): void {
    this.options.logger.info('refresh: system resumed, schedule re-armed');
    this.checkNights(this.options.clock.now());
    this.schedule();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.engine.dispose();
  }

  /**
   * Runs `work` (a write of the whole register from another connection: the CSV import on its
   * worker) with the refresh paused, then resumes it. Otherwise each job's commit would wait on
   * that write's transaction, blocking this thread, and fail past SQLite's busy timeout.
   */
  async whilePaused<T>(work: () => Promise<T>): Promise<T> {
    if (this.engine.progress()?.state !== 'running') return work();
    // calls under way finish and commit first: the write starts on a quiet register
    const paused = new Promise<void>((resolve) => {
      const off = this.engine.onFinished(() => {
        off();
        resolve();
      });
    });
    if (!this.engine.pause()) return work();
    await paused;
    try {
      return await work();
    } finally {
      try {
        if (this.engine.resume()) this.setRunning(true);
      } catch (error) {
        // a refused token or another process's lock: the Mises à jour screen says so
        this.options.logger.warn('refresh not resumed after a register write', { error: String(error).slice(0, 200) });
      }
    }
  }

  tokenChanged(): void {
    this.engine.setPrivileges(this.options.vault.privileges() ?? []);
  }

  /** Validates, saves, applies the rules to the engine and arms the timer at the (new) window. */
  updateSettings(patch: Partial<RefreshSettings>): RefreshSettings {
    const before = this.settings.get();
    const saved = this.settings.update(patch);
    this.engine.updatePolicy(toFreshnessPolicy(saved, this.engine.currentPolicy));
    if (saved.nightStart !== before.nightStart || saved.nightEnd !== before.nightEnd) {
      // the new window applies from now on: nights it would have covered earlier were not missed
      if (this.settings.coveredThrough() !== null) this.settings.markCovered(this.options.clock.now());
      this.schedule();
    }
    this.options.logger.info('refresh settings saved', { nightStart: saved.nightStart, nightEnd: saved.nightEnd, catchUp: saved.catchUp });
    return saved;
  }

  settingsPage(): RefreshSettingsPage {
    return {
      settings: this.settings.get(),
      endpoints: refreshableEndpoints(),
      limits: REFRESH_DAY_LIMITS,
      nextRunAt: this.nextRunAt === null ? null : new Date(this.nextRunAt).toISOString(),
    };
  }

  /** The user's answer to « la mise à jour de la nuit n’a pas eu lieu »: now, or later (not for that night). */
  answerCatchUp(start: boolean): RefreshStatus {
    const pending = this.pendingCatchUp;
    if (!pending) return this.status();
    if (!start) {
      this.pendingCatchUp = null;
      this.settings.markCovered(pending.window.start);
      this.options.logger.info('refresh: catch-up declined', { night: nightOf(pending.window.start) });
      return this.status();
    }
    const refused = this.launch(CATCH_UP_TRIGGER);
    // refused (no token...): the question stays, to be answered once the cause is fixed
    if (refused === null) {
      this.pendingCatchUp = null;
      this.settings.markCovered(pending.window.start);
    }
    return this.status(refused);
  }

  /**
   * Whether the latest night window was taken care of. Under way and not yet run: tonight's run
   * starts now, until the window's end. Over with no run: caught up at once or asked, as chosen.
   */
  private checkNights(at: number): void {
    const covered = this.settings.coveredThrough();
    if (covered === null) {
      // the first start: no night can have been missed yet
      this.settings.markCovered(at);
      return;
    }
    const settings = this.settings.get();
    const latest = latestNightWindow(at, settings);
    if (latest.start <= covered) return;
    if (at < latest.end) {
      this.settings.markCovered(latest.start);
      this.pendingCatchUp = null;
      this.launch('night', undefined, latest.end);
      return;
    }
    this.options.logger.info('refresh: night missed', { night: nightOf(latest.start), mode: settings.catchUp });
    if (settings.catchUp === 'auto') {
      this.settings.markCovered(latest.start);
      this.pendingCatchUp = null;
      this.launch(CATCH_UP_TRIGGER);
      return;
    }
    this.pendingCatchUp = { window: latest };
  }

  private schedule(): void {
    this.cancelTimer?.();
    const now = this.options.clock.now();
    const next = nextNightStart(now, this.settings.get());
    this.nextRunAt = next;
    this.cancelTimer = this.options.clock.setTimer(() => {
      // a timer may fire a little early, or very late after a sleep: the window it was armed for decides
      this.checkNights(Math.max(this.options.clock.now(), next));
      this.schedule();
    }, next - now);
  }

  private setRunning(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    this.options.onRunningChange?.(running);
  }

  private launch(trigger: 'night' | 'manual' | typeof CATCH_UP_TRIGGER, supplierIds?: number[], deadlineAt?: number): string | null {
    if (this.options.vault.summary().state === 'absent') return 'Aucun jeton API Entreprise n’est enregistré : ajoutez-le dans l’écran Jeton.';
    try {
      this.options.api.client();
      this.engine.setPrivileges(this.options.vault.privileges() ?? []);
      const handle = supplierIds
        ? this.engine.start(trigger, { supplierIds, force: true, bypassCache: true })
        : this.engine.start(trigger, deadlineAt === undefined ? {} : { deadlineAt });
      this.setRunning(true);
      this.options.logger.info('refresh run started', { runId: handle.runId, trigger });
      return null;
    } catch (error) {
      if (error instanceof TokenStillRefusedError) return error.userMessage;
      this.options.logger.warn('refresh run not started', { error: String(error).slice(0, 200) });
      // only a message written for the user reaches the screen (a SQLite error is English and technical)
      if (error instanceof UserFacingError) return error.message;
      const userMessage = (error as { userMessage?: unknown } | null)?.userMessage;
      return typeof userMessage === 'string' ? userMessage : 'La mise à jour n’a pas pu démarrer : le détail est dans le journal de Vigie.';
    }
  }

  status(message: string | null = null): RefreshStatus {
    const progress = this.engine.progress();
    const report = this.engine.lastReport();
    const isRunning = progress !== null && progress.state === 'running';
    const settings = this.settings.get();
    return {
      running: isRunning,
      paused: progress?.state === 'paused',
      progress: progress ? toProgressView(progress) : null,
      lastRun: report ? toOutcome(report) : null,
      changes: (report?.changes ?? []).map((c) => ({
        kind: c.kind,
        supplierId: c.supplierId,
        supplierName: c.supplierName ?? c.siret ?? c.siren,
        description: c.description,
      })),
      nextRunAt: this.nextRunAt === null ? null : new Date(this.nextRunAt).toISOString(),
      nightWindow: { start: settings.nightStart, end: settings.nightEnd },
      catchUp: settings.catchUp,
      pendingCatchUp: this.pendingCatchUp
        ? { missedNight: nightOf(this.pendingCatchUp.window.start), windowStart: new Date(this.pendingCatchUp.window.start).toISOString() }
        : null,
      message,
    };
  }

  history(limit: number): RunOutcomeView[] {
    const ids = this.options.db.prepare('SELECT id FROM refresh_runs ORDER BY id DESC LIMIT ?').pluck().all(limit) as number[];
    return ids.flatMap((id) => {
      const report = this.engine.report(id);
      return report ? [toOutcome(report)] : [];
    });
  }

  handlers(): Pick<
    IpcHandlers,
    | 'refresh.status'
    | 'refresh.start'
    | 'refresh.pause'
    | 'refresh.resume'
    | 'refresh.cancel'
    | 'refresh.history'
    | 'refresh.settings.get'
    | 'refresh.settings.update'
    | 'refresh.answerCatchUp'
    | 'supplier.refreshNow'
  > {
    return {
      'refresh.status': () => this.status(),
      'refresh.start': () => {
        const refused = this.launch('manual');
        // a whole-register run started by hand does what the catch-up would have done
        if (refused === null && this.pendingCatchUp) {
          this.settings.markCovered(this.pendingCatchUp.window.start);
          this.pendingCatchUp = null;
        }
        return this.status(refused);
      },
      'refresh.pause': () => {
        this.engine.pause();
        return this.status();
      },
      'refresh.resume': () => {
        try {
          if (this.engine.resume()) this.setRunning(true);
          return this.status();
        } catch (error) {
          const known = error instanceof TokenStillRefusedError || error instanceof RefreshLockedError;
          return this.status(known ? error.userMessage : 'La mise à jour n’a pas pu reprendre.');
        }
      },
      'refresh.cancel': () => {
        try {
          this.engine.cancel();
          return this.status();
        } catch (error) {
          if (!(error instanceof RefreshLockedError)) throw error;
          return this.status(error.userMessage);
        }
      },
      'refresh.history': ({ limit }) => this.history(limit),
      'refresh.settings.get': () => this.settingsPage(),
      'refresh.settings.update': (patch) => {
        this.updateSettings(patch);
        return this.settingsPage();
      },
      'refresh.answerCatchUp': ({ start }) => this.answerCatchUp(start),
      'supplier.refreshNow': ({ id }) => this.status(this.launch('manual', [id])),
    };
  }
}

function toProgressView(progress: RefreshProgress): RefreshProgressView {
  return {
    runId: progress.runId,
    state: progress.state,
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    skipped: progress.skipped,
    etaMs: progress.etaMs,
    elapsedMs: progress.elapsedMs,
    perPool: (Object.entries(progress.perPool) as [RateLimitPoolId, NonNullable<RefreshProgress['perPool'][RateLimitPoolId]>][]).map(
      ([pool, p]) => ({
        pool,
        label: RATE_LIMIT_POOLS[pool].label,
        total: p.total,
        done: p.done,
        failed: p.failed,
        ratePerMinute: p.ratePerMinute,
        limitPerMinute: (RATE_LIMIT_POOLS[pool].limit * 60_000) / RATE_LIMIT_POOLS[pool].windowMs,
        blockedUntil: p.blockedUntil === null ? null : new Date(p.blockedUntil).toISOString(),
      }),
    ),
    // the latest first, as the contract says (the executor appends them)
    errors: [...progress.errors]
      .sort((a, b) => b.at - a.at)
      .map((e) => ({ supplierId: e.supplierId, endpoint: e.endpoint, message: e.message, at: new Date(e.at).toISOString() })),
  };
}

function toOutcome(report: RunReport): RunOutcomeView {
  return {
    id: report.runId,
    state: report.state,
    trigger: report.trigger,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
  };
}
