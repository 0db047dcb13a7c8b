import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { importReportSchema, type ColumnMapping, type ImportReport } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import { UserFacingError } from '../user-facing-error';
import { importSuppliersCsv } from './csv-import';

/** One preview or commit of a CSV file: plain data, so it can cross to a worker thread. */
export interface ImportRequest {
  filePath: string;
  dryRun: boolean;
  mapping?: ColumnMapping;
  fileName?: string;
}

/** Runs `importSuppliersCsv` somewhere: on the calling thread, or on a worker with its own connection. */
export interface ImportRunner {
  run(request: ImportRequest): Promise<ImportReport>;
  /** Stops any import still running (its transaction is never committed). */
  close(): void;
}

/** Today's behaviour: the import runs on the caller's thread and connection (CLI, tests, harness). */
export function inProcessImportRunner(db: VigieDatabase, now?: () => string): ImportRunner {
  return {
    run: (request) =>
      importSuppliersCsv(db, request.filePath, { dryRun: request.dryRun, mapping: request.mapping, fileName: request.fileName, now }),
    close: () => {},
  };
}

/** What the worker receives: the database to open and the job, nothing else. */
export interface ImportWorkerData {
  databasePath: string;
  nativeBinding?: string;
  busyTimeoutMs: number;
  request: ImportRequest & { now: string };
}

const workerFailureSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** errno (ENOENT...) or SQLite (SQLITE_BUSY...) code, kept so the caller maps it as it would in process. */
  code: z.string().optional(),
  /** Set when the failure was a UserFacingError. */
  userFacingCode: z.enum(['bad-input', 'not-found']).optional(),
  detail: z.string().optional(),
});
export type ImportWorkerFailure = z.infer<typeof workerFailureSchema>;

const workerOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), report: importReportSchema }),
  z.object({ ok: z.literal(false), error: workerFailureSchema }),
]);
export type ImportWorkerOutcome = z.infer<typeof workerOutcomeSchema>;

export interface WorkerImportRunnerOptions {
  databasePath: string;
  /** better-sqlite3 built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /** The built worker entry (csv-import-worker.js next to main.js in the app). */
  workerPath: string | URL;
  execArgv?: string[];
  /** The import's timestamp, read once per job on the calling thread (its clock may be a test clock). */
  now?: () => string;
  /** How long the worker waits for another connection's write to finish before giving up. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 60_000;

/** The worker could not do the job at all (not started, crashed, answered nonsense): nothing was committed. */
export class ImportWorkerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportWorkerUnavailableError';
  }
}

/**
 * Runs each import in a fresh worker thread with its own connection to the same WAL database, so a
 * large file never blocks the main process. The worker is gone when the promise settles.
 */
export function workerImportRunner(options: WorkerImportRunnerOptions): ImportRunner {
  const running = new Set<Worker>();
  const now = options.now ?? (() => new Date().toISOString());
  return {
    run: (request) =>
      new Promise<ImportReport>((resolve, reject) => {
        const workerData: ImportWorkerData = {
          databasePath: options.databasePath,
          nativeBinding: options.nativeBinding,
          busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
          request: { filePath: request.filePath, dryRun: request.dryRun, mapping: request.mapping, fileName: request.fileName, now: now() },
        };
        let worker: Worker;
        try {
          worker = new Worker(options.workerPath, { workerData, execArgv: options.execArgv });
        } catch (error) {
          reject(new ImportWorkerUnavailableError(`csv import worker not started: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
          return;
        }
        running.add(worker);
        let outcome: ImportWorkerOutcome | null = null;
        let failure: Error | null = null;
        worker.once('message', (message: unknown) => {
          const parsed = workerOutcomeSchema.safeParse(message);
          if (parsed.success) outcome = parsed.data;
          else failure = new ImportWorkerUnavailableError('csv import worker answered with a malformed report');
          // the worker closed its connection before answering: nothing left for it to do
          void worker.terminate();
        });
        worker.once('error', (error) => {
          failure = new ImportWorkerUnavailableError(`csv import worker crashed: ${error.message}`, { cause: error });
        });
        // settle once the thread is gone, so no caller ever sees a worker left running
        worker.once('exit', (exitCode) => {
          running.delete(worker);
          if (outcome?.ok) resolve(outcome.report);
          else if (outcome) reject(errorFromWorker(outcome.error));
          else reject(failure ?? new ImportWorkerUnavailableError(`csv import worker stopped (exit code ${exitCode}) before answering`));
        });
      }),
    close: () => {
      for (const worker of running) void worker.terminate();
    },
  };
}

/**
 * The worker first, the calling thread when the worker cannot run at all (a packaging problem, a
 * crash): the import then blocks the window as it used to, but it still happens. Safe to repeat:
 * a worker that failed committed nothing. After one such failure the session stays in process.
 */
export function importRunnerWithFallback(primary: ImportRunner, fallback: ImportRunner, onFallback: (error: ImportWorkerUnavailableError) => void): ImportRunner {
  let useFallback = false;
  return {
    run: async (request) => {
      if (useFallback) return fallback.run(request);
      try {
        return await primary.run(request);
      } catch (error) {
        if (!(error instanceof ImportWorkerUnavailableError)) throw error;
        useFallback = true;
        onFallback(error);
        return fallback.run(request);
      }
    },
    close: () => {
      primary.close();
      fallback.close();
    },
  };
}

/** Rebuilds the worker's failure as the in-process import would have thrown it (asFileError reads `code`). */
function errorFromWorker(failure: ImportWorkerFailure): Error {
  if (failure.userFacingCode) return new UserFacingError(failure.userFacingCode, failure.message, failure.detail);
  if (failure.code?.startsWith('SQLITE_BUSY')) {
    return new UserFacingError(
      'bad-input',
      'Le registre est occupé par une autre opération : rien n’a été importé. Réessayez dans un instant.',
      `${failure.code}: ${failure.message}`,
    );
  }
  const error = new Error(failure.message) as NodeJS.ErrnoException;
  error.name = failure.name;
  if (failure.code) error.code = failure.code;
  return error;
}

/** The worker's side of `errorFromWorker`: only plain data crosses the thread boundary. */
export function describeImportFailure(error: unknown): ImportWorkerFailure {
  if (error instanceof UserFacingError) {
    return { name: error.name, message: error.message, userFacingCode: error.code, detail: error.detail };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    code: typeof code === 'string' ? code : undefined,
  };
}
