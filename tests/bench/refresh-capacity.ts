// Part 1: refresh capacity against the rate limits. The real client (ApiEntrepriseClient +
// RateLimiter, documents downloaded and stored) and a naive sequential client are driven against
// the local fake API, with a realistic latency law, 1% of 504s and the limits of BRIEF §3 on a
// time axis compressed ten times (see BENCHMARKS.md for why 6-second windows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { GLOBAL_CEILINGS, RATE_LIMIT_POOLS, type RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { lognormalMean, nextWindowStart, progress } from './bench-stats';
import { runNaiveClient } from './naive-client';
import { buildWorkloads, type PoolWorkload } from './refresh-workload';
import { acceptedPerWindow, ServerArrivals, windowUse } from './server-arrivals';

export interface RefreshSettings {
  /** Server window: the real one is 60 s; 6 s compresses time ten times. */
  windowMs: number;
  /** Work handed to each pool, in windows' worth of its limit. */
  windowsOfWork: number;
  latencyMedianMs: number;
  latencyP99Ms: number;
  /** Share of calls answered 504 by the fake provider. */
  gatewayTimeoutRate: number;
  /** The naive client waits this long after a 429 (or a 5xx, or a timeout), whatever the headers say. */
  naiveRetryDelayMs: number;
  seed: string;
}

export const DEFAULT_REFRESH_SETTINGS: RefreshSettings = {
  windowMs: 6_000,
  windowsOfWork: 4,
  latencyMedianMs: 300,
  latencyP99Ms: 3_000,
  gatewayTimeoutRate: 0.01,
  naiveRetryDelayMs: 1_000,
  seed: 'vigie-bench',
};

/** The limiter's default wait past a window's announced end (rate-limiter.ts, resetMarginMs). */
const LIMITER_RESET_MARGIN_MS = 500;

export interface PoolFigures {
  name: RateLimitPoolId;
  label: string;
  endpoint: string;
  /** Requests per window (server configuration, per BRIEF §3). */
  limit: number;
  jobs: number;
  /** Jobs that ended (success or a final error) — for the naive client, within its time box. */
  jobsDone: number;
  /** Requests that reached the server, retries included. */
  attempts: number;
  /** Achieved rate / limit, over the windows the pool had work throughout; null without one. */
  utilization: number | null;
  fullWindows: number;
  /** Requests the server accepted in each of its windows, from the start of the work. */
  acceptedPerWindow: number[];
  count429: number;
  retries: number;
  /** From the handover of the work to the last job's end (projected for the naive client). */
  wallMs: number | null;
  wallProjected: boolean;
  /** The earliest the last request can be sent: (⌈jobs / limit⌉ − 1) windows after an aligned start. */
  lowerBoundMs: number;
  wallOverLowerBound: number | null;
  failed: number;
  failureKinds: Record<string, number>;
}

export interface RefreshResult {
  settings: RefreshSettings & { compression: number; maxConcurrencyPerPool: number; concurrencyRationale: string; documents: string };
  pools: PoolFigures[];
  /** Whole run of the real client, all pools at once. */
  wallMs: number;
  lowerBoundMs: number;
  count429: number;
  retries: number;
  ipCeilingHits: number;
  naive: {
    description: string;
    pools: PoolFigures[];
    count429: number;
    retries: number;
    wallMs: number;
  };
}

const CALL_DEFAULTS = {
  recipient: '13002526500013',
  context: 'Gestion d’un référentiel tiers',
  object: 'Banc d’essai du rafraîchissement',
};

export function lowerBoundMs(jobs: number, limit: number, windowMs: number): number {
  return Math.max(0, Math.ceil(jobs / limit) - 1) * windowMs;
}

/**
 * In-flight requests a pool needs to send its whole limit early in a window (Little's law: rate ×
 * mean latency), doubled for the long tail and the one-request probe the limiter starts with.
 */
export function neededConcurrency(settings: RefreshSettings): { value: number; rationale: string } {
  const maxLimit = Math.max(...Object.values(RATE_LIMIT_POOLS).map((p) => p.limit));
  const usableMs = settings.windowMs - LIMITER_RESET_MARGIN_MS;
  const meanMs = lognormalMean(settings.latencyMedianMs, settings.latencyP99Ms);
  const littles = (maxLimit / usableMs) * meanMs;
  const value = Math.ceil(littles * 2);
  const realTime = (maxLimit / (60_000 - LIMITER_RESET_MARGIN_MS)) * meanMs * 2;
  return {
    value,
    rationale:
      `${maxLimit} requests per ${usableMs} ms usable × ${Math.round(meanMs)} ms mean latency = ${littles.toFixed(1)} in flight, ×2 for the tail` +
      ` (with real 60 s windows the same formula gives ${realTime.toFixed(1)}: the default of 8 suffices)`,
  };
}

