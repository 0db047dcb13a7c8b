// The planner: due calls in urgency order, per-pool time estimates, spreading over nights within
// the SLAs, and the arithmetic of the largest register a 4-hour night sustains with the real limits.
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_POOLS } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import {
  DAY_MS,
  DEFAULT_FRESHNESS_POLICY,
  type EndpointHistory,
  parseFreshnessPolicy,
  type SupplierRefreshState,
} from '../../src-main/node/refresh/freshness-policy';
import { simulateNights } from '../../src-main/node/refresh/night-simulation';
import {
  API_ENTREPRISE_LIMITS,
  collectDueItems,
  estimateDurations,
  HOUR_MS,
  maxSustainableSuppliers,
  planNights,
  planRefresh,
  type RateLimits,
} from '../../src-main/node/refresh/refresh-planner';
import { readRegisterStates } from '../../src-main/node/refresh/register-state';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

const NOW = Date.UTC(2026, 10, 28, 1, 0, 0);
const policy = DEFAULT_FRESHNESS_POLICY;
const FOUR_HOURS = 4 * HOUR_MS;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function supplier(id: number, history: SupplierRefreshState['history'] = {}, overrides: Partial<SupplierRefreshState> = {}): SupplierRefreshState {
  return { supplierId: id, siren: makeSiren(id), siret: makeSiret(id), name: `Fournisseur ${id}`, addedAt: NOW - 30 * DAY_MS, ceased: false, history, ...overrides };
}

const fresh = (at: number): EndpointHistory => ({ lastCheckedAt: at, lastSuccessAt: at, attestation: null });
const urssafValidUntil = (validUntil: string): EndpointHistory => ({
  lastCheckedAt: NOW - DAY_MS,
  lastSuccessAt: NOW - DAY_MS,
  attestation: { status: 'delivered', validUntil, periodAnalyzed: null },
});

describe('jobs due now', () => {
  it('asks a SIREN once however many registered establishments share it', () => {
    const a = supplier(1);
    const b = { ...supplier(2), siren: a.siren, siret: makeSiret(1, 2) };
    const items = collectDueItems([a, b], policy, 'all', NOW, NOW + FOUR_HOURS);
    const byEndpoint = (endpoint: string) => items.filter((item) => item.endpoint === endpoint);
    expect(byEndpoint('insee.unite_legale')).toHaveLength(1);
    expect(byEndpoint('urssaf.attestation_vigilance')).toHaveLength(1);
    expect(byEndpoint('insee.etablissement')).toHaveLength(2);
    expect(byEndpoint('urssaf.attestation_vigilance')[0]).toMatchObject({ supplierId: 1, supplierIds: [1, 2], identifier: a.siren });
  });

  it('orders by urgency: expired documents first, then expiring, then missing, then merely stale', () => {
    const recent = { 'insee.unite_legale': fresh(NOW - DAY_MS), 'insee.etablissement': fresh(NOW - DAY_MS) };
    const states = [
      supplier(1, { ...recent, 'urssaf.attestation_vigilance': { ...fresh(NOW - 30.5 * DAY_MS), attestation: { status: 'delivered', validUntil: isoDay(NOW + 120 * DAY_MS), periodAnalyzed: null } } }),
      supplier(2, { ...recent, 'urssaf.attestation_vigilance': urssafValidUntil(isoDay(NOW + 10 * DAY_MS)) }),
      supplier(3, { ...recent, 'urssaf.attestation_vigilance': urssafValidUntil(isoDay(NOW - 2 * DAY_MS)) }),
      supplier(4, { ...recent }, { addedAt: NOW - DAY_MS }),
    ];
    const urssafPolicy = parseFreshnessPolicy({ enabledEndpoints: ['insee.unite_legale', 'insee.etablissement', 'urssaf.attestation_vigilance'] });
    const plan = planRefresh(states, urssafPolicy, API_ENTREPRISE_LIMITS, 'all', NOW, { horizonNights: 1 });
    expect(plan.tonight.map((item) => [item.supplierId, item.reason])).toEqual([
      [3, 'expired'],
      [2, 'expiring'],
      [4, 'never_checked'],
      [1, 'stale'],
    ]);
  });

  it('skips inactive suppliers and reads the register’s state back', () => {
    const register = tempRegister();
    try {
      const repository = new SupplierRepository(register.db, () => new Date(NOW - DAY_MS).toISOString());
      repository.upsert({ siren: makeSiren(1), siret: makeSiret(1), name: 'Active' });
      repository.upsert({ siren: makeSiren(2), siret: makeSiret(2), name: 'Inactive', active: false });
      register.db
        .prepare(`INSERT INTO refresh_status (endpoint, identifier, last_checked_at, last_success_at, last_outcome, updated_at) VALUES ('insee.unite_legale', ?, ?, ?, 'ok', ?)`)
        .run(makeSiren(1), new Date(NOW - DAY_MS).toISOString(), new Date(NOW - DAY_MS).toISOString(), new Date(NOW).toISOString());
      const states = readRegisterStates(register.db);
      expect(states.map((s) => s.name)).toEqual(['Active']);
      expect(states[0]?.history['insee.unite_legale']?.lastCheckedAt).toBe(NOW - DAY_MS);
      const items = collectDueItems(states, policy, 'all', NOW, NOW + FOUR_HOURS);
      expect(items.map((item) => item.endpoint).sort()).toEqual(['dgfip.attestation_fiscale', 'insee.etablissement', 'urssaf.attestation_vigilance']);
    } finally {
      register.dispose();
    }
  });
});

