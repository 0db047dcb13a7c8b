// The refresh engine's last criterion, in virtual time: the real planner, executor, client and
// limiter run a night for a register against the fake API whose windows count on the same injected
// clock. Every SLA met, zero 429, and the allowed capacity used: each pool at 95% or more of its
// limit over the full windows while it has work and the per-IP ceiling leaves it room; where the
// pools with work together ask for more than that ceiling (2,000 calls per 10 minutes, below the
// pools' sum of 425 a minute), the ceiling itself at 95% or more.
import { describe, expect, it } from 'vitest';
import { type NightRunResult, runNightSimulation } from '../bench/night-run-simulation';

function expectNightWithinLimits(result: NightRunResult): void {
  expect(result.count429).toBe(0);
  for (const pool of result.perPool) expect(pool.count429, pool.pool).toBe(0);
  expect(result.slaMisses).toBe(0);
  expect(result.jobs).toBeGreaterThan(0);
  expect(result.failedJobs).toBe(0);
  expect(result.nightsRun.every((night) => night.state === 'completed' && night.done === night.jobs)).toBe(true);
  // one night of a 4-hour window
  for (const night of result.nightsRun) expect(night.virtualMinutes).toBeLessThanOrEqual(240);
  const measured = result.perPool.filter((pool) => pool.fullWindows > 0);
  expect(measured.length).toBeGreaterThan(0);
  for (const pool of measured) {
    if (pool.utilizationWhenCeilingFree === null) {
      // every full window of this pool was one where the shared ceiling was used up
      expect(pool.ceilingBoundWindows, pool.pool).toBe(pool.fullWindows);
    } else {
      expect(pool.utilizationWhenCeilingFree, pool.pool).toBeGreaterThanOrEqual(0.95);
    }
  }
  if (result.ceiling.boundWindows > 0) expect(result.ceiling.utilizationWhenBound ?? 0).toBeGreaterThanOrEqual(0.95);
}

describe('a night run in virtual time', () => {
  it('runs a 1,000-supplier register: every SLA met, pools at 95% of their limits, zero 429', async () => {
    const result = await runNightSimulation({ suppliers: 1_000, nights: 1, seed: 'night-simulation-test' });
    expectNightWithinLimits(result);
    // no real waiting: a night of virtual hours in seconds of real time
    expect(result.virtualHours).toBeGreaterThan(1);
  }, 120_000);

  it('runs a 10,000-supplier register within the 4-hour night, the shared ceiling used to 95% where it binds', async () => {
    const result = await runNightSimulation({ suppliers: 10_000, nights: 1, seed: 'night-simulation-10k' });
    expectNightWithinLimits(result);
    // with 10,000 suppliers the pools together outrun the ceiling for most of the night
    expect(result.ceiling.boundWindows).toBeGreaterThan(0);
    expect(result.jobs).toBeGreaterThanOrEqual(30_000);
  }, 300_000);
});
