// A register simulated night after night on paper: each night is planned by the real planner from
// the simulated state, every planned call "succeeds" at its planned time, and every SLA miss is
// counted. It checks the planner's arithmetic against its own scheduling (the tests) and lets the
// benchmark show that a register size holds for months, cold start included, without calling
// anything.
import { DAY_MS, expectedDgfipPeriod, type FreshnessPolicy, type Privileges, ruleOf, type SupplierRefreshState } from './freshness-policy';
import { collectDueItems, HOUR_MS, planNights, type RateLimits } from './refresh-planner';
import type { RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';

export interface SimulationOptions {
  suppliers: number;
  nights: number;
  /** Start of the first night (epoch ms). Starting on the 1st of a month includes the DGFIP cold start in one month. */
  firstNightStart: number;
  policy: FreshnessPolicy;
  limits: RateLimits;
  /** Night length; the policy's window by default. */
  nightHours?: number;
  /** Scopes of the token; every endpoint by default. */
  privileges?: Privileges;
}

export interface SimulatedNight {
  index: number;
  startsAt: number;
  jobs: number;
  perPool: Partial<Record<RateLimitPoolId, number>>;
  late: number;
}

export interface SimulationResult {
  nights: SimulatedNight[];
  /** Calls planned after their deadline, plus those never planned although their deadline passed. */
  violations: number;
  worstLatenessMs: number;
  maxJobsPerNight: number;
  totalJobs: number;
}

/** End of the month six months after `epochMs` (URSSAF's `date_fin_validite`), as YYYY-MM-DD. */
export function urssafValidityEnd(epochMs: number): string {
  const d = new Date(epochMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 7, 0)).toISOString().slice(0, 10);
}

export function simulateNights(options: SimulationOptions): SimulationResult {
  const { policy, limits } = options;
  const nightMs = (options.nightHours ?? policy.nightWindowHours) * HOUR_MS;
  const privileges = options.privileges ?? 'all';
  const states: SupplierRefreshState[] = Array.from({ length: options.suppliers }, (_, i) => {
    const siren = String(100_000_000 + i);
    const state: SupplierRefreshState = {
      supplierId: i + 1,
      siren,
      siret: `${siren}00010`,
      name: `Fournisseur ${i + 1}`,
      addedAt: options.firstNightStart,
      ceased: false,
      history: {},
    };
    return state;
  });
  const byId = new Map(states.map((s) => [s.supplierId, s]));
  const nights: SimulatedNight[] = [];
  // an SLA miss is counted once per item and deadline: planned late, or left unplanned past its deadline
  const missed = new Set<string>();
  let worstLatenessMs = 0;
  let totalJobs = 0;
  for (let index = 0; index < options.nights; index += 1) {
    const startsAt = options.firstNightStart + index * DAY_MS;
    const items = collectDueItems(states, policy, privileges, startsAt, startsAt + nightMs);
    const plan = planNights(items, limits, { firstNightStart: startsAt, nightMs, nights: 1, headroom: policy.planningHeadroom });
    const perPool: Partial<Record<RateLimitPoolId, number>> = {};
    let late = 0;
    for (const item of plan.scheduled) {
      perPool[item.pool] = (perPool[item.pool] ?? 0) + 1;
      if (item.late) {
        late += 1;
        missed.add(`${item.key}|${item.deadline}`);
        worstLatenessMs = Math.max(worstLatenessMs, item.plannedAt - item.deadline);
      }
      const rule = ruleOf(item.endpoint);
      for (const supplierId of item.supplierIds) {
        const state = byId.get(supplierId);
        if (!state) continue;
        state.history[item.endpoint] = {
          lastCheckedAt: item.plannedAt,
          lastSuccessAt: item.plannedAt,
          attestation:
            rule === 'dgfip'
              ? { status: 'delivered', validUntil: null, periodAnalyzed: expectedDgfipPeriod(item.plannedAt) }
              : rule === 'attestation'
                ? { status: 'delivered', validUntil: urssafValidityEnd(item.plannedAt), periodAnalyzed: null }
                : null,
        };
      }
    }
    // left for a later night although its deadline comes before the next night: missed
    const nextStart = startsAt + DAY_MS;
    for (const item of plan.unscheduled) {
      if (item.deadline >= nextStart) continue;
      late += 1;
      missed.add(`${item.key}|${item.deadline}`);
      worstLatenessMs = Math.max(worstLatenessMs, nextStart - item.deadline);
    }
    totalJobs += plan.scheduled.length;
    nights.push({ index, startsAt, jobs: plan.scheduled.length, perPool, late });
  }
  const violations = missed.size;
  return {
    nights,
    violations,
    worstLatenessMs,
    maxJobsPerNight: Math.max(0, ...nights.map((n) => n.jobs)),
    totalJobs,
  };
}