describe('time estimates per rate-limit pool', () => {
  it('counts full windows at each pool’s limit', () => {
    const estimate = estimateDurations({ dgfip: 1_200, urssaf: 100, json: 250 }, API_ENTREPRISE_LIMITS);
    // 5 per minute: 1,200 calls go out over 240 windows, the last one at minute 239
    expect(estimate.perPool.dgfip).toEqual({ jobs: 1_200, durationMs: 239 * 60_000 });
    expect(estimate.perPool.urssaf?.durationMs).toBe(0);
    expect(estimate.totalMs).toBe(239 * 60_000);
    expect(estimateDurations({ dgfip: 6 }, API_ENTREPRISE_LIMITS).totalMs).toBe(60_000);
  });

  it('lets the per-IP ceilings bound the pools together', () => {
    // 2,500 JSON calls: 10 minutes at 250/min, but the per-IP 2,000 per 10 minutes makes it 10 minutes too
    const estimate = estimateDurations({ json: 2_500, urssaf: 1_000 }, API_ENTREPRISE_LIMITS);
    expect(estimate.perPool.json?.durationMs).toBe(9 * 60_000);
    expect(estimate.globalMs).toBe(10 * 60_000);
    expect(estimate.totalMs).toBe(10 * 60_000);
  });
});

describe('spreading a register too large for one night', () => {
  const dgfipOnly = parseFreshnessPolicy({ enabledEndpoints: ['dgfip.attestation_fiscale', 'insee.unite_legale'] });
  const states = Array.from({ length: 3_000 }, (_, i) => supplier(i + 1, {}, { addedAt: Date.UTC(2026, 10, 1) }));

  it('plans 1,080 DGFIP calls a night (5/min x 240 min x 0.9) and says when each is refreshed, within its SLA', () => {
    const start = Date.UTC(2026, 10, 2, 1);
    const plan = planRefresh(states, dgfipOnly, API_ENTREPRISE_LIMITS, 'all', start, { horizonNights: 10 });
    const dgfipPerNight = plan.nights.map((night) => night.perPool.dgfip?.jobs ?? 0);
    expect(dgfipPerNight.slice(0, 3)).toEqual([1_080, 1_080, 840]);
    // the JSON pool has room for everyone tonight
    expect(plan.nights[0]?.perPool.json?.jobs).toBe(3_000);
    expect(plan.violations).toEqual([]);
    for (const item of plan.scheduled) {
      const night = plan.nights[item.night];
      expect(item.plannedAt).toBeGreaterThanOrEqual(night?.startsAt ?? Infinity);
      expect(item.plannedAt).toBeLessThan(night?.endsAt ?? -Infinity);
      expect(item.plannedAt).toBeLessThanOrEqual(item.deadline);
    }
    // every night fits its window
    for (const night of plan.nights) expect(night.estimate.totalMs).toBeLessThan(FOUR_HOURS);
  });

  it('reports the SLA misses of a night too short for what is due', () => {
    // company data already 7 days old: due now, deadline in 2 days; one pool of 10 a night cannot keep up
    const tiny: RateLimits = { pools: { ...RATE_LIMIT_POOLS, json: { limit: 10, windowMs: 4 * HOUR_MS } }, ceilings: API_ENTREPRISE_LIMITS.ceilings };
    const stale = states.slice(0, 50).map((s) => ({ ...s, history: { 'insee.unite_legale': fresh(NOW - 7 * DAY_MS) } }));
    const companyOnly = parseFreshnessPolicy({ enabledEndpoints: ['insee.unite_legale'], planningHeadroom: 1 });
    const result = planNights(collectDueItems(stale, companyOnly, 'all', NOW, NOW + 10 * DAY_MS), tiny, {
      firstNightStart: NOW,
      nightMs: FOUR_HOURS,
      nights: 5,
      headroom: 1,
    });
    expect(result.nights.map((n) => n.jobs)).toEqual([10, 10, 10, 10, 10]);
    // nights 0..2 are within the 2-day grace; nights 3 and 4 are late
    expect(result.violations).toHaveLength(20);
  });

  it('does not let an abundant pool starve a scarce one that shares the per-IP ceiling', () => {
    // per night: JSON 100, DGFIP 10, all pools together 100; 150 JSON calls and 20 DGFIP calls, all due in two nights.
    // Earliest-deadline-first alone gives night 0 to JSON and leaves 10 DGFIP calls late.
    const night = FOUR_HOURS;
    const coupled: RateLimits = {
      pools: { ...RATE_LIMIT_POOLS, json: { limit: 100, windowMs: night }, dgfip: { limit: 10, windowMs: night } },
      ceilings: [{ limit: 100, windowMs: night }],
    };
    const item = (pool: 'json' | 'dgfip', i: number, deadline: number) => ({
      key: `${pool}|${i}`,
      supplierId: i + 1,
      supplierIds: [i + 1],
      endpoint: pool === 'json' ? ('insee.unite_legale' as const) : ('dgfip.attestation_fiscale' as const),
      identifier: String(i),
      pool,
      dueAt: NOW,
      deadline,
      reason: 'stale' as const,
    });
    const items = [
      ...Array.from({ length: 150 }, (_, i) => item('json', i, NOW + DAY_MS + night)),
      ...Array.from({ length: 20 }, (_, i) => item('dgfip', i, NOW + DAY_MS + night + 1)),
    ];
    const plan = planNights(items, coupled, { firstNightStart: NOW, nightMs: night, nights: 3, headroom: 1 });
    expect(plan.violations).toEqual([]);
    expect(plan.nights.map((n) => [n.perPool.json?.jobs, n.perPool.dgfip?.jobs])).toEqual([
      [90, 10],
      [60, 10],
    ]);
  });
});

