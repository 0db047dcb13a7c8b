// How long the fake API takes to answer: nothing, a fixed delay, or a log-normal distribution
// given by its median and 99th percentile (a provider's latency has a long right tail).
import type { Prng } from './deterministic-random';

export type LatencySpec =
  | { kind: 'none' }
  | { kind: 'fixed'; ms: number }
  | { kind: 'lognormal'; medianMs: number; p99Ms: number };

export const NO_LATENCY: LatencySpec = { kind: 'none' };

/** z-score of the 99th percentile of a standard normal distribution. */
const Z_P99 = 2.326_347_874;

export function sampleLatencyMs(spec: LatencySpec, prng: Prng): number {
  switch (spec.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return Math.max(0, spec.ms);
    case 'lognormal': {
      const median = Math.max(1, spec.medianMs);
      const sigma = Math.log(Math.max(spec.p99Ms, median) / median) / Z_P99;
      // capped far in the tail so one draw cannot stall a test run for minutes
      return Math.min(Math.round(median * Math.exp(sigma * prng.normal())), spec.p99Ms * 4);
    }
  }
}

/** CLI syntax: `none`, `120` (fixed) or `120:1500` (log-normal median:p99). */
export function parseLatency(text: string): LatencySpec {
  if (text === 'none' || text === '0') return NO_LATENCY;
  const fixed = /^(\d+)$/.exec(text);
  if (fixed) return { kind: 'fixed', ms: Number(fixed[1]) };
  const lognormal = /^(\d+):(\d+)$/.exec(text);
  if (lognormal) {
    const medianMs = Number(lognormal[1]);
    const p99Ms = Number(lognormal[2]);
    if (p99Ms < medianMs) throw new Error('latency p99 must be at least the median');
    return { kind: 'lognormal', medianMs, p99Ms };
  }
  throw new Error(`latency must be "none", "<ms>" or "<median ms>:<p99 ms>", not "${text}"`);
}
