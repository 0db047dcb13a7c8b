// The freshness policy: its settings schema and what it decides is due, case by case.
import { describe, expect, it } from 'vitest';
import type { EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import {
  callsFor,
  DAY_MS,
  decideDue,
  DEFAULT_FRESHNESS_POLICY,
  type EndpointHistory,
  expectedDgfipPeriod,
  freshnessPolicySchema,
  monthStart,
  nextMonthStart,
  parseFreshnessPolicy,
} from '../../src-main/node/refresh/freshness-policy';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0); // 28 November 2026, 02:00 UTC
const policy = DEFAULT_FRESHNESS_POLICY;
const daysAgo = (n: number) => NOW - n * DAY_MS;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const checked = (at: number, attestation: EndpointHistory['attestation'] = null): EndpointHistory => ({
  lastCheckedAt: at,
  lastSuccessAt: at,
  attestation,
});
const urssaf = (at: number, validUntil: string | null, status: 'delivered' | 'refused' | 'unknown' = 'delivered') =>
  checked(at, { status, validUntil, periodAnalyzed: null });
const dgfip = (at: number, periodAnalyzed: string | null) => checked(at, { status: periodAnalyzed ? 'delivered' : 'unknown', validUntil: null, periodAnalyzed });

interface Case {
  label: string;
  endpoint: EndpointId;
  history?: EndpointHistory;
  ceased?: boolean;
  due: boolean;
  reason?: string;
}

const CASES: Case[] = [
  { label: 'company never fetched', endpoint: 'insee.unite_legale', due: true, reason: 'never_checked' },
  { label: 'company fetched 3 days ago', endpoint: 'insee.unite_legale', history: checked(daysAgo(3)), due: false },
  { label: 'company fetched 8 days ago', endpoint: 'insee.unite_legale', history: checked(daysAgo(8)), due: true, reason: 'stale' },
  { label: 'establishment fetched 6 days ago', endpoint: 'insee.etablissement', history: checked(daysAgo(6)), due: false },
  { label: 'establishment fetched 7.5 days ago', endpoint: 'insee.etablissement', history: checked(daysAgo(7.5)), due: true, reason: 'stale' },
  { label: 'ceased company fetched 30 days ago', endpoint: 'insee.unite_legale', history: checked(daysAgo(30)), ceased: true, due: false },
  { label: 'ceased company fetched 91 days ago', endpoint: 'insee.unite_legale', history: checked(daysAgo(91)), ceased: true, due: true, reason: 'stale' },
  { label: 'URSSAF never fetched', endpoint: 'urssaf.attestation_vigilance', due: true, reason: 'never_checked' },
  {
    label: 'URSSAF valid 60 more days, fetched 10 days ago',
    endpoint: 'urssaf.attestation_vigilance',
    history: urssaf(daysAgo(10), isoDay(NOW + 60 * DAY_MS)),
    due: false,
  },
  {
    label: 'URSSAF valid 20 more days (within 30)',
    endpoint: 'urssaf.attestation_vigilance',
    history: urssaf(daysAgo(2), isoDay(NOW + 20 * DAY_MS)),
    due: true,
    reason: 'expiring',
  },
  {
    label: 'URSSAF expired yesterday',
    endpoint: 'urssaf.attestation_vigilance',
    history: urssaf(daysAgo(2), isoDay(NOW - DAY_MS)),
    due: true,
    reason: 'expired',
  },
  {
    label: 'URSSAF valid 5 months, fetched 31 days ago',
    endpoint: 'urssaf.attestation_vigilance',
    history: urssaf(daysAgo(31), isoDay(NOW + 150 * DAY_MS)),
    due: true,
    reason: 'stale',
  },
  { label: 'URSSAF "non trouvé" 3 days ago', endpoint: 'urssaf.attestation_vigilance', history: checked(daysAgo(3)), due: false },
  { label: 'URSSAF "non trouvé" 8 days ago', endpoint: 'urssaf.attestation_vigilance', history: checked(daysAgo(8)), due: true, reason: 'recheck' },
  {
    label: 'URSSAF refusal 8 days ago: asked again, never taken as final',
    endpoint: 'urssaf.attestation_vigilance',
    history: urssaf(daysAgo(8), null, 'refused'),
    due: true,
    reason: 'recheck',
  },
  { label: 'URSSAF of a ceased company', endpoint: 'urssaf.attestation_vigilance', ceased: true, due: true, reason: 'never_checked' },
  { label: 'DGFIP never fetched', endpoint: 'dgfip.attestation_fiscale', due: true, reason: 'never_checked' },
  { label: 'DGFIP holds this month’s period', endpoint: 'dgfip.attestation_fiscale', history: dgfip(daysAgo(10), expectedDgfipPeriod(NOW)), due: false },
  {
    label: 'DGFIP holds last month’s period, fetched last month',
    endpoint: 'dgfip.attestation_fiscale',
    history: dgfip(daysAgo(30), expectedDgfipPeriod(daysAgo(30))),
    due: true,
    reason: 'new_period',
  },
  { label: 'DGFIP "non trouvé" this month, 3 days ago', endpoint: 'dgfip.attestation_fiscale', history: dgfip(daysAgo(3), null), due: false },
  { label: 'DGFIP "non trouvé" this month, 8 days ago', endpoint: 'dgfip.attestation_fiscale', history: dgfip(daysAgo(8), null), due: true, reason: 'recheck' },
  { label: 'Qualibat fetched 29 days ago', endpoint: 'qualibat.certification', history: checked(daysAgo(29)), due: false },
  { label: 'Qualibat fetched 31 days ago', endpoint: 'qualibat.certification', history: checked(daysAgo(31)), due: true, reason: 'stale' },
];

