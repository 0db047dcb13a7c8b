// The knobs of the fake API and their defaults. Defaults reproduce the real server (limits from
// RATE_LIMIT_POOLS, one-minute windows, Retry-After on 429s, real document expiries) with no
// latency and no faults, so a test gets exactly what it asks for.
import {
  ENDPOINTS,
  GLOBAL_CEILINGS,
  RATE_LIMIT_POOLS,
  type EndpointId,
  type RateLimitPoolId,
} from '../api-entreprise/endpoint-catalogue';
import { DEV_TOKEN_SECRET } from './dev-token';
import { DEFAULT_RANDOM_WEIGHTS, type FaultKind } from './fault-injection';
import { NO_LATENCY, type LatencySpec } from './latency';
import type { IpBanOptions } from './server-rate-limits';
import { DEFAULT_COMPANY_COUNT, DEFAULT_SEED } from './synthetic-companies';

export interface FakeApiOptions {
  /** 0 (default) picks a free port; the server always binds 127.0.0.1 only. */
  port?: number;
  /** Seed of the population, document ids, faults and latencies. Default "vigie". */
  seed?: string;
  /** Size of the population. Default 5,000. */
  companyCount?: number;
  /** Clock (epoch ms) for dates, windows, caches and document expiry. Default Date.now. */
  now?: () => number;
  /** Rate-limit window length. Default 60,000 (the real one minute). */
  windowMs?: number;
  /** Requests per window and per token, by pool. Default RATE_LIMIT_POOLS' limits. */
  poolLimits?: Partial<Record<RateLimitPoolId, number>>;
  /**
   * Per-IP ceilings, all tokens together. Default GLOBAL_CEILINGS with their windows scaled by
   * windowMs / 60,000, so a benchmark with one-second windows keeps the same proportions.
   */
  globalCeilings?: readonly { limit: number; windowMs: number }[];
  /** Send `Retry-After` with 429s. Default true; false tests clients that fall back on RateLimit-Reset. */
  retryAfter?: boolean;
  /** HS256 secret the tokens must be signed with. Default DEV_TOKEN_SECRET. */
  jwtSecret?: string;
  /** Token ids (`jti`) refused with 401 00105. Default none. */
  blacklistedJtis?: Iterable<string>;
  /** Latency of provider answers (after the 401/403/422/429 checks). Default none. */
  latency?: LatencySpec;
  /** Latency per pool, overriding `latency` (e.g. slow DGFIP). */
  latencyByPool?: Partial<Record<RateLimitPoolId, LatencySpec>>;
  /** Latency of document downloads. Default none. */
  documentLatency?: LatencySpec;
  /** Probability that an eligible call gets a random fault. Default 0. */
  faultRate?: number;
  /** Relative weights of the random fault kinds. Default DEFAULT_RANDOM_WEIGHTS. */
  faultWeights?: Partial<Record<FaultKind, number>>;
  /** `meta.retry_in` of injected 502s, in seconds. Default 30. */
  providerRetryInSeconds?: number;
  /** Delay of a "slow" fault, past the client's timeouts. Default 15,000 ms. */
  slowMs?: number;
  /** How long a 504 fault waits before answering (the real server waits 10 s). Default 0. */
  gatewayTimeoutDelayMs?: number;
  /** Size of a "huge_body" answer. Default 64 MiB. */
  hugeBodyBytes?: number;
  /** `document_url_expires_in` / `expires_in` per endpoint, in seconds (see DEFAULT_DOCUMENT_TTL_SECONDS). */
  documentExpiresInSeconds?: Partial<Record<EndpointId, number>>;
  /** Answer 409 00015 to a call identical to one still running for the same token. Default true. */
  rejectDuplicateInFlight?: boolean;
  /** Ban an IP that keeps calling through 429s (it then gets no answer at all). Default off. */
  ipBan?: IpBanOptions | null;
  /** One line per request (method, path without query, status, ms). Default silent. */
  log?: (line: string) => void;
}

