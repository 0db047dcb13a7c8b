// What changed after a run: the pure comparisons, then a scripted scenario through the whole engine
// with hand-written normalized records (the fake API's companies do not change between two runs):
// a company ceases, an address changes, URSSAF refuses, attestations are renewed, a new head office
// appears, an attestation lapses while its provider is down. The run's report lists them and sums
// them up in one French line.
import { afterEach, describe, expect, it } from 'vitest';
import type { AttestationRecord, CompanyRecord, EstablishmentRecord, NormalizedAnswer } from '../../src-main/common/company-records';
import type { ApiCallResult, CallAttemptRecord } from '../../src-main/node/api-entreprise/api-client';
import { ApiEntrepriseError, type ApiErrorKind } from '../../src-main/node/api-entreprise/api-error';
import type { EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { RateLimiter } from '../../src-main/node/api-entreprise/rate-limiter';
import { type Clock, systemClock } from '../../src-main/node/clock';
import { AttemptJournal } from '../../src-main/node/refresh/attempt-journal';
import { attestationChanges, companyChanges, establishmentChanges } from '../../src-main/node/refresh/change-detector';
import { frenchDate } from '../../src-main/node/refresh/french-format';
import { DAY_MS, expectedDgfipPeriod } from '../../src-main/node/refresh/freshness-policy';
import type { RefreshApiClient } from '../../src-main/node/refresh/refresh-executor';
import { createRefreshEngine } from '../../src-main/node/refresh/refresh-engine';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

const SIREN = makeSiren(42);
const SIRET = makeSiret(42);

function company(siren: string, fields: Partial<CompanyRecord> = {}): CompanyRecord {
  return {
    siren,
    name: 'ALPHA BATIMENT',
    legalForm: { code: '5710', label: 'SAS' },
    activity: { code: '43.99C', label: 'Travaux de maçonnerie' },
    administrativeStatus: 'active',
    ceasedOn: null,
    diffusion: 'diffusible',
    createdOn: '2001-03-01',
    headOfficeSiret: null,
    category: 'PME',
    ...fields,
  };
}

function establishment(siret: string, street: string, postalCode: string, city: string, fields: Partial<EstablishmentRecord> = {}): EstablishmentRecord {
  return {
    siret,
    siren: siret.slice(0, 9),
    name: null,
    isHeadOffice: true,
    address: { street, postalCode, city, country: 'FRANCE' },
    activity: null,
    administrativeStatus: 'active',
    closedOn: null,
    diffusion: 'diffusible',
    ...fields,
  };
}

function attestation(kind: 'urssaf_vigilance' | 'dgfip_fiscale', siren: string, fields: Partial<AttestationRecord>): AttestationRecord {
  return {
    kind,
    siren,
    siret: null,
    status: 'delivered',
    statusLabel: null,
    validFrom: null,
    validUntil: null,
    issuedOn: null,
    periodAnalyzed: null,
    securityCode: null,
    documentUrl: null,
    documentUrlExpiresInSeconds: null,
    details: {},
    ...fields,
  };
}

describe('comparing before and after', () => {
  it.each<[string, Parameters<typeof companyChanges>[0], CompanyRecord, string[]]>([
    ['first sight of an active company', null, company(SIREN), []],
    ['first sight of a ceased company', null, company(SIREN, { administrativeStatus: 'ceased', ceasedOn: '2026-10-15' }), ['company_ceased']],
    ['a company that ceases', { name: 'ALPHA BATIMENT', administrativeStatus: 'active', ceasedOn: null, headOfficeSiret: SIRET }, company(SIREN, { administrativeStatus: 'ceased', headOfficeSiret: SIRET }), ['company_ceased']],
    ['a company already known as ceased', { name: 'ALPHA BATIMENT', administrativeStatus: 'ceased', ceasedOn: '2026-10-15', headOfficeSiret: null }, company(SIREN, { administrativeStatus: 'ceased' }), []],
    ['the same name, other case and spaces', { name: 'Alpha  Batiment', administrativeStatus: 'active', ceasedOn: null, headOfficeSiret: null }, company(SIREN), []],
    ['a new name', { name: 'ALPHA BTP', administrativeStatus: 'active', ceasedOn: null, headOfficeSiret: null }, company(SIREN), ['company_name_changed']],
    ['a new head office', { name: 'ALPHA BATIMENT', administrativeStatus: 'active', ceasedOn: null, headOfficeSiret: SIRET }, company(SIREN, { headOfficeSiret: makeSiret(42, 2) }), ['new_establishment']],
  ])('company: %s', (_label, before, after, kinds) => {
    expect(companyChanges(before, after).map((c) => c.kind)).toEqual(kinds);
  });

  it('describes a cessation in French, with its date', () => {
    expect(companyChanges(null, company(SIREN, { administrativeStatus: 'ceased', ceasedOn: '2026-10-15' }))[0]?.description).toBe('Entreprise cessée le 15/10/2026');
  });

  it.each<[string, Parameters<typeof establishmentChanges>[0], EstablishmentRecord, string[]]>([
    ['first sight', null, establishment(SIRET, '1 RUE DE LA PAIX', '75002', 'PARIS'), []],
    ['the same address, other case', { siret: SIRET, address: '1 rue de la Paix', postalCode: '75002', city: 'Paris', administrativeStatus: 'active' }, establishment(SIRET, '1 RUE DE LA PAIX', '75002', 'PARIS'), []],
    ['a move', { siret: SIRET, address: '1 RUE DE LA PAIX', postalCode: '75002', city: 'PARIS', administrativeStatus: 'active' }, establishment(SIRET, '5 AVENUE FOCH', '69006', 'LYON'), ['address_changed']],
    ['a closure', { siret: SIRET, address: '1 RUE DE LA PAIX', postalCode: '75002', city: 'PARIS', administrativeStatus: 'active' }, establishment(SIRET, '1 RUE DE LA PAIX', '75002', 'PARIS', { administrativeStatus: 'ceased', closedOn: '2026-11-02' }), ['establishment_closed']],
    ['another head office', { siret: SIRET, address: '1 RUE DE LA PAIX', postalCode: '75002', city: 'PARIS', administrativeStatus: 'active' }, establishment(makeSiret(42, 2), '5 AVENUE FOCH', '69006', 'LYON'), ['new_establishment', 'address_changed']],
  ])('establishment: %s', (_label, before, after, kinds) => {
    expect(establishmentChanges(before, after).map((c) => c.kind)).toEqual(kinds);
  });

  const TODAY = '2026-11-28';
  it.each<[string, Parameters<typeof attestationChanges>[1], AttestationRecord, string[]]>([
    ['first URSSAF attestation', null, attestation('urssaf_vigilance', SIREN, { validUntil: '2027-05-31' }), []],
    ['a refusal, first seen', null, attestation('urssaf_vigilance', SIREN, { status: 'refused' }), ['urssaf_refused']],
    ['a refusal already known', { status: 'refused', validUntil: null, periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { status: 'refused' }), []],
    ['an unknown status: an absence of yes is not a no', { status: 'delivered', validUntil: '2027-01-31', periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { status: 'unknown' }), []],
    ['renewed', { status: 'delivered', validUntil: '2027-01-31', periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { validUntil: '2027-05-31' }), ['attestation_renewed']],
    ['the same attestation again', { status: 'delivered', validUntil: '2027-05-31', periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { validUntil: '2027-05-31' }), []],
    ['delivered again after a refusal', { status: 'refused', validUntil: null, periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { validUntil: '2027-05-31' }), ['attestation_renewed']],
    ['served although already over', { status: 'delivered', validUntil: '2026-11-30', periodAnalyzed: null }, attestation('urssaf_vigilance', SIREN, { validUntil: '2026-11-27' }), ['attestation_expired']],
    ['a new DGFIP period', { status: 'delivered', validUntil: null, periodAnalyzed: '2026-09-30' }, attestation('dgfip_fiscale', SIREN, { periodAnalyzed: '2026-10-31' }), ['attestation_renewed']],
  ])('attestation: %s', (_label, before, after, kinds) => {
    const endpoint: EndpointId = after.kind === 'dgfip_fiscale' ? 'dgfip.attestation_fiscale' : 'urssaf.attestation_vigilance';
    expect(attestationChanges(endpoint, before, after, TODAY).map((c) => c.kind)).toEqual(kinds);
  });
});

/** A client answering hand-written records, with the attempts journaled like the real one. */
class ScriptedClient implements RefreshApiClient {
  tokenRefusal: ApiEntrepriseError | null = null;
  readonly answers = new Map<string, NormalizedAnswer | ApiErrorKind>();
  calls = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onAttempt: (record: CallAttemptRecord) => void,
  ) {}

  async call(endpoint: EndpointId, identifier: string | null): Promise<ApiCallResult> {
    this.calls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    const answer = this.answers.get(`${endpoint}|${identifier}`) ?? 'not_found';
    const failed = typeof answer === 'string';
    const status = failed ? ({ not_found: 404, provider_unavailable: 503 } as Record<string, number>)[answer] ?? 500 : 200;
    this.onAttempt({
      endpoint,
      identifier,
      context: { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Scénario' },
      startedAt: this.clock.now(),
      durationMs: 1,
      attempt: 1,
      httpStatus: status,
      outcome: failed ? answer : 'ok',
      errorCode: null,
      cached: false,
    });
    if (failed) {
      throw new ApiEntrepriseError({ kind: answer, endpoint, status, code: null, provider: null, retryInSeconds: null, retryAfterMs: null, detail: `scripted ${answer}` });
    }
    return { endpoint, identifier, status: 200, cached: false, receivedAt: this.clock.now(), attempts: 1, payload: { scripted: true }, normalized: answer, document: null };
  }
}

const answer = (parts: Partial<NormalizedAnswer>): NormalizedAnswer => ({ company: null, establishment: null, attestations: [], facts: {}, ...parts });

describe('the changes of a run, scripted', () => {
  const registers: ReturnType<typeof tempRegister>[] = [];
  afterEach(() => {
    for (const register of registers.splice(0)) register.dispose();
  });

  it('lists what changed between two runs, in the report and in one French line', async () => {
    const register = tempRegister();
    registers.push(register);
    const T0 = Date.now();
    let offset = 0;
    const clock: Clock = { now: () => T0 + offset, setTimer: systemClock.setTimer };
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const attempts = new AttemptJournal(register.db);
    const client = new ScriptedClient(clock, attempts.hook);
    const engine = createRefreshEngine({
      db: register.db,
      client,
      limiter: new RateLimiter({ clock }),
      attempts,
      clock,
      privileges: 'all',
      policy: { maxAttemptsPerJob: 1 },
    });

    // six suppliers: Alpha ceases, Bravo moves, Charlie is refused by URSSAF, Delta renews, Echo renames and
    // moves its head office, Foxtrot's attestation lapses while URSSAF is down
    const names = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT'];
    const repository = new SupplierRepository(register.db, () => new Date(T0 - DAY_MS).toISOString());
    const ids = names.map((name, i) => {
      repository.upsert({ siren: makeSiren(100 + i), siret: makeSiret(100 + i), name });
      return { name, siren: makeSiren(100 + i), siret: makeSiret(100 + i) };
    });
    const script = (overrides: Record<string, Partial<Record<EndpointId, NormalizedAnswer | ApiErrorKind>>>) => {
      for (const { name, siren, siret } of ids) {
        const own = overrides[name] ?? {};
        const set = (endpoint: EndpointId, identifier: string, fallback: NormalizedAnswer) => client.answers.set(`${endpoint}|${identifier}`, own[endpoint] ?? fallback);
        set('insee.unite_legale', siren, answer({ company: company(siren, { name, headOfficeSiret: siret }) }));
        set('insee.etablissement', siret, answer({ establishment: establishment(siret, `1 RUE ${name}`, '75001', 'PARIS') }));
        set('urssaf.attestation_vigilance', siren, answer({ attestations: [attestation('urssaf_vigilance', siren, { validUntil: day(T0 + 150 * DAY_MS) })] }));
        set('dgfip.attestation_fiscale', siren, answer({ attestations: [attestation('dgfip_fiscale', siren, { periodAnalyzed: expectedDgfipPeriod(T0) })] }));
      }
    };
    type Party = { name: string; siren: string; siret: string };
    const party = (index: number): Party => ids[index] as Party;
    const [alpha, bravo, charlie, delta, echo, foxtrot] = [0, 1, 2, 3, 4, 5].map(party) as [Party, Party, Party, Party, Party, Party];
    script({
      FOXTROT: { 'urssaf.attestation_vigilance': answer({ attestations: [attestation('urssaf_vigilance', foxtrot.siren, { validUntil: day(T0 + 20 * DAY_MS) })] }) },
    });
    const first = await engine.start('night').finished;
    expect(first.state).toBe('completed');
    expect(first.report?.changes).toEqual([]);
    expect(first.report?.summary).toBe('Registre mis à jour : 24 vérifications, aucun changement.');

    // forty days later: everything is due again
    offset = 40 * DAY_MS;
    const T1 = T0 + offset;
    script({
      ALPHA: { 'insee.unite_legale': answer({ company: company(alpha.siren, { name: 'ALPHA', administrativeStatus: 'ceased', ceasedOn: day(T0 + 30 * DAY_MS), headOfficeSiret: alpha.siret }) }) },
      BRAVO: { 'insee.etablissement': answer({ establishment: establishment(bravo.siret, '5 AVENUE FOCH', '69006', 'LYON') }) },
      CHARLIE: { 'urssaf.attestation_vigilance': answer({ attestations: [attestation('urssaf_vigilance', charlie.siren, { status: 'refused', statusLabel: 'Refus de délivrance' })] }) },
      DELTA: {
        'urssaf.attestation_vigilance': answer({ attestations: [attestation('urssaf_vigilance', delta.siren, { validUntil: day(T1 + 180 * DAY_MS) })] }),
        'dgfip.attestation_fiscale': answer({ attestations: [attestation('dgfip_fiscale', delta.siren, { periodAnalyzed: expectedDgfipPeriod(T1) })] }),
      },
      ECHO: { 'insee.unite_legale': answer({ company: company(echo.siren, { name: 'ECHO RENOVATION', headOfficeSiret: makeSiret(104, 2) }) }) },
      FOXTROT: { 'urssaf.attestation_vigilance': 'provider_unavailable' },
    });
    const second = await engine.start('night').finished;
    expect(second.state).toBe('completed');
    const report = second.report;
    expect(report?.changes.map((c) => [c.supplierName, c.kind]).sort()).toEqual(
      [
        ['ALPHA', 'company_ceased'],
        ['BRAVO', 'address_changed'],
        ['CHARLIE', 'urssaf_refused'],
        ['DELTA', 'attestation_renewed'],
        ['DELTA', 'attestation_renewed'],
        ['ECHO', 'company_name_changed'],
        ['ECHO', 'new_establishment'],
        ['FOXTROT', 'attestation_expired'],
      ].sort(),
    );
    const described = (kind: string) => report?.changes.filter((c) => c.kind === kind).map((c) => c.description);
    expect(described('company_ceased')).toEqual([`Entreprise cessée le ${frenchDate(T0 + 30 * DAY_MS)}`]);
    expect(described('address_changed')).toEqual(['Adresse modifiée : « 1 RUE BRAVO, 75001 PARIS » devient « 5 AVENUE FOCH, 69006 LYON »']);
    expect(described('urssaf_refused')?.[0]).toMatch(/^URSSAF refuse de délivrer l’attestation de vigilance/);
    expect(described('company_name_changed')).toEqual(['Dénomination modifiée : « ECHO » devient « ECHO RENOVATION »']);
    expect(described('new_establishment')).toEqual([`Nouvel établissement siège : SIRET ${makeSiret(104, 2)} (auparavant ${echo.siret})`]);
    expect(described('attestation_expired')).toEqual([`Attestation de vigilance (URSSAF) expirée le ${frenchDate(T0 + 20 * DAY_MS)}`]);
    expect(described('attestation_renewed')?.sort()).toEqual(
      [
        `Attestation de vigilance (URSSAF) renouvelée : valable jusqu’au ${frenchDate(T1 + 180 * DAY_MS)}`,
        `Attestation fiscale (DGFIP) renouvelée : période analysée au ${frenchDate(Date.parse(expectedDgfipPeriod(T1)))}`,
      ].sort(),
    );
    expect(report?.summary).toBe(
      'Registre mis à jour : 23 vérifications, 8 changements (1 entreprise cessée, 1 dénomination modifiée, 1 adresse modifiée, ' +
        '1 nouvel établissement, 1 refus URSSAF, 1 attestation expirée, 2 attestations renouvelées), 1 erreur (données précédentes conservées).',
    );
    // stored with the run, and what the app shows afterwards
    expect(register.db.prepare('SELECT count(*) FROM refresh_changes WHERE run_id = ?').pluck().get(second.runId)).toBe(8);
    expect(engine.lastReport()).toEqual(report);
    const foxtrotId = register.db.prepare('SELECT id FROM suppliers WHERE siren = ?').pluck().get(foxtrot.siren) as number;
    expect(engine.supplierFreshness(foxtrotId)).toMatchObject({
      degraded: true,
      dataAsOfLabel: `données au ${frenchDate(T0)}`,
      lastError: 'Attestation de vigilance (URSSAF) : Le fournisseur de données est indisponible : nouvel essai plus tard.',
    });
    // the refusal is not a failure of the run, and its attestation row says "refused", nothing else
    expect(register.db.prepare(`SELECT status FROM attestations WHERE siren = ? AND kind = 'urssaf_vigilance' ORDER BY id DESC LIMIT 1`).pluck().get(charlie.siren)).toBe('refused');
    // the journal holds the scripted attempts, with their run
    expect(register.db.prepare('SELECT count(*) FROM call_journal WHERE run_id = ?').pluck().get(second.runId)).toBe(client.calls - 24);

    // a third run the same day: nothing changes again, and the ceased company is no longer asked for attestations
    const plan = engine.plan();
    expect(plan.tonight.filter((item) => item.identifier === alpha.siren)).toEqual([]);
  });
});
