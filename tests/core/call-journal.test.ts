import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallJournal } from '../../src-main/node/journal/call-journal';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
beforeEach(() => {
  register = tempRegister();
});
afterEach(() => register.dispose());

const context = { recipient: makeSiret(999), context: 'Gestion d’un référentiel tiers', object: 'Registre' };

describe('call journal', () => {
  it('records who, when, what and why, linked to the supplier, and nothing else', () => {
    new SupplierRepository(register.db).upsert({ siren: makeSiren(1), siret: makeSiret(1), name: 'A' });
    const journal = new CallJournal(register.db);
    journal.record({
      endpoint: 'urssaf.attestation_vigilance',
      identifier: makeSiren(1),
      context,
      startedAt: Date.UTC(2026, 10, 28, 2),
      durationMs: 312.4,
      attempt: 1,
      httpStatus: 200,
      outcome: 'ok',
      errorCode: null,
      cached: false,
    });
    const row = register.db.prepare('SELECT * FROM call_journal').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      at: '2026-11-28T02:00:00.000Z',
      endpoint: 'urssaf.attestation_vigilance',
      supplier_id: 1,
      recipient: context.recipient,
      object: 'Registre',
      http_status: 200,
      outcome: 'ok',
      duration_ms: 312,
    });
    const columns = register.db.prepare("SELECT name FROM pragma_table_info('call_journal')").pluck().all() as string[];
    expect(columns.filter((c) => /token|auth|header/i.test(c))).toEqual([]);
  });

  it('keeps 36 months and purges what is older', () => {
    const journal = new CallJournal(register.db);
    const base = { endpoint: 'insee.unite_legale' as const, identifier: makeSiren(2), context, durationMs: 1, attempt: 1, httpStatus: 404, outcome: 'not_found' as const, errorCode: '04003', cached: false };
    journal.record({ ...base, startedAt: Date.UTC(2023, 10, 27) });
    journal.record({ ...base, startedAt: Date.UTC(2023, 10, 29) });
    expect(journal.purge(new Date(Date.UTC(2026, 10, 28)))).toBe(1);
    expect(register.db.prepare('SELECT count(*) FROM call_journal').pluck().get()).toBe(1);
  });
});
