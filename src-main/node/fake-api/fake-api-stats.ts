// What the fake API has answered, for tests and benchmarks: counts per status, per rate-limit
// pool, per endpoint, 429s sent, faults injected, documents served. One live object, reset in
// place so references held by a test stay valid.
import { RATE_LIMIT_POOLS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import { FAULT_KINDS, type FaultKind } from './fault-injection';

export interface PoolStats {
  requests: number;
  /** HTTP status (as a string) -> count; "reset" for connections cut mid-answer. */
  byStatus: Record<string, number>;
  /** 429s sent for this pool (per-token limit or per-IP ceiling). */
  rateLimited: number;
}

export interface FakeApiStats {
  /** Every HTTP request, documents and unknown paths included. */
  requests: number;
  /** Requests to catalogue endpoints. */
  apiCalls: number;
  byStatus: Record<string, number>;
  byPool: Record<RateLimitPoolId, PoolStats>;
  byEndpoint: Partial<Record<EndpointId, number>>;
  /** All 429s sent. */
  rateLimited: number;
  /** 429s caused by the per-IP ceilings rather than a pool. */
  ipCeilingHits: number;
  faults: Record<FaultKind, number>;
  documents: { served: number; expired: number; unknown: number; withAuthorization: number };
  /** Calls that carried a `token` query parameter (refused: the token belongs in the header). */
  tokenInQuery: number;
  /** Answers served from the attestation cache (`X-Response-Cached: true`). */
  cachedAnswers: number;
  /** Requests dropped without an answer because their IP is banned. */
  bannedRequests: number;
  inFlight: number;
  maxInFlight: number;
}

function emptyPools(): Record<RateLimitPoolId, PoolStats> {
  const pools = {} as Record<RateLimitPoolId, PoolStats>;
  for (const id of Object.keys(RATE_LIMIT_POOLS) as RateLimitPoolId[]) pools[id] = { requests: 0, byStatus: {}, rateLimited: 0 };
  return pools;
}

function emptyFaults(): Record<FaultKind, number> {
  const faults = {} as Record<FaultKind, number>;
  for (const kind of FAULT_KINDS) faults[kind] = 0;
  return faults;
}

export function createStats(): FakeApiStats {
  return {
    requests: 0,
    apiCalls: 0,
    byStatus: {},
    byPool: emptyPools(),
    byEndpoint: {},
    rateLimited: 0,
    ipCeilingHits: 0,
    faults: emptyFaults(),
    documents: { served: 0, expired: 0, unknown: 0, withAuthorization: 0 },
    tokenInQuery: 0,
    cachedAnswers: 0,
    bannedRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
}

/** Zeroes the counters in place (requests still running keep `inFlight` right). */
export function resetStats(stats: FakeApiStats): void {
  const inFlight = stats.inFlight;
  Object.assign(stats, createStats(), { inFlight, maxInFlight: inFlight });
}

export function recordStatus(stats: FakeApiStats, pool: RateLimitPoolId | null, status: number | 'reset'): void {
  const key = String(status);
  stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  if (status === 429) stats.rateLimited += 1;
  if (pool === null) return;
  const poolStats = stats.byPool[pool];
  poolStats.requests += 1;
  poolStats.byStatus[key] = (poolStats.byStatus[key] ?? 0) + 1;
  if (status === 429) poolStats.rateLimited += 1;
}
