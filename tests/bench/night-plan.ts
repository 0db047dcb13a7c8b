// Part 2: how large a register the night refresh sustains. Nothing is called: the real planner
// (src-main/node/refresh) plans night after night on a simulated clock (night-simulation.ts), from a
// cold start (every supplier new) on the 1st of February, the shortest month for DGFIP's monthly
// attestation, with the real limits of BRIEF §3 and the default freshness policy. The largest
// register with no SLA miss is found by bisection and compared with the planner's steady-state
// arithmetic (maxSustainableSuppliers).
import type { RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { DEFAULT_FRESHNESS_POLICY, type FreshnessPolicy } from '../../src-main/node/refresh/freshness-policy';
import { simulateNights, type SimulationResult } from '../../src-main/node/refresh/night-simulation';
import { API_ENTREPRISE_LIMITS, maxSustainableSuppliers, nightCapacity, type RateLimits } from '../../src-main/node/refresh/refresh-planner';
import { progress } from './bench-stats';
import { POOL_ORDER } from './refresh-workload';

export interface NightSettings {
  nightHours: number;
  /** Simulated nights: February, then the first week of March (a new DGFIP period). */
  nights: number;
  firstNightStart: number;
  /** Bisection stops when the bracket is this narrow, relative to its upper end. */
  precision: number;
  maxSimulations: number;
}

export const DEFAULT_NIGHT_SETTINGS: NightSettings = {
  nightHours: 4,
  nights: 35,
  // 1 February 2027, 02:00 in Paris
  firstNightStart: Date.UTC(2027, 1, 1, 1, 0),
  precision: 0.005,
  maxSimulations: 7,
};

export interface NightPoolUse {
  name: RateLimitPoolId | 'per_ip';
  /** Calls per night at the full limit (limit × night minutes), before the planner's headroom. */
  capacityPerNight: number;
  avgJobsPerNight: number;
  peakJobsPerNight: number;
  /** Share of the night's capacity used: on average over the simulated nights, and on the busiest night. */
  avgUse: number;
  peakUse: number;
}

export interface NightResult {
  settings: NightSettings & { policy: string; headroom: number };
  /** Largest register with no SLA miss in the simulation (cold start included). */
  maxSuppliers: number;
  /** The planner's steady-state arithmetic, for comparison. */
  analyticMaxSuppliers: number;
  analyticBottleneck: string;
  analyticExplanation: string[];
  simulations: { suppliers: number; violations: number; ms: number }[];
  /** The plan's use of each pool at maxSuppliers. */
  pools: NightPoolUse[];
  /** First violations just above maxSuppliers (what breaks first). */
  firstBreakingSize: number | null;
}

function simulate(suppliers: number, settings: NightSettings, policy: FreshnessPolicy, limits: RateLimits): { result: SimulationResult; ms: number } {
  const started = performance.now();
  const result = simulateNights({ suppliers, nights: settings.nights, firstNightStart: settings.firstNightStart, policy, limits, nightHours: settings.nightHours });
  return { result, ms: performance.now() - started };
}

function poolUse(result: SimulationResult, limits: RateLimits, nightHours: number): NightPoolUse[] {
  const full = nightCapacity(limits, nightHours * 3_600_000, 1);
  const nights = result.nights.length;
  const uses: NightPoolUse[] = POOL_ORDER.map((pool) => {
    const perNight = result.nights.map((n) => n.perPool[pool] ?? 0);
    const capacity = full.perPool[pool];
    const total = perNight.reduce((a, b) => a + b, 0);
    const peak = Math.max(0, ...perNight);
    return { name: pool, capacityPerNight: capacity, avgJobsPerNight: total / nights, peakJobsPerNight: peak, avgUse: total / nights / capacity, peakUse: peak / capacity };
  });
  const all = result.nights.map((n) => n.jobs);
  const total = all.reduce((a, b) => a + b, 0);
  const peak = Math.max(0, ...all);
  uses.push({ name: 'per_ip', capacityPerNight: full.global, avgJobsPerNight: total / nights, peakJobsPerNight: peak, avgUse: total / nights / full.global, peakUse: peak / full.global });
  return uses;
}

export function runNightPlan(settings: NightSettings = DEFAULT_NIGHT_SETTINGS): NightResult {
  const policy = DEFAULT_FRESHNESS_POLICY;
  const limits = API_ENTREPRISE_LIMITS;
  const analytic = maxSustainableSuppliers(policy, limits, settings.nightHours);
  progress(`night: the planner's arithmetic gives ${analytic.maxSuppliers} suppliers (bottleneck ${analytic.bottleneck}); checking with the simulated clock`);
  const simulations: NightResult['simulations'] = [];
  const results = new Map<number, SimulationResult>();
  const run = (suppliers: number): number => {
    const { result, ms } = simulate(suppliers, settings, policy, limits);
    simulations.push({ suppliers, violations: result.violations, ms });
    results.set(suppliers, result);
    progress(`night: ${suppliers} suppliers over ${settings.nights} nights: ${result.violations} SLA misses (${(ms / 1000).toFixed(1)} s)`);
    return result.violations;
  };
  // bracket [holds, breaks]: start from the arithmetic; a size that holds is checked one above (the
  // edge is usually exact), a size that breaks gives a guess (about one miss per supplier beyond the
  // bottleneck's capacity); otherwise bisect, or grow while nothing breaks
  let holds = 0;
  let breaks: number | null = null;
  let probe = analytic.maxSuppliers;
  let edgeChecked = false;
  while (simulations.length < settings.maxSimulations) {
    const misses = run(probe);
    if (misses === 0) holds = Math.max(holds, probe);
    else breaks = Math.min(breaks ?? Number.POSITIVE_INFINITY, probe);
    if (breaks !== null && holds > 0 && breaks - holds <= Math.max(1, Math.floor(breaks * settings.precision))) break;
    if (misses === 0 && !edgeChecked && (breaks === null || holds + 1 < breaks)) {
      probe = holds + 1;
      edgeChecked = true;
    } else if (breaks === null) {
      probe = Math.ceil(holds * 1.05);
    } else if (misses > 0 && probe - misses > holds) {
      probe -= misses;
    } else {
      probe = Math.floor((holds + breaks) / 2);
    }
  }
  const best = results.get(holds) ?? simulate(holds, settings, policy, limits).result;
  return {
    settings: { ...settings, policy: 'DEFAULT_FRESHNESS_POLICY', headroom: policy.planningHeadroom },
    maxSuppliers: holds,
    analyticMaxSuppliers: analytic.maxSuppliers,
    analyticBottleneck: analytic.bottleneck,
    analyticExplanation: analytic.explanation,
    simulations,
    pools: poolUse(best, limits, settings.nightHours),
    firstBreakingSize: breaks,
  };
}
