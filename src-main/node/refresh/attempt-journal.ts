// Routes the client's `onAttempt` records to the call journal. While the engine runs a job, the
// attempts of its call are held and written in the job's own transaction, with its data and its new
// state: after a crash, a job is either done with its journal lines, or not done and without them,
// so a resumed job is journaled once for its committed call. Calls made outside a job (a lookup
// from the UI) are journaled at once.
//
// Trade-off, documented: a call answered in the instant between the answer and the commit of a
// process that is killed leaves no journal line (at most one per worker); the job row keeps its
// attempt count and claim time, and the provider keeps its own 36-month trace. Journaling each
// attempt at once instead would write lines for calls whose data was never committed and whose
// job runs again, which breaks the one-job-one-line reading the journal offers.
//
// Wiring (the owner does it once):
//   const attempts = new AttemptJournal(db, logger);
//   const { client, limiter } = createApiClient({ ..., overrides: { onAttempt: attempts.hook } });
//   const engine = createRefreshEngine({ db, client, limiter, attempts, ... });
import type { CallAttemptRecord } from '../api-entreprise/api-client';
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import { CallJournal } from '../journal/call-journal';
import { type Logger, silentLogger } from '../logger';

export interface AttemptCapture {
  /** Stops holding and returns the attempts seen since `capture` (each once). */
  take(): CallAttemptRecord[];
}

export function attemptKey(endpoint: EndpointId, identifier: string | null): string {
  return `${endpoint}|${identifier ?? ''}`;
}

export class AttemptJournal {
  readonly journal: CallJournal;
  private readonly held = new Map<string, CallAttemptRecord[]>();

  constructor(
    db: VigieDatabase,
    private readonly logger: Logger = silentLogger,
  ) {
    this.journal = new CallJournal(db);
  }

  /** Give this to the client as `onAttempt`. */
  readonly hook = (record: CallAttemptRecord): void => {
    const held = this.held.get(attemptKey(record.endpoint, record.identifier));
    if (held) {
      held.push(record);
      return;
    }
    try {
      this.journal.record(record, null);
    } catch (error) {
      // never turn a journal write into a failed call: the answer is already there
      this.logger.error('call journal write failed', { endpoint: record.endpoint, error: String(error) });
    }
  };

  /**
   * Holds the attempts of the call for (endpoint, identifier) until `take()`. A run has one job per
   * (endpoint, identifier), so the key is unambiguous while the engine runs one run at a time.
   */
  capture(endpoint: EndpointId, identifier: string): AttemptCapture {
    const key = attemptKey(endpoint, identifier);
    const records: CallAttemptRecord[] = [];
    this.held.set(key, records);
    return {
      take: () => {
        if (this.held.get(key) === records) this.held.delete(key);
        return records.splice(0);
      },
    };
  }

  /** Writes held attempts; call inside the job's transaction. */
  write(records: readonly CallAttemptRecord[], runId: number): void {
    for (const record of records) this.journal.record(record, runId);
  }
}