/** What the real endpoints announce (openapi.yaml examples; BRIEF §3: a day for URSSAF, ten minutes for CIBTP). */
export const DEFAULT_DOCUMENT_TTL_SECONDS: Record<EndpointId, number> = {
  privileges: 0,
  'insee.unite_legale': 0,
  'insee.unite_legale_diffusible': 0,
  'insee.etablissement': 0,
  'insee.etablissement_diffusible': 0,
  'insee.siege_social': 0,
  'insee.siege_social_diffusible': 0,
  'urssaf.attestation_vigilance': 86_400,
  'dgfip.attestation_fiscale': 86_400,
  'infogreffe.extrait_rcs': 0,
  'infogreffe.mandataires_sociaux': 0,
  'inpi.extrait_rne': 86_400,
  'qualibat.certification': 86_400,
  'ademe.certification_rge': 86_400,
  'opqibi.certification': 86_400,
  'qualifelec.certificats': 86_400,
  'carif_oref.qualiopi': 0,
  'cnetp.attestation': 7_889_238,
  'cibtp.attestation': 600,
  'probtp.attestation': 7_889_238,
  'probtp.conformite': 0,
  'msa.conformite': 0,
  'fntp.carte_professionnelle': 7_889_238,
  'djepva.association': 0,
  'vies.numero_tva': 0,
};

/**
 * Answers cached until 8:00 the next day, with `X-Response-Cached`: the catalogue's attestation
 * family, plus the paths whose contract documents the header (Qualibat v4, INPI RNE, DJEPVA v4).
 */
export const CACHED_ENDPOINTS: ReadonlySet<EndpointId> = new Set<EndpointId>([
  ...(Object.values(ENDPOINTS)
    .filter((endpoint) => endpoint.cachedUntilMorning)
    .map((endpoint) => endpoint.id)),
  'qualibat.certification',
  'inpi.extrait_rne',
  'djepva.association',
]);

export interface ResolvedOptions {
  port: number;
  seed: string;
  companyCount: number;
  now: () => number;
  windowMs: number;
  poolLimits: Record<RateLimitPoolId, number>;
  globalCeilings: readonly { limit: number; windowMs: number }[];
  retryAfter: boolean;
  jwtSecret: string;
  blacklistedJtis: Set<string>;
  latency: LatencySpec;
  latencyByPool: Partial<Record<RateLimitPoolId, LatencySpec>>;
  documentLatency: LatencySpec;
  faultRate: number;
  faultWeights: Partial<Record<FaultKind, number>>;
  providerRetryInSeconds: number;
  slowMs: number;
  gatewayTimeoutDelayMs: number;
  hugeBodyBytes: number;
  documentTtlSeconds: Record<EndpointId, number>;
  rejectDuplicateInFlight: boolean;
  ipBan: IpBanOptions | null;
  log: ((line: string) => void) | null;
}

export function resolveOptions(options: FakeApiOptions = {}): ResolvedOptions {
  const windowMs = options.windowMs ?? 60_000;
  if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  const poolLimits = {} as Record<RateLimitPoolId, number>;
  for (const pool of Object.values(RATE_LIMIT_POOLS)) poolLimits[pool.id] = options.poolLimits?.[pool.id] ?? pool.limit;
  const scale = windowMs / 60_000;
  const faultRate = options.faultRate ?? 0;
  if (!(faultRate >= 0 && faultRate <= 1)) throw new RangeError('faultRate must be between 0 and 1');
  return {
    port: options.port ?? 0,
    seed: options.seed ?? DEFAULT_SEED,
    companyCount: options.companyCount ?? DEFAULT_COMPANY_COUNT,
    now: options.now ?? Date.now,
    windowMs,
    poolLimits,
    globalCeilings:
      options.globalCeilings ?? GLOBAL_CEILINGS.map((c) => ({ limit: c.limit, windowMs: Math.max(1, Math.round(c.windowMs * scale)) })),
    retryAfter: options.retryAfter ?? true,
    jwtSecret: options.jwtSecret ?? DEV_TOKEN_SECRET,
    blacklistedJtis: new Set(options.blacklistedJtis ?? []),
    latency: options.latency ?? NO_LATENCY,
    latencyByPool: options.latencyByPool ?? {},
    documentLatency: options.documentLatency ?? NO_LATENCY,
    faultRate,
    faultWeights: options.faultWeights ?? DEFAULT_RANDOM_WEIGHTS,
    providerRetryInSeconds: options.providerRetryInSeconds ?? 30,
    slowMs: options.slowMs ?? 15_000,
    gatewayTimeoutDelayMs: options.gatewayTimeoutDelayMs ?? 0,
    hugeBodyBytes: options.hugeBodyBytes ?? 64 * 1024 * 1024,
    documentTtlSeconds: { ...DEFAULT_DOCUMENT_TTL_SECONDS, ...options.documentExpiresInSeconds },
    rejectDuplicateInFlight: options.rejectDuplicateInFlight ?? true,
    ipBan: options.ipBan ?? null,
    log: options.log ?? null,
  };
}
