// Vigie's own trace of every call to API Entreprise (who, when, what, why), kept as long as the
// providers keep theirs (36 months). Never the token, never a header: the record has no field for them.
import type { CallAttemptRecord } from '../api-entreprise/api-client';
import type { VigieDatabase } from '../db/database';

export const JOURNAL_RETENTION_MONTHS = 36;

export class CallJournal {
  private readonly insert;
  private readonly supplierBySiret;
  private readonly supplierBySiren;

  constructor(private readonly db: VigieDatabase) {
    this.insert = db.prepare(
      `INSERT INTO call_journal (at, endpoint, supplier_id, identifier, recipient, context, object, http_status, outcome, error_code, duration_ms, run_id)
       VALUES (@at, @endpoint, @supplierId, @identifier, @recipient, @context, @object, @httpStatus, @outcome, @errorCode, @durationMs, @runId)`,
    );
    this.supplierBySiret = db.prepare<[string], { id: number }>('SELECT id FROM suppliers WHERE siret = ?');
    this.supplierBySiren = db.prepare<[string], { id: number }>('SELECT id FROM suppliers WHERE siren = ? ORDER BY siret IS NOT NULL, id LIMIT 1');
  }

  record(attempt: CallAttemptRecord, runId: number | null = null): void {
    const id = attempt.identifier;
    const supplier = id === null ? undefined : id.length === 14 ? this.supplierBySiret.get(id) : this.supplierBySiren.get(id);
    this.insert.run({
      at: new Date(attempt.startedAt).toISOString(),
      endpoint: attempt.endpoint,
      supplierId: supplier?.id ?? null,
      identifier: id,
      recipient: attempt.context.recipient,
      context: attempt.context.context,
      object: attempt.context.object,
      httpStatus: attempt.httpStatus,
      outcome: attempt.outcome,
      errorCode: attempt.errorCode,
      durationMs: Math.round(attempt.durationMs),
      runId,
    });
  }

  /** Removes entries older than the retention period; returns how many went. */
  purge(now: Date): number {
    const limit = new Date(now);
    limit.setUTCMonth(limit.getUTCMonth() - JOURNAL_RETENTION_MONTHS);
    return this.db.prepare('DELETE FROM call_journal WHERE at < ?').run(limit.toISOString()).changes;
  }
}