function fakeApiOptions(settings: RefreshSettings, arrivals: ServerArrivals) {
  return {
    seed: settings.seed,
    companyCount: 5_000,
    windowMs: settings.windowMs,
    latency: { kind: 'lognormal', medianMs: settings.latencyMedianMs, p99Ms: settings.latencyP99Ms } as const,
    faultRate: settings.gatewayTimeoutRate,
    faultWeights: { gateway_timeout: 1 },
    log: arrivals.log,
  };
}

export async function runRefreshCapacity(settings: RefreshSettings = DEFAULT_REFRESH_SETTINGS): Promise<RefreshResult> {
  const compression = 60_000 / settings.windowMs;
  const concurrency = neededConcurrency(settings);
  const real = await runLimitedClient(settings, concurrency.value);
  const naive = await runNaive(settings);
  return {
    settings: {
      ...settings,
      compression,
      maxConcurrencyPerPool: concurrency.value,
      concurrencyRationale: concurrency.rationale,
      documents: 'downloaded, checked and stored (content-addressed store in a temporary folder)',
    },
    ...real,
    naive,
  };
}

async function runLimitedClient(
  settings: RefreshSettings,
  maxConcurrencyPerPool: number,
): Promise<Omit<RefreshResult, 'settings' | 'naive'>> {
  const arrivals = new ServerArrivals();
  const api = await startFakeApi(fakeApiOptions(settings, arrivals));
  const documentsRoot = mkdtempSync(join(tmpdir(), 'vigie-bench-docs-'));
  try {
    const workloads = buildWorkloads(api.companies, settings.windowsOfWork);
    const token = api.mintToken();
    const scale = settings.windowMs / 60_000;
    const { client } = createApiClient({
      baseUrl: api.url,
      transport: (url, init) => fetch(url, init),
      tokenProvider: () => token,
      defaults: CALL_DEFAULTS,
      documentsRoot,
      limiterOptions: {
        maxConcurrencyPerPool,
        // the per-IP ceilings are compressed like the server's (the fake API scales its own the same way)
        globalCeilings: GLOBAL_CEILINGS.map((c) => ({ limit: c.limit, windowMs: Math.round(c.windowMs * scale) })),
      },
    });
    const totalJobs = workloads.reduce((n, w) => n + w.identifiers.length, 0);
    progress(`refresh: real client, ${totalJobs} jobs over 6 pools, ${maxConcurrencyPerPool} in flight per pool at most; waiting for a window start`);
    const start = await nextWindowStart(settings.windowMs);
    const settled = new Map<RateLimitPoolId, { lastEnd: number; failed: number; kinds: Record<string, number> }>();
    const ticker = setInterval(() => {
      const failed = [...settled.values()].reduce((n, s) => n + s.failed, 0);
      progress(`refresh: ${Math.round((Date.now() - start) / 1000)} s, ${arrivals.arrivals.length} requests seen by the server${failed ? `, ${failed} jobs failed` : ''}`);
    }, 6_000);
    try {
      await Promise.all(
        workloads.flatMap((workload) => {
          const state = { lastEnd: start, failed: 0, kinds: {} as Record<string, number> };
          settled.set(workload.pool, state);
          return workload.identifiers.map((id) =>
            client.call(workload.endpoint, id).then(
              () => {
                state.lastEnd = Math.max(state.lastEnd, Date.now());
              },
              (error: unknown) => {
                state.lastEnd = Math.max(state.lastEnd, Date.now());
                const kind = error instanceof ApiEntrepriseError ? error.kind : 'crash';
                if (kind === 'crash') throw error;
                // a 404 or a 451 is the provider's final word, not a failure of the refresh
                if (kind === 'not_found' || kind === 'legally_unavailable') return;
                state.failed += 1;
                state.kinds[kind] = (state.kinds[kind] ?? 0) + 1;
              },
            ),
          );
        }),
      );
    } finally {
      clearInterval(ticker);
    }
    const end = Date.now();
    const pools = workloads.map((workload) => poolFigures(workload, api, arrivals, settings.windowMs, start, settled.get(workload.pool)));
    return {
      pools,
      wallMs: end - start,
      lowerBoundMs: Math.max(...pools.map((p) => p.lowerBoundMs)),
      count429: api.stats.rateLimited,
      retries: pools.reduce((n, p) => n + p.retries, 0),
      ipCeilingHits: api.stats.ipCeilingHits,
    };
  } finally {
    await api.close();
    rmSync(documentsRoot, { recursive: true, force: true });
  }
}

