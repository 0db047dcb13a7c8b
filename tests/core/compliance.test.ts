import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complianceCounts, complianceParams } from '../../src-main/node/register/compliance';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
beforeEach(() => {
  register = tempRegister();
});
afterEach(() => register.dispose());

function attestation(n: number, status: string, validUntil: string | null, fetchedAt = '2026-11-01T02:00:00Z') {
  register.db
    .prepare(
      `INSERT INTO attestations (siren, kind, endpoint, status, valid_until, fetched_at, raw_json)
       VALUES (?, 'urssaf_vigilance', 'urssaf.attestation_vigilance', ?, ?, ?, '{}')`,
    )
    .run(makeSiren(n), status, validUntil, fetchedAt);
}

describe('compliance at a glance', () => {
  it('classifies each active supplier from its latest URSSAF attestation, never calling an absence a refusal', () => {
    const repo = new SupplierRepository(register.db);
    for (let n = 1; n <= 7; n += 1) repo.upsert({ siren: makeSiren(n), siret: makeSiret(n), name: `F${n}` });
    repo.upsert({ siren: makeSiren(8), siret: makeSiret(8), name: 'Inactif', active: false });
    attestation(1, 'delivered', '2027-05-31');
    attestation(2, 'delivered', '2026-12-15');
    attestation(3, 'delivered', '2026-11-27');
    attestation(4, 'refused', null);
    attestation(5, 'refused', null, '2026-05-01T00:00:00Z');
    attestation(5, 'delivered', '2027-04-30', '2026-11-20T00:00:00Z'); // renewed since the refusal
    attestation(6, 'unknown', null);
    attestation(8, 'refused', null);
    const today = '2026-11-28';
    expect(complianceCounts(register.db, complianceParams(today, true))).toEqual({
      a_jour: 2,
      expire_bientot: 1,
      expiree: 1,
      refus: 1,
      inconnue: 2,
      non_habilite: 0,
    });
    expect(complianceCounts(register.db, complianceParams(today, false))).toMatchObject({ a_jour: 2, inconnue: 0, non_habilite: 2 });
  });
});

describe('the register filtered by compliance state', () => {
  it('lists only the suppliers in the chosen state', async () => {
    const { SupplierSearch } = await import('../../src-main/node/register/supplier-search');
    const repo = new SupplierRepository(register.db);
    for (let n = 1; n <= 4; n += 1) repo.upsert({ siren: makeSiren(n), siret: makeSiret(n), name: `F${n}` });
    attestation(1, 'delivered', '2027-05-31');
    attestation(2, 'refused', null);
    attestation(3, 'delivered', '2026-12-10');
    const search = new SupplierSearch(register.db);
    const params = complianceParams('2026-11-28', true);
    const names = (compliance: 'a_jour' | 'refus' | 'expire_bientot' | 'inconnue', text = '') =>
      search.search({ text, compliance }, params).rows.map((r) => r.name);
    expect(names('a_jour')).toEqual(['F1']);
    expect(names('refus')).toEqual(['F2']);
    expect(names('expire_bientot')).toEqual(['F3']);
    expect(names('inconnue')).toEqual(['F4']);
    expect(names('refus', 'f2')).toEqual(['F2']);
    expect(search.search({ compliance: 'refus', text: 'f' }, params).total).toBe(1);
    expect(() => search.search({ compliance: 'refus' })).toThrow(/compliance filter/);
  });
});
