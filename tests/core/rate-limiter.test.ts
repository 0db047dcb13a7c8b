import { describe, expect, it } from 'vitest';
import { RateLimiter, type Permit } from '../../src-main/node/api-entreprise/rate-limiter';
import type { RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { ManualClock, flushMicrotasks } from '../support/manual-clock';

function rateHeaders(limit: number, remaining: number, resetEpochSeconds: number): Headers {
  return new Headers({
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(remaining),
    'RateLimit-Reset': String(resetEpochSeconds),
  });
}

/** Collects permits as they are granted, without awaiting each. */
function requestMany(limiter: RateLimiter, n: number, pool: RateLimitPoolId = 'dgfip') {
  const granted: Permit[] = [];
  for (let i = 0; i < n; i += 1) void limiter.acquire(pool).then((p) => granted.push(p));
  return granted;
}

describe('rate limiter', () => {
  it('sends one probe request until the server has said where its window stands', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    const granted = requestMany(limiter, 5);
    await flushMicrotasks();
    expect(granted).toHaveLength(1);
    const windowEnd = Math.ceil(clock.now() / 1000) + 60;
    granted[0]?.complete(200, rateHeaders(5, 4, windowEnd));
    await flushMicrotasks();
    expect(granted).toHaveLength(5);
  });

  it('never sends more than the headers allow, and resumes when the window ends', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, resetMarginMs: 200 });
    const windowEnd = Math.ceil(clock.now() / 1000) + 30;
    const granted = requestMany(limiter, 12);
    await flushMicrotasks();
    granted[0]?.complete(200, rateHeaders(5, 2, windowEnd)); // 3 already used elsewhere this window
    await flushMicrotasks();
    expect(granted).toHaveLength(3);
    for (const p of granted.slice(1)) p.complete(200, rateHeaders(5, 0, windowEnd));
    await clock.advance(29_000);
    expect(granted).toHaveLength(3);
    await clock.advance(1_300);
    expect(granted).toHaveLength(8);
    expect(limiter.snapshot('dgfip')).toMatchObject({ remaining: 0, inFlight: 5, waiting: 4 });
  });

  it('counts requests still in flight against what the server says remains', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, maxConcurrencyPerPool: 50 });
    const windowEnd = Math.ceil(clock.now() / 1000) + 60;
    const granted = requestMany(limiter, 30, 'json');
    await flushMicrotasks();
    granted[0]?.complete(200, rateHeaders(10, 9, windowEnd));
    await flushMicrotasks();
    expect(granted).toHaveLength(10);
    // a late answer that still says 9 remain must not re-open the budget
    granted[1]?.complete(200, rateHeaders(10, 8, windowEnd));
    granted[2]?.complete(200, rateHeaders(10, 9, windowEnd));
    await flushMicrotasks();
    expect(granted).toHaveLength(10);
  });

  it('blocks a pool after a 429 for Retry-After, without holding the other pools', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    const windowEnd = Math.ceil(clock.now() / 1000) + 60;
    const first = await limiter.acquire('dgfip');
    first.complete(429, rateHeaders(5, 0, windowEnd), 7_000);
    const waiting = requestMany(limiter, 1);
    const other = await limiter.acquire('json');
    expect(other.pool).toBe('json');
    await clock.advance(6_900);
    expect(waiting).toHaveLength(0);
    await clock.advance(200);
    // the window is still exhausted by the server's count: wait for its end
    expect(waiting).toHaveLength(0);
    await clock.advance(60_000);
    expect(waiting).toHaveLength(1);
  });

  it('holds the installation under its global ceilings', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, globalCeilings: [{ limit: 3, windowMs: 10_000 }], maxConcurrencyPerPool: 10 });
    const windowEnd = Math.ceil(clock.now() / 1000) + 600;
    const probe = await limiter.acquire('json');
    probe.complete(200, rateHeaders(250, 249, windowEnd));
    const granted = requestMany(limiter, 5, 'json');
    await flushMicrotasks();
    expect(granted).toHaveLength(2);
    await clock.advance(10_000);
    expect(granted).toHaveLength(5);
  });

  it('adopts the limit the server announces', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    const probe = await limiter.acquire('urssaf');
    probe.complete(200, rateHeaders(40, 39, Math.ceil(clock.now() / 1000) + 60));
    expect(limiter.snapshot('urssaf')).toMatchObject({ limit: 40, remaining: 39 });
  });

  it('frees the slot of a request that got no answer', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    const first = await limiter.acquire('inpi_rne');
    const next = requestMany(limiter, 1, 'inpi_rne');
    await flushMicrotasks();
    expect(next).toHaveLength(0);
    first.abandon();
    await flushMicrotasks();
    expect(next).toHaveLength(1);
    expect(() => first.abandon()).toThrow(/already settled/);
  });

  it('gives up waiting when the caller aborts', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock });
    await limiter.acquire('cibtp');
    const controller = new AbortController();
    const waiting = limiter.acquire('cibtp', controller.signal);
    controller.abort(new Error('cancelled by user'));
    await expect(waiting).rejects.toThrow('cancelled by user');
    expect(limiter.snapshot('cibtp').waiting).toBe(0);
  });

  it('learns a window shorter than configured from consecutive answers', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, resetMarginMs: 50 });
    const second = (offsetMs: number) => Math.ceil((clock.now() + offsetMs) / 1000);
    const granted = requestMany(limiter, 30);
    await flushMicrotasks();
    granted[0]?.complete(200, rateHeaders(5, 4, second(1_000)));
    await flushMicrotasks();
    expect(granted).toHaveLength(5);
    for (const p of granted.slice(1, 5)) p.complete(200, rateHeaders(5, 0, second(1_000)));
    // the configured window is a minute; past the announced end a new window is assumed
    await clock.advance(1_100);
    expect(granted).toHaveLength(10);
    granted[5]?.complete(200, rateHeaders(5, 0, second(900)));
    for (const p of granted.slice(6, 10)) p.complete(200, rateHeaders(5, 0, second(900)));
    // two announced ends one second apart: the next window is expected a second later, not a minute
    await clock.advance(1_000);
    expect(granted).toHaveLength(15);
    expect(limiter.snapshot('dgfip').windowEndsAt).toBeLessThanOrEqual(clock.now() + 1_000);
  });

  it('uses the whole limit when answers come back while others are in flight (nothing counted twice)', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, maxConcurrencyPerPool: 4 });
    const windowEnd = Math.ceil(clock.now() / 1000) + 60;
    const limit = 30;
    let counted = 0; // the server counts each request as it arrives
    const inFlight: Permit[] = [];
    const granted = requestMany(limiter, 100, 'json');
    for (let step = 0; step < 200; step += 1) {
      await flushMicrotasks();
      while (granted.length > counted) {
        inFlight.push(granted[counted] as Permit);
        counted += 1;
      }
      const oldest = inFlight.shift();
      if (!oldest) break;
      oldest.complete(200, rateHeaders(limit, limit - counted, windowEnd));
    }
    expect(granted).toHaveLength(limit);
  });

  it('keeps the scarce pools their share of the installation-wide ceiling', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ clock, globalCeilings: [{ limit: 20, windowMs: 60_000 }], maxConcurrencyPerPool: 50 });
    const windowEnd = Math.ceil(clock.now() / 1000) + 60;
    for (const pool of ['json', 'dgfip'] as const) {
      const probe = await limiter.acquire(pool);
      probe.complete(200, rateHeaders(pool === 'json' ? 250 : 5, pool === 'json' ? 249 : 4, windowEnd));
    }
    const dgfip = requestMany(limiter, 10, 'dgfip');
    const json = requestMany(limiter, 100, 'json');
    await flushMicrotasks();
    // DGFIP gets the 4 its window still allows; JSON stops at the ceiling less DGFIP's share of 5
    // (20 − 5 = 15 sends in all, 6 already made): it never takes the slots DGFIP needs
    expect(dgfip).toHaveLength(4);
    expect(json).toHaveLength(9);
  });
});
