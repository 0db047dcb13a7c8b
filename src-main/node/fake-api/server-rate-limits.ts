// The server side of API Entreprise's rate limits: fixed windows per token and pool, plus per-IP
// ceilings, and the RateLimit-* / Retry-After headers the client must obey. Windows are aligned on
// multiples of `windowMs` since the epoch, so every client sees the same window boundaries.

export interface WindowDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** Epoch milliseconds at which the current window ends. */
  resetAtMs: number;
}

export class FixedWindowCounter {
  private readonly buckets = new Map<string, { window: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(limit >= 0) || !(windowMs > 0)) throw new RangeError('a window needs a limit >= 0 and a duration > 0');
  }

  private current(key: string, nowMs: number): { window: number; count: number } {
    const window = Math.floor(nowMs / this.windowMs);
    const bucket = this.buckets.get(key);
    if (bucket && bucket.window === window) return bucket;
    const fresh = { window, count: 0 };
    this.buckets.set(key, fresh);
    return fresh;
  }

  /** What taking one request now would give, without counting it. */
  peek(key: string, nowMs: number): WindowDecision {
    const bucket = this.current(key, nowMs);
    const allowed = bucket.count < this.limit;
    return {
      allowed,
      limit: this.limit,
      remaining: allowed ? this.limit - bucket.count - 1 : 0,
      resetAtMs: (bucket.window + 1) * this.windowMs,
    };
  }

  /** Counts the request (callers peek every counter first, so a refusal counts nowhere). */
  commit(key: string, nowMs: number): void {
    this.current(key, nowMs).count += 1;
  }

  reset(): void {
    this.buckets.clear();
  }
}

/**
 * `RateLimit-Reset` is the Unix time, in whole seconds, of the window's end. With sub-second
 * windows (benchmarks) it is rounded UP, so a client waiting until that second never comes back
 * before the window has really ended.
 */
export function resetHeaderSeconds(resetAtMs: number): number {
  return Math.ceil(resetAtMs / 1000);
}

/** Whole seconds, at least 1: `Retry-After: 0` would invite an immediate retry. */
export function retryAfterSeconds(resetAtMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000));
}

export function rateLimitHeaders(decision: WindowDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(resetHeaderSeconds(decision.resetAtMs)),
  };
}

export interface IpBanOptions {
  /** Requests sent while a 429 still applies, before the IP is banned. */
  afterIgnored429: number;
  /** The real server bans for 12 hours. */
  durationMs: number;
}

/**
 * BRIEF §3: ignoring 429s gets the IP banned, and a banned IP gets no answer at all. A request
 * that comes back for the same token and pool before the announced reset counts as ignoring it.
 */
export class IpBanPolicy {
  private readonly blockedUntil = new Map<string, number>();
  private readonly ignored = new Map<string, number>();
  private readonly bannedUntil = new Map<string, number>();

  constructor(private readonly options: IpBanOptions) {}

  isBanned(ip: string, nowMs: number): boolean {
    const until = this.bannedUntil.get(ip);
    return until !== undefined && nowMs < until;
  }

  /** Called for every rate-limited request before it is answered. */
  noteRequest(ip: string, limitKey: string, nowMs: number): void {
    const until = this.blockedUntil.get(limitKey);
    if (until === undefined || nowMs >= until) return;
    const count = (this.ignored.get(ip) ?? 0) + 1;
    this.ignored.set(ip, count);
    if (count >= this.options.afterIgnored429) this.bannedUntil.set(ip, nowMs + this.options.durationMs);
  }

  noteRefusal(limitKey: string, resetAtMs: number): void {
    this.blockedUntil.set(limitKey, resetAtMs);
  }

  reset(): void {
    this.blockedUntil.clear();
    this.ignored.clear();
    this.bannedUntil.clear();
  }
}