describe('what the freshness policy says is due', () => {
  it.each(CASES)('$label -> due: $due', ({ endpoint, history, ceased, due, reason }) => {
    const decision = decideDue(endpoint, history, policy, NOW, { ceased: ceased ?? false, addedAt: daysAgo(1) });
    expect(decision.dueAt <= NOW).toBe(due);
    if (reason) expect(decision.reason).toBe(reason);
    // the SLA never comes before the item is due, except for what is already overdue (expired)
    if (decision.reason !== 'expired') expect(decision.deadline).toBeGreaterThanOrEqual(decision.dueAt);
  });

  it('never plans an attestation past its validity end', () => {
    const validUntil = isoDay(NOW + 3 * DAY_MS);
    const decision = decideDue('urssaf.attestation_vigilance', urssaf(daysAgo(1), validUntil), policy, NOW);
    expect(decision.deadline).toBeLessThanOrEqual(Date.parse(`${validUntil}T23:59:59.999Z`));
  });

  it('keeps the deadline of a never-fetched item where the supplier was added, not where "now" is', () => {
    const added = daysAgo(10);
    const decision = decideDue('insee.unite_legale', undefined, policy, NOW, { addedAt: added });
    expect(decision.deadline).toBe(added + 2 * DAY_MS);
    expect(decision.deadline).toBeLessThan(NOW);
  });

  it('gives DGFIP the whole month: released on the 1st, due by the month’s end', () => {
    const decision = decideDue('dgfip.attestation_fiscale', dgfip(daysAgo(30), expectedDgfipPeriod(daysAgo(30))), policy, NOW);
    expect(decision.dueAt).toBe(monthStart(NOW));
    expect(decision.deadline).toBe(nextMonthStart(NOW) - 1);
    const current = decideDue('dgfip.attestation_fiscale', dgfip(daysAgo(1), expectedDgfipPeriod(NOW)), policy, NOW);
    expect(current.dueAt).toBe(nextMonthStart(NOW));
    expect(expectedDgfipPeriod(NOW)).toBe('2026-10-31');
  });
});

