// Client-side throttling for API Entreprise. Ignoring 429s gets the whole IP banned for 12 hours,
// so each pool mirrors the server's own fixed window from the `RateLimit-*` headers of every
// answer and never sends a request those headers say will be refused. Generic rate-limiting
// libraries model a local budget only; here the server's word drives the budget.
import { type Clock, systemClock } from '../clock';
import { resetEpochMs } from './api-error';
import { GLOBAL_CEILINGS, RATE_LIMIT_POOLS, type RateLimitPoolId, type RateLimitPoolSpec } from './endpoint-catalogue';

/** Pools of a few requests a minute, whose share of the installation-wide ceilings is kept for them. */
const SCARCE_POOLS: ReadonlySet<RateLimitPoolId> = new Set<RateLimitPoolId>(['dgfip', 'cibtp', 'inpi_rne']);

export interface RateLimiterOptions {
  clock?: Clock;
  pools?: Partial<Record<RateLimitPoolId, Partial<Omit<RateLimitPoolSpec, 'id'>>>>;
  /** Per installation, over all pools: sliding windows. */
  globalCeilings?: readonly { limit: number; windowMs: number }[];
  /** Requests in flight at once per pool: keeps slow providers from piling up. */
  maxConcurrencyPerPool?: number;
  /** Waited past a window's announced end before counting on a fresh window (clock skew). */
  resetMarginMs?: number;
}

/** A granted send. Report how it went exactly once. */
export interface Permit {
  readonly pool: RateLimitPoolId;
  /** The answer arrived: its headers recalibrate the pool; a 429 also blocks it. */
  complete(status: number, headers: Headers, retryAfterMs?: number | null): void;
  /** No answer (timeout, network error): the request may or may not have been counted. */
  abandon(): void;
}

export interface PoolSnapshot {
  pool: RateLimitPoolId;
  limit: number;
  windowMs: number;
  /** What the server said remains in its current window, less what is in flight; null before any answer. */
  remaining: number | null;
  windowEndsAt: number | null;
  blockedUntil: number;
  inFlight: number;
  waiting: number;
  sent: number;
}

interface Waiter {
  resolve: (permit: Permit) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

class PoolState {
  limit: number;
  readonly windowMs: number;
  /** End of the server's current window; null until an answer said where it stands. */
  windowEndsAt: number | null = null;
  /** Requests this client sent that may count in the current window (in flight at its start included). */
  ownSends = 0;
  /** The highest count of used requests the server reported for the current window. */
  serverUsed = 0;
  /** Requests sent since that report arrived: the server cannot have counted them in it. */
  sentSinceReport = 0;
  /** The current window's end was extrapolated at a roll-over, not read from an answer yet. */
  windowAssumed = false;
  /** The latest window end an answer announced; consecutive ones give the server's window length. */
  lastAnnouncedEnd: number | null = null;
  /** Learned from the answers (a server may use another length than the configuration says). */
  learnedWindowMs: number;
  blockedUntil = 0;
  inFlight = 0;
  sent = 0;
  readonly waiters: Waiter[] = [];
  cancelTimer: (() => void) | null = null;

  constructor(readonly spec: RateLimitPoolSpec) {
    this.limit = spec.limit;
    this.windowMs = spec.windowMs;
    this.learnedWindowMs = spec.windowMs;
  }
}

export class RateLimiter {
  private readonly clock: Clock;
  private readonly pools = new Map<RateLimitPoolId, PoolState>();
  private readonly ceilings: { limit: number; windowMs: number; sends: number[] }[];
  private readonly maxConcurrency: number;
  private readonly resetMarginMs: number;

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrency = options.maxConcurrencyPerPool ?? 8;
    this.resetMarginMs = options.resetMarginMs ?? 500;
    for (const base of Object.values(RATE_LIMIT_POOLS)) {
      this.pools.set(base.id, new PoolState({ ...base, ...options.pools?.[base.id], id: base.id }));
    }
    this.ceilings = (options.globalCeilings ?? GLOBAL_CEILINGS).map((c) => ({ ...c, sends: [] }));
  }

