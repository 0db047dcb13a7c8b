// API Entreprise's limits with one-second windows instead of one-minute ones, so that a refresh
// test runs in seconds; the ceilings keep their ratio (1,000 per window, 2,000 per ten windows).
import type { RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { POOL_IDS, type RateLimits } from '../../src-main/node/refresh/refresh-planner';

export const COMPRESSED_WINDOW_MS = 1_000;

export const COMPRESSED_CEILINGS = [
  { limit: 1_000, windowMs: COMPRESSED_WINDOW_MS },
  { limit: 2_000, windowMs: 10 * COMPRESSED_WINDOW_MS },
];

export interface CompressedLimits {
  /** Per pool, per window: what the fake API enforces (`poolLimits`). */
  poolLimits: Record<RateLimitPoolId, number>;
  /** The same as the planner and the limiter take them. */
  limits: RateLimits;
}

/** The real per-minute limits per compressed window, with the pools a test wants faster. */
export function compressedLimits(overrides: Partial<Record<RateLimitPoolId, number>> = {}): CompressedLimits {
  const poolLimits: Record<RateLimitPoolId, number> = { json: 250, urssaf: 100, documents: 50, dgfip: 5, cibtp: 5, inpi_rne: 15, ...overrides };
  return {
    poolLimits,
    limits: {
      pools: Object.fromEntries(POOL_IDS.map((pool) => [pool, { limit: poolLimits[pool], windowMs: COMPRESSED_WINDOW_MS }])) as RateLimits['pools'],
      ceilings: COMPRESSED_CEILINGS,
    },
  };
}
