// The planner: from the register's state and the freshness policy, which calls are due, in which
// order, on which night, and how long they take under API Entreprise's rate limits. Pure functions
// of their arguments (no database, no clock), so the engine, the tests and the night-plan benchmark
// share them.
//
// The arithmetic (real limits, BRIEF §3, a 4-hour night = 240 minutes):
//   pool capacity per night  = limit per window x (night length / window length) x headroom
//     DGFIP attestation fiscale: 5/min x 240 min = 1,200 calls (1,080 with the default 0.9 headroom)
//     URSSAF vigilance:        100/min x 240 min = 24,000 calls
//     JSON (INSEE...):         250/min x 240 min = 60,000 calls
//   and every pool together stays under the per-IP ceilings: 1,000/min and the older 2,000 per
//   10 minutes, the tighter one: 2,000 x 24 = 48,000 calls per night.
//   demand per supplier per night = 1 / (days between two refreshes):
//     INSEE unité légale + établissement: 2 calls every 7 days = 0.286 per night
//     URSSAF: every 30 days at most (renewed 30 days before expiry, validity about 6 months) = 0.033
//     DGFIP: once per analysed month, released on the 1st and due by the month's end: in the shortest
//       month, 28 nights = 0.036 per night; 10,000 suppliers need 10,000 / 28 = 358 DGFIP calls a
//       night (about 334 with the 30-day month), well under 1,200.
//   largest sustainable register = min over pools of capacity / demand:
//     DGFIP 1,200 x 28 = 33,600 suppliers (30,240 with the 0.9 headroom): the bottleneck;
//     JSON 60,000 / 0.286 = 210,000; URSSAF 24,000 x 30 = 720,000;
//     per-IP 48,000 / (0.286 + 0.033 + 0.036) = 135,000.
//   A register larger than a night's capacity for a pool is spread over nights (planNights): each
//   pool first gets what it must do tonight to meet its later deadlines at its own pace, then the
//   nearest deadlines take what is left. Both the steady state and a cold start (every supplier new
//   on the 1st of February) hold up to that number in the night simulation.
import { GLOBAL_CEILINGS, RATE_LIMIT_POOLS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import {
  callsFor,
  DAY_MS,
  decideDue,
  type DueReason,
  type FreshnessPolicy,
  type Privileges,
  REASON_WEIGHT,
  type ResolvedCall,
  resolveCall,
  ruleOf,
  type SupplierRefreshState,
} from './freshness-policy';

export const HOUR_MS = 3_600_000;

/** DGFIP's monthly attestation must fit the shortest month: February's nights. */
export const MIN_NIGHTS_PER_MONTH = 28;

/** URSSAF's `date_fin_validite` is the end of the month six months after delivery: at least this long. */
export const URSSAF_MIN_VALIDITY_DAYS = 181;

export interface PoolCapacity {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  pools: Record<RateLimitPoolId, PoolCapacity>;
  /** Per IP, all pools together (sliding windows). */
  ceilings: readonly PoolCapacity[];
}

/** API Entreprise's published limits (BRIEF §3). */
export const API_ENTREPRISE_LIMITS: RateLimits = { pools: RATE_LIMIT_POOLS, ceilings: GLOBAL_CEILINGS };

export const POOL_IDS = Object.keys(RATE_LIMIT_POOLS) as RateLimitPoolId[];

/** One call to make: an endpoint for an identifier, shared by every supplier with that identifier. */
export interface PlanItem {
  /** `endpoint|identifier`: unique in a run. */
  key: string;
  /** The supplier the job is filed under (the lowest id among those sharing the identifier). */
  supplierId: number;
  supplierIds: number[];
  endpoint: EndpointId;
  identifier: string;
  pool: RateLimitPoolId;
  dueAt: number;
  deadline: number;
  reason: DueReason;
}

export interface CollectOptions {
  /** Suppliers whose every endpoint is due now, whatever their freshness (explicit user action). */
  force?: ReadonlySet<number>;
  /** Only these suppliers (a manual refresh of a selection). */
  only?: ReadonlySet<number>;
}

/**
 * Every call due by `until`, one per (endpoint, identifier): suppliers sharing a SIREN share its
 * SIREN-level calls, so a company is asked once however many of its establishments are registered.
 */
export function collectDueItems(
  states: readonly SupplierRefreshState[],
  policy: FreshnessPolicy,
  privileges: Privileges,
  now: number,
  until: number,
  options: CollectOptions = {},
): PlanItem[] {
  const items = new Map<string, PlanItem>();
  for (const state of states) {
    if (options.only && !options.only.has(state.supplierId)) continue;
    const forced = options.force?.has(state.supplierId) ?? false;
    for (const call of cachedCalls(state, policy, privileges)) {
      const decision = forced
        ? { dueAt: now, deadline: now, reason: 'forced' as const }
        : decideDue(call.endpoint, state.history[call.endpoint], policy, now, state);
      if (decision.dueAt > until) continue;
      const key = `${call.endpoint}|${call.identifier}`;
      const existing = items.get(key);
      if (!existing) {
        items.set(key, { key, supplierId: state.supplierId, supplierIds: [state.supplierId], ...call, ...decision });
        continue;
      }
      existing.supplierIds.push(state.supplierId);
      existing.supplierId = Math.min(existing.supplierId, state.supplierId);
      existing.dueAt = Math.min(existing.dueAt, decision.dueAt);
      existing.deadline = Math.min(existing.deadline, decision.deadline);
      if (REASON_WEIGHT[decision.reason] < REASON_WEIGHT[existing.reason]) existing.reason = decision.reason;
    }
  }
  return [...items.values()];
}

// A register is planned night after night (the engine each night, the simulation hundreds of times)
// with the same states: what calls a supplier needs only changes with the policy, the privileges,
// the supplier's identifiers and whether it ceased.
const callsMemo = new WeakMap<
  SupplierRefreshState,
  { policy: FreshnessPolicy; privileges: Privileges; siren: string; siret: string | null; ceased: boolean; calls: ResolvedCall[] }
>();

function cachedCalls(state: SupplierRefreshState, policy: FreshnessPolicy, privileges: Privileges): ResolvedCall[] {
  const memo = callsMemo.get(state);
  if (memo && memo.policy === policy && memo.privileges === privileges && memo.siren === state.siren && memo.siret === state.siret && memo.ceased === state.ceased) {
    return memo.calls;
  }
  const calls = callsFor(state, policy, privileges);
  callsMemo.set(state, { policy, privileges, siren: state.siren, siret: state.siret, ceased: state.ceased, calls });
  return calls;
}

/** Earliest deadline first; then expired before expiring before missing before merely stale. */
export function compareUrgency(a: PlanItem, b: PlanItem): number {
  return a.deadline - b.deadline || REASON_WEIGHT[a.reason] - REASON_WEIGHT[b.reason] || a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export interface PoolEstimate {
  jobs: number;
  durationMs: number;
}

export interface DurationEstimate {
  perPool: Partial<Record<RateLimitPoolId, PoolEstimate>>;
  /** What the per-IP ceilings alone impose on all the calls together. */
  globalMs: number;
  /** Pools run concurrently: the slowest pool, or the per-IP ceilings, bound the whole. */
  totalMs: number;
}

/**
 * How long `n` calls take at a fixed-window limit: full windows for all but the last batch, which
 * goes out at the start of its window (a fixed window allows its whole limit at once).
 */
export function durationAtLimit(n: number, capacity: PoolCapacity): number {
  if (n <= 0) return 0;
  return Math.max(0, Math.ceil(n / capacity.limit - 1)) * capacity.windowMs;
}

export function estimateDurations(counts: Partial<Record<RateLimitPoolId, number>>, limits: RateLimits): DurationEstimate {
  const perPool: Partial<Record<RateLimitPoolId, PoolEstimate>> = {};
  let total = 0;
  let longest = 0;
  for (const pool of POOL_IDS) {
    const jobs = counts[pool] ?? 0;
    if (jobs === 0) continue;
    const durationMs = durationAtLimit(jobs, limits.pools[pool]);
    perPool[pool] = { jobs, durationMs };
    total += jobs;
    longest = Math.max(longest, durationMs);
  }
  const globalMs = Math.max(0, ...limits.ceilings.map((ceiling) => durationAtLimit(total, ceiling)));
  return { perPool, globalMs, totalMs: Math.max(longest, globalMs) };
}

export interface NightCapacity {
  perPool: Record<RateLimitPoolId, number>;
  global: number;
}

/** Calls each pool can make in a night, with headroom for retries; and all pools together. */
export function nightCapacity(limits: RateLimits, nightMs: number, headroom: number): NightCapacity {
  const perPool = {} as Record<RateLimitPoolId, number>;
  for (const pool of POOL_IDS) {
    const { limit, windowMs } = limits.pools[pool];
    perPool[pool] = Math.floor(limit * (nightMs / windowMs) * headroom);
  }
  const global = Math.min(...limits.ceilings.map((c) => Math.floor(c.limit * (nightMs / c.windowMs) * headroom)));
  return { perPool, global: Number.isFinite(global) ? global : Number.MAX_SAFE_INTEGER };
}

export interface PlanNightsOptions {
  /** Start of night 0 (usually now). */
  firstNightStart: number;
  nightMs: number;
  nights: number;
  /** Between night starts; a day by default. */
  spacingMs?: number;
  headroom: number;
}

export interface ScheduledItem extends PlanItem {
  night: number;
  /** When the call is expected to go out: the start of its rate-limit window in the night. */
  plannedAt: number;
  /** Planned after its deadline: the SLA is missed (an overdue item from the start, or a night too short). */
  late: boolean;
}

export interface NightSlot {
  index: number;
  startsAt: number;
  endsAt: number;
  jobs: number;
  perPool: Partial<Record<RateLimitPoolId, { jobs: number; capacity: number }>>;
  estimate: DurationEstimate;
}

export interface NightPlan {
  nights: NightSlot[];
  scheduled: ScheduledItem[];
  /** Not placed in any night of the horizon. */
  unscheduled: PlanItem[];
  /** SLA misses: scheduled late, or not scheduled although their deadline falls within the horizon. */
  violations: PlanItem[];
}

/**
 * How many of a pool's released items (in urgency order) must go tonight so that the rest still
 * meets its deadlines at the pool's pace on the following nights: for the i-th item, the items up to
 * it, less what the nights after tonight and before its deadline can take.
 */
function mustGoTonight(items: readonly PlanItem[], perNight: number, startsAt: number, spacing: number): number {
  let need = 0;
  items.forEach((item, index) => {
    // nights starting before the deadline, tonight included
    const nights = item.deadline <= startsAt ? 0 : Math.ceil((item.deadline - startsAt) / spacing);
    need = Math.max(need, index + 1 - perNight * Math.max(0, nights - 1));
  });
  return Math.min(items.length, need);
}

/**
 * Spreads items over nights within each pool's and the per-IP capacity. An item is eligible on a
 * night once it is due by that night's end. Each night, in two passes:
 *   1. every pool first gets what it must do tonight to meet its later deadlines at its own pace
 *      (DGFIP's monthly attestations have far deadlines but no slack: 30,000 of them need every
 *      night of the month, so the weekly wave of INSEE calls must not take the per-IP budget from
 *      them on the nights it comes);
 *   2. what capacity is left goes by earliest deadline first.
 * Plain EDF is optimal for one resource; with pools coupled by the per-IP ceiling, the first pass is
 * what keeps a scarce pool from being starved by an abundant one.
 */
export function planNights(items: readonly PlanItem[], limits: RateLimits, options: PlanNightsOptions): NightPlan {
  const spacing = options.spacingMs ?? DAY_MS;
  const capacity = nightCapacity(limits, options.nightMs, options.headroom);
  let remaining = [...items].sort(compareUrgency);
  const nights: NightSlot[] = [];
  const scheduled: ScheduledItem[] = [];
  const violations: PlanItem[] = [];
  for (let index = 0; index < options.nights && remaining.length > 0; index += 1) {
    const startsAt = options.firstNightStart + index * spacing;
    const endsAt = startsAt + options.nightMs;
    const used = {} as Record<RateLimitPoolId, number>;
    for (const pool of POOL_IDS) used[pool] = 0;
    let usedGlobal = 0;
    const taken = new Set<PlanItem>();
    const take = (item: PlanItem): void => {
      if (taken.has(item) || used[item.pool] >= capacity.perPool[item.pool] || usedGlobal >= capacity.global) return;
      // the window its turn falls in, for its pool and for each per-IP ceiling
      const poolSpec = limits.pools[item.pool];
      let offset = Math.floor(used[item.pool] / poolSpec.limit) * poolSpec.windowMs;
      for (const ceiling of limits.ceilings) offset = Math.max(offset, Math.floor(usedGlobal / ceiling.limit) * ceiling.windowMs);
      const plannedAt = startsAt + offset;
      const entry: ScheduledItem = { ...item, night: index, plannedAt, late: plannedAt > item.deadline };
      scheduled.push(entry);
      if (entry.late) violations.push(entry);
      taken.add(item);
      used[item.pool] += 1;
      usedGlobal += 1;
    };
    const released = remaining.filter((item) => item.dueAt <= endsAt);
    const byPool = new Map<RateLimitPoolId, PlanItem[]>();
    for (const item of released) {
      const list = byPool.get(item.pool);
      if (list) list.push(item);
      else byPool.set(item.pool, [item]);
    }
    const mandatory: PlanItem[] = [];
    for (const [pool, list] of byPool) {
      const perNight = Math.min(capacity.perPool[pool], capacity.global);
      mandatory.push(...list.slice(0, mustGoTonight(list, perNight, startsAt, spacing)));
    }
    // when the per-IP budget cannot even hold every pool's must, the nearest deadlines win
    for (const item of mandatory.sort(compareUrgency)) take(item);
    for (const item of released) take(item);
    remaining = remaining.filter((item) => !taken.has(item));
    const perPool: NightSlot['perPool'] = {};
    for (const pool of POOL_IDS) if (used[pool] > 0) perPool[pool] = { jobs: used[pool], capacity: capacity.perPool[pool] };
    nights.push({ index, startsAt, endsAt, jobs: usedGlobal, perPool, estimate: estimateDurations(used, limits) });
  }
  const horizonEnd = options.firstNightStart + (options.nights - 1) * spacing + options.nightMs;
  for (const item of remaining) if (item.deadline <= horizonEnd) violations.push(item);
  return { nights, scheduled, unscheduled: remaining, violations };
}

export interface RefreshPlan {
  generatedAt: number;
  /** Tonight's calls, in the order the executor takes them. */
  tonight: ScheduledItem[];
  tonightEstimate: DurationEstimate;
  /** Items due by tonight's end, before spreading. */
  dueTonight: number;
  nights: NightSlot[];
  scheduled: ScheduledItem[];
  violations: PlanItem[];
}

export interface PlanRefreshOptions extends CollectOptions {
  /** How many nights to look ahead; 35 covers any month. */
  horizonNights?: number;
}

/** The plan from now on: tonight's calls and the following nights'. */
export function planRefresh(
  states: readonly SupplierRefreshState[],
  policy: FreshnessPolicy,
  limits: RateLimits,
  privileges: Privileges,
  now: number,
  options: PlanRefreshOptions = {},
): RefreshPlan {
  const nightMs = policy.nightWindowHours * HOUR_MS;
  const horizonNights = options.horizonNights ?? 35;
  const until = now + (horizonNights - 1) * DAY_MS + nightMs;
  const items = collectDueItems(states, policy, privileges, now, until, options);
  const plan = planNights(items, limits, { firstNightStart: now, nightMs, nights: horizonNights, headroom: policy.planningHeadroom });
  const tonight = plan.scheduled.filter((item) => item.night === 0);
  const counts: Partial<Record<RateLimitPoolId, number>> = {};
  for (const item of tonight) counts[item.pool] = (counts[item.pool] ?? 0) + 1;
  return {
    generatedAt: now,
    tonight,
    tonightEstimate: estimateDurations(counts, limits),
    dueTonight: items.filter((item) => item.dueAt <= now + nightMs).length,
    nights: plan.nights,
    scheduled: plan.scheduled,
    violations: plan.violations,
  };
}

export interface PoolSustainability {
  pool: RateLimitPoolId;
  /** Calls per supplier per night, in the steady state. */
  demandPerSupplier: number;
  capacityPerNight: number;
  maxSuppliers: number;
}

export interface SustainabilityReport {
  nightHours: number;
  headroom: number;
  /** The largest register whose every SLA holds, night after night. */
  maxSuppliers: number;
  bottleneck: RateLimitPoolId | 'per_ip';
  pools: PoolSustainability[];
  perIp: { demandPerSupplier: number; capacityPerNight: number; maxSuppliers: number };
  /** The arithmetic, one line per constraint. */
  explanation: string[];
}

/** Refreshes per night that one supplier needs, per pool, in the steady state (every endpoint allowed, a SIRET known). */
export function demandPerSupplierPerNight(policy: FreshnessPolicy): Partial<Record<RateLimitPoolId, number>> {
  const demand: Partial<Record<RateLimitPoolId, number>> = {};
  for (const endpoint of new Set(policy.enabledEndpoints)) {
    const call = resolveCall(endpoint, { siren: '000000000', siret: '00000000000000' });
    if (!call) continue;
    let periodDays: number;
    switch (ruleOf(endpoint)) {
      case 'dgfip':
        periodDays = MIN_NIGHTS_PER_MONTH;
        break;
      case 'attestation':
        periodDays = Math.min(policy.attestations.maxAgeDays, URSSAF_MIN_VALIDITY_DAYS - policy.attestations.renewDaysBeforeExpiry);
        break;
      case 'certification':
        periodDays = policy.certifications.maxAgeDays;
        break;
      case 'establishment':
        periodDays = policy.establishment.maxAgeDays;
        break;
      default:
        periodDays = policy.company.maxAgeDays;
    }
    demand[call.pool] = (demand[call.pool] ?? 0) + 1 / Math.max(1, periodDays);
  }
  return demand;
}

/**
 * The largest register a night of `nightHours` sustains under `limits` with this policy: for each
 * pool, capacity per night / demand per supplier per night; the per-IP ceilings bound the sum.
 */
export function maxSustainableSuppliers(policy: FreshnessPolicy, limits: RateLimits, nightHours: number): SustainabilityReport {
  const nightMs = nightHours * HOUR_MS;
  const capacity = nightCapacity(limits, nightMs, policy.planningHeadroom);
  const demand = demandPerSupplierPerNight(policy);
  const pools: PoolSustainability[] = [];
  const explanation: string[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bottleneck: SustainabilityReport['bottleneck'] = 'per_ip';
  let totalDemand = 0;
  for (const pool of POOL_IDS) {
    const perSupplier = demand[pool];
    if (!perSupplier) continue;
    totalDemand += perSupplier;
    const maxSuppliers = Math.floor(capacity.perPool[pool] / perSupplier);
    pools.push({ pool, demandPerSupplier: perSupplier, capacityPerNight: capacity.perPool[pool], maxSuppliers });
    const { limit, windowMs } = limits.pools[pool];
    explanation.push(
      `${pool}: ${limit} per ${windowMs / 60_000} min x ${nightHours * 60} min x ${policy.planningHeadroom} = ${capacity.perPool[pool]} calls per night; ` +
        `demand ${perSupplier.toFixed(4)} per supplier per night -> ${maxSuppliers} suppliers`,
    );
    if (maxSuppliers < best) {
      best = maxSuppliers;
      bottleneck = pool;
    }
  }
  const perIpMax = totalDemand > 0 ? Math.floor(capacity.global / totalDemand) : Number.MAX_SAFE_INTEGER;
  explanation.push(`per IP: ${capacity.global} calls per night; demand ${totalDemand.toFixed(4)} per supplier per night -> ${perIpMax} suppliers`);
  if (perIpMax < best) {
    best = perIpMax;
    bottleneck = 'per_ip';
  }
  return {
    nightHours,
    headroom: policy.planningHeadroom,
    maxSuppliers: Number.isFinite(best) ? best : perIpMax,
    bottleneck,
    pools,
    perIp: { demandPerSupplier: totalDemand, capacityPerNight: capacity.global, maxSuppliers: perIpMax },
    explanation,
  };
}