describe('which calls a supplier needs', () => {
  const everything = new Set(['unites_legales_etablissements_insee', 'attestations_sociales', 'attestations_fiscales', 'qualibat']);
  const supplier = { siren: '552100554', siret: '55210055400013', ceased: false };

  it('follows the enabled endpoints and the token’s privileges', () => {
    expect(callsFor(supplier, policy, everything).map((c) => c.endpoint)).toEqual([
      'insee.unite_legale',
      'insee.etablissement',
      'urssaf.attestation_vigilance',
      'dgfip.attestation_fiscale',
    ]);
    const noFiscal = new Set([...everything].filter((s) => s !== 'attestations_fiscales'));
    expect(callsFor(supplier, policy, noFiscal).map((c) => c.endpoint)).not.toContain('dgfip.attestation_fiscale');
    const onlyInsee = parseFreshnessPolicy({ enabledEndpoints: ['insee.unite_legale'] });
    expect(callsFor(supplier, onlyInsee, everything).map((c) => c.endpoint)).toEqual(['insee.unite_legale']);
  });

  it('calls SIREN endpoints with the SIREN, the establishment with the SIRET, in their pools', () => {
    expect(callsFor(supplier, policy, everything)).toEqual([
      { endpoint: 'insee.unite_legale', identifier: '552100554', pool: 'json' },
      { endpoint: 'insee.etablissement', identifier: '55210055400013', pool: 'json' },
      { endpoint: 'urssaf.attestation_vigilance', identifier: '552100554', pool: 'urssaf' },
      { endpoint: 'dgfip.attestation_fiscale', identifier: '552100554', pool: 'dgfip' },
    ]);
  });

  it('asks the head office for a supplier known by its SIREN only, and skips other SIRET-only endpoints', () => {
    const withQualibat = parseFreshnessPolicy({ enabledEndpoints: ['insee.etablissement', 'qualibat.certification'] });
    expect(callsFor({ ...supplier, siret: null }, withQualibat, everything)).toEqual([
      { endpoint: 'insee.siege_social', identifier: '552100554', pool: 'json' },
    ]);
  });

  it('asks a ceased company for its identity only', () => {
    expect(callsFor({ ...supplier, ceased: true }, policy, everything).map((c) => c.endpoint)).toEqual(['insee.unite_legale', 'insee.etablissement']);
    const keepDocuments = parseFreshnessPolicy({ ceased: { refreshDocuments: true } });
    expect(callsFor({ ...supplier, ceased: true }, keepDocuments, everything)).toHaveLength(4);
  });
});

describe('the settings schema', () => {
  it('has the issue’s defaults', () => {
    expect(DEFAULT_FRESHNESS_POLICY).toMatchObject({
      company: { maxAgeDays: 7 },
      establishment: { maxAgeDays: 7 },
      attestations: { renewDaysBeforeExpiry: 30, maxAgeDays: 30 },
      certifications: { maxAgeDays: 30 },
      ceased: { refreshDocuments: false },
      nightWindowHours: 4,
      enabledEndpoints: ['insee.unite_legale', 'insee.etablissement', 'urssaf.attestation_vigilance', 'dgfip.attestation_fiscale'],
    });
  });

  it('fills what a partial settings object leaves out', () => {
    const parsed = parseFreshnessPolicy({ company: { maxAgeDays: 3 } });
    expect(parsed.company).toEqual({ maxAgeDays: 3, graceDays: 2 });
    expect(parsed.attestations.maxAgeDays).toBe(30);
  });

  it.each([
    ['an unknown endpoint', { enabledEndpoints: ['insee.nope'] }],
    ['the account endpoint', { enabledEndpoints: ['privileges'] }],
    ['a negative age', { company: { maxAgeDays: -1 } }],
    ['an object of 50 characters', { callObject: 'x'.repeat(50) }],
    ['a headroom above 1', { planningHeadroom: 1.5 }],
  ])('refuses %s', (_label, input) => {
    expect(freshnessPolicySchema.safeParse(input).success).toBe(false);
  });
});