  /** Waits until a request of this pool may be sent. */
  acquire(poolId: RateLimitPoolId, signal?: AbortSignal): Promise<Permit> {
    const pool = this.pool(poolId);
    return new Promise<Permit>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = pool.waiters.indexOf(waiter);
          if (index >= 0) pool.waiters.splice(index, 1);
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      pool.waiters.push(waiter);
      this.pump(pool);
    });
  }

  snapshot(poolId: RateLimitPoolId): PoolSnapshot {
    const pool = this.pool(poolId);
    this.rollWindow(pool, this.clock.now());
    return {
      pool: poolId,
      limit: pool.limit,
      windowMs: pool.windowMs,
      remaining: remainingOf(pool),
      windowEndsAt: pool.windowEndsAt,
      blockedUntil: pool.blockedUntil,
      inFlight: pool.inFlight,
      waiting: pool.waiters.length,
      sent: pool.sent,
    };
  }

  /** Holds every request of a pool until `untilMs` (provider outage, explicit back-off). */
  blockPool(poolId: RateLimitPoolId, untilMs: number): void {
    const pool = this.pool(poolId);
    pool.blockedUntil = Math.max(pool.blockedUntil, untilMs);
    this.pump(pool);
  }

  private pool(id: RateLimitPoolId): PoolState {
    const pool = this.pools.get(id);
    if (!pool) throw new Error(`unknown rate-limit pool ${id}`);
    return pool;
  }

  /** Past the announced end of the server's window, a new window starts with the full limit. */
  private rollWindow(pool: PoolState, now: number): void {
    if (pool.windowEndsAt === null) return;
    if (now < pool.windowEndsAt + this.resetMarginMs) return;
    const length = pool.learnedWindowMs;
    const elapsedWindows = Math.floor((now - pool.windowEndsAt) / length) + 1;
    pool.windowEndsAt += elapsedWindows * length;
    pool.windowAssumed = true;
    // requests still in flight may land in the new window: count them against it
    pool.ownSends = pool.inFlight;
    pool.serverUsed = 0;
    pool.sentSinceReport = 0;
  }

  /** Milliseconds until this pool may send, 0 when it may send now, null when only a completion can free it. */
  private waitFor(pool: PoolState, now: number): number | null {
    if (pool.blockedUntil > now) return pool.blockedUntil - now;
    if (pool.inFlight >= this.maxConcurrency) return null;
    // before the first answer nothing is known of the server's window: one request at a time
    const remaining = remainingOf(pool);
    if (remaining === null) return pool.inFlight === 0 ? this.ceilingWait(now, pool) : null;
    if (remaining <= 0) {
      if (pool.windowEndsAt === null) return null;
      return Math.max(1, pool.windowEndsAt + this.resetMarginMs - now);
    }
    return this.ceilingWait(now, pool);
  }

  /**
   * Time until the installation-wide ceilings let this pool send. The ceilings (200 a minute over
   * ten minutes) are below the pools' sum (425 a minute): left alone, the busy JSON and URSSAF pools
   * would take every slot and DGFIP, 5 a minute, would miss its nights. So while a scarce pool has
   * work, its share of each ceiling is kept for it.
   */
  private ceilingWait(now: number, pool: PoolState): number {
    let wait = 0;
    for (const ceiling of this.ceilings) {
      while (ceiling.sends.length > 0 && (ceiling.sends[0] as number) + ceiling.windowMs <= now) ceiling.sends.shift();
      const allowed = SCARCE_POOLS.has(pool.spec.id) ? ceiling.limit : ceiling.limit - this.scarceReserve(ceiling.windowMs);
      if (ceiling.sends.length >= allowed) {
        const freeing = ceiling.sends[Math.max(0, ceiling.sends.length - allowed)] as number;
        wait = Math.max(wait, freeing + ceiling.windowMs - now);
      }
    }
    return wait;
  }

  /** What the scarce pools with work could send within one ceiling window. */
  private scarceReserve(windowMs: number): number {
    let reserve = 0;
    for (const id of SCARCE_POOLS) {
      const scarce = this.pools.get(id);
      if (!scarce || (scarce.waiters.length === 0 && scarce.inFlight === 0)) continue;
      reserve += Math.ceil((scarce.limit * windowMs) / scarce.learnedWindowMs);
    }
    return reserve;
  }

  private pump(pool: PoolState): void {
    pool.cancelTimer?.();
    pool.cancelTimer = null;
    for (;;) {
      if (pool.waiters.length === 0) return;
      const now = this.clock.now();
      this.rollWindow(pool, now);
      const wait = this.waitFor(pool, now);
      if (wait === null) return; // a completion will pump again
      if (wait > 0) {
        pool.cancelTimer = this.clock.setTimer(() => {
          pool.cancelTimer = null;
          this.pump(pool);
        }, wait);
        return;
      }
      const waiter = pool.waiters.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.grant(pool, now));
    }
  }

  private grant(pool: PoolState, now: number): Permit {
    pool.inFlight += 1;
    pool.sent += 1;
    if (pool.windowEndsAt !== null) {
      pool.ownSends += 1;
      pool.sentSinceReport += 1;
    }
    for (const ceiling of this.ceilings) ceiling.sends.push(now);
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('permit already settled');
      settled = true;
      pool.inFlight -= 1;
    };
    return {
      pool: pool.spec.id,
      complete: (status, headers, retryAfterMs) => {
        settle();
        this.observe(pool, status, headers, retryAfterMs ?? null);
        this.pump(pool);
        this.pumpAll();
      },
      abandon: () => {
        settle();
        this.pump(pool);
      },
    };
  }

  private observe(pool: PoolState, status: number, headers: Headers, retryAfterMs: number | null): void {
    const now = this.clock.now();
    const limit = headerNumber(headers, 'ratelimit-limit');
    const remaining = headerNumber(headers, 'ratelimit-remaining');
    const reset = headerNumber(headers, 'ratelimit-reset');
    if (limit !== null && limit > 0) pool.limit = limit;
    if (remaining !== null && reset !== null) {
      const endsAt = resetEpochMs(reset, now);
      const used = Math.max(0, pool.limit - remaining);
      if (pool.lastAnnouncedEnd !== null && endsAt > pool.lastAnnouncedEnd) {
        pool.learnedWindowMs = Math.min(pool.learnedWindowMs, endsAt - pool.lastAnnouncedEnd);
      }
      pool.lastAnnouncedEnd = Math.max(pool.lastAnnouncedEnd ?? endsAt, endsAt);
      const stale = endsAt + this.resetMarginMs <= now;
      if (stale) {
        // a late answer about a window already over says nothing of the current one
      } else if (pool.windowEndsAt === null || pool.windowAssumed || endsAt > pool.windowEndsAt) {
        // a window seen for the first time: what is in flight may land in it; after an assumed
        // roll-over, what was sent since then counts too
        // (the request answered here counts in it as well)
        pool.ownSends = pool.windowAssumed ? Math.max(pool.ownSends, pool.inFlight + 1) : pool.inFlight + 1;
        pool.serverUsed = used;
        pool.sentSinceReport = 0;
        pool.windowEndsAt = endsAt;
        pool.windowAssumed = false;
      } else if (endsAt === pool.windowEndsAt) {
        // answers arrive out of order: the server's count within a window only goes up
        if (used > pool.serverUsed) {
          pool.serverUsed = used;
          pool.sentSinceReport = 0;
        }
      }
    } else if (pool.windowEndsAt === null && status < 500) {
      // a server that sends no headers: fall back on the configured limit for a window from now
      pool.windowEndsAt = now + pool.windowMs;
      pool.ownSends = pool.inFlight + 1;
      pool.serverUsed = 0;
      pool.sentSinceReport = 0;
    }
    if (status === 429) {
      pool.serverUsed = pool.limit;
      const wait = retryAfterMs ?? (pool.windowEndsAt !== null ? pool.windowEndsAt - now : pool.windowMs);
      pool.blockedUntil = Math.max(pool.blockedUntil, now + Math.max(1_000, wait));
    }
  }

  private pumpAll(): void {
    for (const pool of this.pools.values()) if (pool.waiters.length > 0 && pool.cancelTimer === null) this.pump(pool);
  }
}

/**
 * What may still be sent in the current window. Two lower bounds of what is used: every request
 * this client sent in the window, and the server's highest count plus what was sent after that
 * count arrived (which it cannot include). Taking the larger, rather than subtracting everything in
 * flight from the server's count, does not count twice the requests the server has already seen,
 * so the pool can use its whole limit; the server's count still covers any other use of the token.
 */
function remainingOf(pool: PoolState): number | null {
  if (pool.windowEndsAt === null) return null;
  return Math.max(0, pool.limit - Math.max(pool.ownSends, pool.serverUsed + pool.sentSinceReport));
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}
