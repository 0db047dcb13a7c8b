// The local fake API Entreprise as the demonstration uses it: in the main process, on 127.0.0.1
// and a port the system picks, with the same invented population every time (so a register kept
// from an earlier day still matches it) and a token of its own.
import { GLOBAL_CEILINGS, RATE_LIMIT_POOLS, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import { DEV_TOKEN_LIFETIME_SECONDS } from '../fake-api/dev-token';
import { startFakeApi, type FakeApiHandle } from '../fake-api/fake-api-server';

export const DEMO_SEED = 'vigie-demonstration';
/** A bit more than the register takes, so that the population is not the register itself. */
const POPULATION_MARGIN = 1.5;
/**
 * The demonstration fills a register of a few hundred suppliers in seconds: its server counts a
 * hundred times the real per-minute limits (DGFIP's 5 a minute alone would take an hour). The
 * client still reads and obeys every RateLimit header it sends.
 */
const LIMITS_FACTOR = 100;

/** The commune of the demonstration (a valid SIRET: the DINUM's). */
export const DEMO_COMMUNE_SIRET = '13002526500013';

/** What the demonstration token is called in the Jeton screen. */
export const DEMO_TOKEN_TITLE = 'Vigie – démonstration (API locale)';

/** The token was issued eight months ago, so that the replayed checks happened in its lifetime. */
const DEMO_TOKEN_AGE_SECONDS = 240 * 86_400;

export interface DemoApi {
  readonly api: FakeApiHandle;
  /** A token this server accepts, with every scope, issued eight months ago (18-month life). */
  mintToken(): string;
  close(): Promise<void>;
}

export async function startDemoApi(options: { supplierCount: number; now: () => number }): Promise<DemoApi> {
  const poolLimits = Object.fromEntries(
    Object.values(RATE_LIMIT_POOLS).map((pool) => [pool.id, pool.limit * LIMITS_FACTOR]),
  ) as Record<RateLimitPoolId, number>;
  const api = await startFakeApi({
    seed: DEMO_SEED,
    companyCount: Math.ceil(options.supplierCount * POPULATION_MARGIN),
    now: options.now,
    poolLimits,
    globalCeilings: GLOBAL_CEILINGS.map((ceiling) => ({ limit: ceiling.limit * LIMITS_FACTOR, windowMs: ceiling.windowMs })),
  });
  return {
    api,
    mintToken: () => {
      const issuedAt = Math.floor(Date.now() / 1000) - DEMO_TOKEN_AGE_SECONDS;
      return api.mintToken({ issuedAt, expiresAt: issuedAt + DEV_TOKEN_LIFETIME_SECONDS, sub: DEMO_TOKEN_TITLE });
    },
    close: () => api.close(),
  };
}