function poolFigures(
  workload: PoolWorkload,
  api: FakeApiHandle,
  arrivals: ServerArrivals,
  windowMs: number,
  start: number,
  state: { lastEnd: number; failed: number; kinds: Record<string, number> } | undefined,
): PoolFigures {
  const seen = arrivals.forPool(workload.pool);
  const lastArrival = Math.max(start, ...seen.map((a) => a.at));
  const use = windowUse(seen, workload.limit, windowMs, start, lastArrival);
  const jobs = workload.identifiers.length;
  const bound = lowerBoundMs(jobs, workload.limit, windowMs);
  const wallMs = (state?.lastEnd ?? start) - start;
  return {
    name: workload.pool,
    label: RATE_LIMIT_POOLS[workload.pool].label,
    endpoint: workload.endpoint,
    limit: workload.limit,
    jobs,
    jobsDone: jobs,
    attempts: seen.length,
    utilization: use.utilization,
    fullWindows: use.fullWindows,
    acceptedPerWindow: acceptedPerWindow(seen, windowMs, start),
    count429: api.stats.byPool[workload.pool].rateLimited,
    retries: Math.max(0, seen.length - jobs),
    wallMs,
    wallProjected: false,
    lowerBoundMs: bound,
    wallOverLowerBound: bound > 0 ? wallMs / bound : null,
    failed: state?.failed ?? 0,
    failureKinds: state?.kinds ?? {},
  };
}

async function runNaive(settings: RefreshSettings): Promise<RefreshResult['naive']> {
  const arrivals = new ServerArrivals();
  // a server of its own: fresh windows and per-IP ceilings, as if it ran on another machine
  const api = await startFakeApi(fakeApiOptions(settings, arrivals));
  try {
    const workloads = buildWorkloads(api.companies, settings.windowsOfWork);
    const token = api.mintToken();
    progress('refresh: naive client, one window per pool, sequential; waiting for a window start');
    const started = Date.now();
    const runs = await runNaiveClient({
      baseUrl: api.url,
      token,
      context: CALL_DEFAULTS,
      workloads,
      windowMs: settings.windowMs,
      retryDelayMs: settings.naiveRetryDelayMs,
    });
    const pools = runs.map((run): PoolFigures => {
      const workload = run.workload;
      const seen = arrivals.forPool(workload.pool);
      const use = windowUse(seen, workload.limit, settings.windowMs, run.slotStart, run.slotEnd);
      const jobs = workload.identifiers.length;
      const bound = lowerBoundMs(jobs, workload.limit, settings.windowMs);
      // at the pace it kept during its window, how long the naive client would take for every job
      const projected = run.jobsDone > 0 ? (jobs / run.jobsDone) * settings.windowMs : null;
      return {
        name: workload.pool,
        label: RATE_LIMIT_POOLS[workload.pool].label,
        endpoint: workload.endpoint,
        limit: workload.limit,
        jobs,
        jobsDone: run.jobsDone,
        attempts: seen.length,
        utilization: use.utilization,
        fullWindows: use.fullWindows,
        acceptedPerWindow: acceptedPerWindow(seen, settings.windowMs, run.slotStart).slice(0, 1),
        count429: api.stats.byPool[workload.pool].rateLimited,
        retries: run.retries,
        wallMs: projected,
        wallProjected: true,
        lowerBoundMs: bound,
        wallOverLowerBound: projected !== null && bound > 0 ? projected / bound : null,
        failed: run.failed,
        failureKinds: run.failureKinds,
      };
    });
    return {
      description:
        `one sequential loop, no limiter; ${settings.naiveRetryDelayMs} ms fixed wait after a 429, a 5xx or a timeout (429s retried until the time box ends, ` +
        'others up to 3 attempts); documents fetched into memory; one server window per pool, pools one after the other',
      pools,
      count429: api.stats.rateLimited,
      retries: pools.reduce((n, p) => n + p.retries, 0),
      wallMs: Date.now() - started,
    };
  } finally {
    await api.close();
  }
}
