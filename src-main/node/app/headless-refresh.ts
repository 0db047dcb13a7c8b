// One refresh run without a window, for a scheduled task: `Vigie --headless-refresh` (Windows Task
// Scheduler, cron) and `npm run cli -- refresh`. A run a crash or a kill interrupted is resumed,
// otherwise the night's run starts (which itself resumes a paused one); the caller waits for its end
// and exits with a code that says how it went. The codes are the same for the app and the CLI.
import type { VigieDatabase } from '../db/database';
import type { Logger } from '../logger';
import { type ExecutionEnd, type RefreshEngine, type RefreshTrigger, TokenStillRefusedError } from '../refresh/refresh-engine';
import { RefreshLockedError } from '../refresh/refresh-lock';
import { RefreshStore, type RunState } from '../refresh/refresh-store';
import type { RunReport } from '../refresh/run-report';
import { UserFacingError } from '../user-facing-error';
import type { VigieCore } from './vigie-core';

/** Exit codes of `npm run cli -- refresh` and `Vigie --headless-refresh` (documented in the README). */
export const REFRESH_EXIT = {
  /** The run completed and every planned job got its answer. */
  completed: 0,
  /** Nothing refreshed: no token, token refused or expired, the run could not start, or it stopped on an error. */
  error: 1,
  /** Incomplete or invalid command (CLI only). */
  usage: 2,
  /** The run completed, but some data could not be obtained for now (kept as it was) or was postponed to the next night. */
  partial: 3,
  /** The run was paused before its end (a signal, or Vigie opened meanwhile): the next call resumes it. */
  paused: 4,
  /**
   * Another Vigie runs the refresh: an open Vigie was asked to run it (headless), or another process
   * (Vigie, the command line, a scheduled task) already runs one on this register (its lock is held).
   */
  handedOver: 5,
} as const;

export type RefreshExitCode = (typeof REFRESH_EXIT)[keyof typeof REFRESH_EXIT];

/** How a run ended, as far as the exit code is concerned. */
export interface RunEnding {
  state: ExecutionEnd['state'];
  report: Pick<RunReport, 'counts'> | null;
}

/** The exit code of a run that ended. */
export function refreshExitCode(end: RunEnding): RefreshExitCode {
  switch (end.state) {
    case 'completed': {
      const counts = end.report?.counts;
      // without its report, nothing proves that every job got its answer
      if (!counts) return REFRESH_EXIT.partial;
      return counts.failed + counts.skipped + counts.pending === 0 ? REFRESH_EXIT.completed : REFRESH_EXIT.partial;
    }
    case 'stopped_token':
    case 'interrupted':
    case 'cancelled':
      return REFRESH_EXIT.error;
    default:
      // paused, or stopped without touching the run ('disposed'): it resumes next time
      return REFRESH_EXIT.paused;
  }
}

export interface OneRun {
  runId: number;
  /** The state of the unfinished run this call resumed ('running' after a crash or a kill), or null for a new run. */
  resumedFrom: RunState | null;
  end: ExecutionEnd;
}

/**
 * Resumes the run a crash or a kill interrupted, or else starts one (a paused run, or one stopped on
 * a refused token, is resumed by `start`), and resolves when it stops. `onStarted` runs once the run
 * executes, e.g. to listen for signals. Throws what `start` throws (TokenStillRefusedError...).
 */
export async function runOneRefresh(
  engine: RefreshEngine,
  db: VigieDatabase,
  trigger: RefreshTrigger,
  onStarted?: (runId: number) => void,
): Promise<OneRun> {
  const unfinished = new RefreshStore(db).unfinishedRun();
  const handle = engine.resumeInterrupted() ?? engine.start(trigger);
  const resumedFrom = unfinished !== null && unfinished.id === handle.runId ? unfinished.state : null;
  onStarted?.(handle.runId);
  const end = await handle.finished;
  return { runId: handle.runId, resumedFrom, end };
}

export interface HeadlessRefreshResult {
  exitCode: RefreshExitCode;
  /** French, one line: the run's summary, or why no run took place. */
  message: string;
  runId: number | null;
  resumedFrom: RunState | null;
}

/** Token states in which no call may be made: the user has to store a new token first. */
const UNUSABLE_TOKEN_STATES: ReadonlySet<string> = new Set(['absent', 'expire', 'revoque', 'refuse']);

/**
 * The app's scheduled refresh (`Vigie --headless-refresh`): one run of the core's refresh engine,
 * with the token, the commune and the environment of the settings, awaited to its end.
 */
export async function runHeadlessRefresh(core: Pick<VigieCore, 'db' | 'vault' | 'api' | 'refresh'>, logger: Logger): Promise<HeadlessRefreshResult> {
  const notStarted = (message: string): HeadlessRefreshResult => {
    logger.warn('headless refresh not started', { message });
    return { exitCode: REFRESH_EXIT.error, message, runId: null, resumedFrom: null };
  };
  const token = core.vault.summary();
  if (UNUSABLE_TOKEN_STATES.has(token.state)) return notStarted(token.message);
  const engine = core.refresh.engine;
  // an open Vigie refused by the lock says « ligne de commande ou tâche planifiée »
  engine.lockHolderKind = 'headless';
  let run: OneRun;
  try {
    // throws a French error when the commune's SIRET is not set
    core.api.client();
    engine.setPrivileges(core.vault.privileges() ?? []);
    run = await runOneRefresh(engine, core.db, 'night', (runId) => logger.info('headless refresh running', { runId }));
  } catch (error) {
    if (error instanceof TokenStillRefusedError) return notStarted(error.userMessage);
    if (error instanceof RefreshLockedError) {
      logger.warn('headless refresh not started: another process runs one', { holderPid: error.holder?.pid ?? null });
      return { exitCode: REFRESH_EXIT.handedOver, message: error.userMessage, runId: null, resumedFrom: null };
    }
    if (error instanceof UserFacingError) return notStarted(error.message);
    logger.error('headless refresh failed', { error: String(error).slice(0, 500) });
    return { exitCode: REFRESH_EXIT.error, message: 'La mise à jour n’a pas pu démarrer : le détail est dans le journal de Vigie.', runId: null, resumedFrom: null };
  }
  const { end } = run;
  const exitCode = refreshExitCode(end);
  const message = end.report?.summary ?? end.error ?? 'Mise à jour du registre en pause : elle reprendra au prochain lancement.';
  logger.info('headless refresh ended', { runId: run.runId, state: end.state, exitCode, resumedFrom: run.resumedFrom });
  return { exitCode, message, runId: run.runId, resumedFrom: run.resumedFrom };
}
