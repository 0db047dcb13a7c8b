// Issue #5's last criterion, in virtual time: the real planner, executor, client and limiter run a
// night for a register against the fake API whose windows count on the same injected clock. Every
// SLA met, each pool at 95% or more of its limit over the full windows while it has work (and the
// per-IP ceiling leaves room), zero 429.
// The 10,000-supplier run is `npx tsx tests/bench/night-run-simulation.ts 10000 1`.
import { describe, expect, it } from 'vitest';
import { runNightSimulation } from '../bench/night-run-simulation';

describe('a night run in virtual time', () => {
  it('runs a 1,000-supplier register: every SLA met, pools at 95% of their limits, zero 429', async () => {
    const result = await runNightSimulation({ suppliers: 1_000, nights: 1, seed: 'night-simulation-test' });

    expect(result.count429).toBe(0);
    for (const pool of result.perPool) expect(pool.count429, pool.pool).toBe(0);
    expect(result.slaMisses).toBe(0);
    expect(result.jobs).toBeGreaterThan(0);
    expect(result.failedJobs).toBe(0);
    expect(result.nightsRun.every((night) => night.state === 'completed' && night.done === night.jobs)).toBe(true);
    const measured = result.perPool.filter((pool) => pool.fullWindows > 0);
    expect(measured.length).toBeGreaterThan(0);
    // API Entreprise's per-IP ceiling (2,000 calls per 10 minutes, all pools) is below the pools' sum
    // (425 a minute): while it is used up, the pools wait for it; in every other window each pool
    // with work runs at 95% or more of its own limit
    for (const pool of measured) expect(pool.utilizationWhenCeilingFree ?? 0, pool.pool).toBeGreaterThanOrEqual(0.95);
    // no real waiting: a night of virtual hours in seconds of real time
    expect(result.virtualHours).toBeGreaterThan(1);
    expect(result.wallMs).toBeLessThan(60_000);
  }, 120_000);
});