describe('the largest register a 4-hour night sustains (real limits)', () => {
  it('is bounded by DGFIP: 5/min x 240 min x 0.9 = 1,080 a night, x 28 nights of February = 30,240', () => {
    const report = maxSustainableSuppliers(policy, API_ENTREPRISE_LIMITS, 4);
    expect(report.bottleneck).toBe('dgfip');
    expect(report.maxSuppliers).toBe(30_240);
    expect(report.maxSuppliers).toBeGreaterThanOrEqual(10_000);
    const pool = (id: string) => report.pools.find((p) => p.pool === id);
    expect(pool('dgfip')).toMatchObject({ capacityPerNight: 1_080, maxSuppliers: 30_240 });
    expect(pool('json')).toMatchObject({ capacityPerNight: 54_000, maxSuppliers: 189_000 });
    expect(pool('urssaf')).toMatchObject({ capacityPerNight: 21_600, maxSuppliers: 648_000 });
    // per IP: 2,000 per 10 minutes is the tighter ceiling: 48,000 a night, 43,200 with headroom
    expect(report.perIp.capacityPerNight).toBe(43_200);
    expect(report.perIp.maxSuppliers).toBe(121_771);
    expect(report.explanation.join('\n')).toMatch(/dgfip: 5 per 1 min x 240 min x 0.9 = 1080 calls per night/);
    // without headroom: 1,200 x 28
    expect(maxSustainableSuppliers(parseFreshnessPolicy({ planningHeadroom: 1 }), API_ENTREPRISE_LIMITS, 4).maxSuppliers).toBe(33_600);
  });

  it('holds 10,000 suppliers night after night, cold start in February and the March cycle included, without one SLA miss', () => {
    // 40 nights: February's 28 (cold start, four 7-day cycles), then March's first 12 (new DGFIP period, 30-day URSSAF cycle)
    const result = simulateNights({ suppliers: 10_000, nights: 40, firstNightStart: Date.UTC(2026, 1, 1, 1), policy, limits: API_ENTREPRISE_LIMITS, nightHours: 4 });
    expect(result.violations).toBe(0);
    for (const night of result.nights) {
      expect(night.perPool.dgfip ?? 0).toBeLessThanOrEqual(1_080);
      expect(estimateDurations(night.perPool, API_ENTREPRISE_LIMITS).totalMs).toBeLessThan(FOUR_HOURS);
    }
    // every supplier got its February and its March DGFIP attestation
    const dgfipCalls = result.nights.reduce((sum, night) => sum + (night.perPool.dgfip ?? 0), 0);
    expect(dgfipCalls).toBe(20_000);
  });

  it('agrees with the simulation at the boundary (scaled down: DGFIP 1/min, 1-hour nights)', () => {
    const scaled: RateLimits = { pools: { ...RATE_LIMIT_POOLS, dgfip: { limit: 1, windowMs: 60_000 } }, ceilings: API_ENTREPRISE_LIMITS.ceilings };
    const oneHour = parseFreshnessPolicy({ nightWindowHours: 1, planningHeadroom: 1 });
    const max = maxSustainableSuppliers(oneHour, scaled, 1);
    expect(max).toMatchObject({ maxSuppliers: 60 * 28, bottleneck: 'dgfip' });
    const run = (suppliers: number) => simulateNights({ suppliers, nights: 28, firstNightStart: Date.UTC(2026, 1, 1, 1), policy: oneHour, limits: scaled }).violations;
    expect(run(max.maxSuppliers)).toBe(0);
    expect(run(Math.round(max.maxSuppliers * 1.1))).toBeGreaterThan(0);
  });
});
