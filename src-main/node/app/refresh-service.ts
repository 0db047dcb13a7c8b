// The refresh engine as the app drives it: the nightly schedule, the runs asked from the UI, the
// status the "Mises à jour" screen polls, and the notification at the end of a run.
import { RATE_LIMIT_POOLS, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { ApiEntrepriseError } from '../api-entreprise/api-error';
import type { Clock } from '../clock';
import type { VigieDatabase } from '../db/database';
import type { Logger } from '../logger';
import type { AttemptJournal } from '../refresh/attempt-journal';
import { createRefreshEngine, TokenStillRefusedError, type RefreshEngine, type RefreshProgress, type RunReport } from '../refresh/refresh-engine';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { RefreshProgressView, RefreshStatus, RunOutcomeView } from '../../common/ipc-contract';
import type { TokenVault } from '../token/token-vault';
import type { ApiService } from './api-service';

/** The night starts at this local hour; the policy says how long it lasts. */
export const NIGHT_START_HOUR = 1;

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
}

/** The next start of the night window after `now`, in the computer's local time. */
export function nextNightStart(now: number, hour = NIGHT_START_HOUR): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime();
}

export class RefreshService {
  readonly engine: RefreshEngine;
  private cancelTimer: (() => void) | null = null;
  private nextRunAt: number | null = null;
  private running = false;

  constructor(private readonly options: RefreshServiceOptions) {
    const { api } = options;
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
    });
    this.engine.onFinished((end) => {
      this.setRunning(false);
      if (end.report && end.state !== 'paused' && end.state !== 'disposed') options.onFinished?.(end.report.summary);
    });
  }

  /** At start-up: resume a run a crash or a shutdown interrupted, and arm the nightly schedule. */
  start(): void {
    try {
      if (this.engine.resumeInterrupted()) this.setRunning(true);
    } catch (error) {
      this.options.logger.warn('refresh: interrupted run not resumed', { error: String(error).slice(0, 200) });
    }
    this.schedule();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.engine.dispose();
  }

  tokenChanged(): void {
    this.engine.setPrivileges(this.options.vault.privileges() ?? []);
  }

  private schedule(): void {
    this.cancelTimer?.();
    const now = this.options.clock.now();
    this.nextRunAt = nextNightStart(now);
    this.cancelTimer = this.options.clock.setTimer(() => {
      this.launch('night');
      this.schedule();
    }, this.nextRunAt - now);
  }

  private setRunning(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    this.options.onRunningChange?.(running);
  }

  private launch(trigger: 'night' | 'manual', supplierIds?: number[]): string | null {
    if (this.options.vault.summary().state === 'absent') return 'Aucun jeton API Entreprise n’est enregistré : ajoutez-le dans l’écran Jeton.';
    try {
      this.options.api.client();
      this.engine.setPrivileges(this.options.vault.privileges() ?? []);
      const handle = supplierIds
        ? this.engine.start(trigger, { supplierIds, force: true, bypassCache: true })
        : this.engine.start(trigger);
      this.setRunning(true);
      this.options.logger.info('refresh run started', { runId: handle.runId, trigger });
      return null;
    } catch (error) {
      if (error instanceof TokenStillRefusedError) return error.userMessage;
      const message = (error as { userMessage?: unknown; message?: unknown }).userMessage ?? (error as Error).message;
      this.options.logger.warn('refresh run not started', { error: String(message).slice(0, 200) });
      return typeof message === 'string' ? message : 'La mise à jour n’a pas pu démarrer.';
    }
  }

  status(message: string | null = null): RefreshStatus {
    const progress = this.engine.progress();
    const report = this.engine.lastReport();
    const isRunning = progress !== null && progress.state === 'running';
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
    'refresh.status' | 'refresh.start' | 'refresh.pause' | 'refresh.resume' | 'refresh.cancel' | 'refresh.history' | 'supplier.refreshNow'
  > {
    return {
      'refresh.status': () => this.status(),
      'refresh.start': () => this.status(this.launch('manual')),
      'refresh.pause': () => {
        this.engine.pause();
        return this.status();
      },
      'refresh.resume': () => {
        try {
          if (this.engine.resume()) this.setRunning(true);
          return this.status();
        } catch (error) {
          return this.status(error instanceof TokenStillRefusedError ? error.userMessage : 'La mise à jour n’a pas pu reprendre.');
        }
      },
      'refresh.cancel': () => {
        this.engine.cancel();
        return this.status();
      },
      'refresh.history': ({ limit }) => this.history(limit),
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
