// The whole refresh, night after night, in virtual time (issue #5): the real planner, executor,
// client and limiter against the real fake API server, whose windows count on the same virtual
// clock. HTTP goes over 127.0.0.1 with no server latency; the provider latency is a virtual delay
// on the answer, so a four-hour night runs in seconds. Measured from the server's side: 429s, calls
// accepted per pool and per window (utilisation while the pool has work), and SLA misses from the
// planner's own deadlines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { GLOBAL_CEILINGS, RATE_LIMIT_POOLS, type RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { sleep } from '../../src-main/node/clock';
import { openDatabase } from '../../src-main/node/db/database';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { startFakeApi } from '../../src-main/node/fake-api/fake-api-server';
import { matchRoute } from '../../src-main/node/fake-api/route-matcher';
import { AttemptJournal } from '../../src-main/node/refresh/attempt-journal';
import { DAY_MS } from '../../src-main/node/refresh/freshness-policy';
import { createRefreshEngine, type ExecutionEnd } from '../../src-main/node/refresh/refresh-engine';
import { API_ENTREPRISE_LIMITS, POOL_IDS } from '../../src-main/node/refresh/refresh-planner';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { driveVirtualTime, VirtualClock } from '../support/virtual-time';
import { seededRandom, seedOfText } from './bench-stats';

export interface NightRunOptions {
  suppliers: number;
  nights: number;
  seed: string;
  /** Virtual provider latency: median of a seeded log-normal. Default 300 ms. */
  latencyMedianMs?: number;
}

export interface NightRunPool {
  pool: RateLimitPoolId;
  limit: number;
  /** Accepted calls / limit over the full windows between the pool's first and last active window; null without one. */
  utilization: number | null;
  /** The worst full window, same ratio. */
  worstWindow: number | null;
  fullWindows: number;
  /** The same over the full windows in which the per-IP ceiling (2,000 per 10 min, all pools) was not used up to 95%. */
  utilizationWhenCeilingFree: number | null;
  /** Full windows inside a ceiling window that all pools together had used up to 95% or more. */
  ceilingBoundWindows: number;
  accepted: number;
  count429: number;
}

export interface NightRunCeiling {
  /** The installation-wide ceiling the pools share (2,000 calls per 10 minutes). */
  limit: number;
  windowMs: number;
  /**
   * Full ceiling windows in which the pools with work could together send more than the ceiling
   * allows: there, no pool can be at its own limit, and the capacity to use fully is the ceiling's.
   */
  boundWindows: number;
  /** Accepted calls of all pools / ceiling limit over those windows; null without one. */
  utilizationWhenBound: number | null;
  /** The worst of those windows, same ratio. */
  worstBoundWindow: number | null;
}

export interface NightRunResult {
  perPool: NightRunPool[];
  ceiling: NightRunCeiling;
  /** Calls done after their deadline, calls the planner could not fit before theirs, calls overdue at the end. */
  slaMisses: number;
  jobs: number;
  failedJobs: number;
  nightsRun: { jobs: number; done: number; failed: number; virtualMinutes: number; state: string }[];
  requests: number;
  count429: number;
  virtualHours: number;
  wallMs: number;
}

const WINDOW_MS = 60_000;
const CONTEXT = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Simulation de nuits de mise à jour' };
// 22:00 Paris on the 1st of a month: the first night includes every cold start
const FIRST_NIGHT = Date.UTC(2026, 11, 1, 21, 0, 0);

export async function runNightSimulation(options: NightRunOptions): Promise<NightRunResult> {
  const wallStart = performance.now();
  const clock = new VirtualClock(FIRST_NIGHT);
  const random = seededRandom(seedOfText(options.seed));
  const medianMs = options.latencyMedianMs ?? 300;
  // log-normal with p99 at 4 x the median
  const sigma = Math.log(4) / 2.326;
  const latency = () => {
    const u1 = Math.max(random(), 1e-12);
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
    return Math.round(medianMs * Math.exp(sigma * normal));
  };

  const api = await startFakeApi({ seed: options.seed, companyCount: Math.max(options.suppliers, 100), now: () => clock.now(), providerRetryInSeconds: 30 });
  const dir = mkdtempSync(join(tmpdir(), 'vigie-night-sim-'));
  const db = openDatabase(join(dir, 'vigie.sqlite3'));
  let inFlight = 0;
  const accepted = new Map<RateLimitPoolId, Map<number, number>>(POOL_IDS.map((pool) => [pool, new Map<number, number>()]));
  const refused = new Map<RateLimitPoolId, number>(POOL_IDS.map((pool) => [pool, 0]));
  let requests = 0;
  let count429 = 0;

  try {
    const token = api.mintToken({ jti: `night-sim-${options.seed}`, scopes: CATALOGUE_SCOPES });
    const attempts = new AttemptJournal(db);
    const { client, limiter } = createApiClient({
      baseUrl: api.url,
      clock,
      transport: async (url, init) => {
        const sentAt = clock.now();
        const route = matchRoute(new URL(url).pathname);
        inFlight += 1;
        let status: number;
        let headers: Headers;
        let body: ArrayBuffer;
        try {
          const response = await fetch(url, init);
          status = response.status;
          headers = response.headers;
          body = await response.arrayBuffer();
        } finally {
          inFlight -= 1;
        }
        requests += 1;
        const pool = route?.endpoint.pool;
        if (status === 429) {
          count429 += 1;
          if (pool) refused.set(pool, (refused.get(pool) ?? 0) + 1);
        } else if (pool) {
          const windows = accepted.get(pool) as Map<number, number>;
          const window = Math.floor(sentAt / WINDOW_MS);
          windows.set(window, (windows.get(window) ?? 0) + 1);
        }
        await sleep(clock, latency());
        const empty = status === 204 || status === 304 || body.byteLength === 0;
        return new Response(empty ? null : body, { status, headers });
      },
      tokenProvider: () => token,
      defaults: CONTEXT,
      limiterOptions: { pools: RATE_LIMIT_POOLS, globalCeilings: GLOBAL_CEILINGS },
      overrides: { onAttempt: attempts.hook },
    });
    // added when the first night starts (virtual time), not at the real date
    const repository = new SupplierRepository(db, () => new Date(clock.now()).toISOString());
    for (let i = 0; i < options.suppliers; i += 1) {
      const company = api.companies.at(i);
      repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
    }
    const engine = createRefreshEngine({
      db,
      client,
      limiter,
      attempts,
      clock,
      privileges: CATALOGUE_SCOPES,
      limits: API_ENTREPRISE_LIMITS,
      random,
    });

    let slaMisses = 0;
    let jobs = 0;
    let failedJobs = 0;
    const nightsRun: NightRunResult['nightsRun'] = [];
    try {
      for (let night = 0; night < options.nights; night += 1) {
        clock.jumpTo(FIRST_NIGHT + night * DAY_MS);
        const startedAt = clock.now();
        // what the planner already knows it cannot do in time
        const before = engine.plan();
        slaMisses += before.violations.length;
        const handle = engine.start('night');
        let end: ExecutionEnd | null = null;
        void handle.finished.then((value) => {
          end = value;
        });
        await driveVirtualTime({ clock, done: () => end !== null, busy: () => inFlight > 0 });
        const finished = end as ExecutionEnd | null;
        const counts = finished?.report?.counts;
        jobs += counts?.total ?? 0;
        failedJobs += counts?.failed ?? 0;
        nightsRun.push({
          jobs: counts?.total ?? 0,
          done: counts?.done ?? 0,
          failed: counts?.failed ?? 0,
          virtualMinutes: Math.round((clock.now() - startedAt) / 60_000),
          state: finished?.state ?? 'unknown',
        });
      }
      // overdue at the end: due before now and still planned (never done, or done too late and due again)
      const after = engine.plan({ horizonNights: 1 });
      const now = clock.now();
      slaMisses += after.scheduled.filter((item) => item.deadline < now).length + after.violations.length;
    } finally {
      engine.dispose();
    }

    // all pools together per fixed ceiling window (the server's windows are aligned on the epoch)
    const ceiling = GLOBAL_CEILINGS[GLOBAL_CEILINGS.length - 1] as { limit: number; windowMs: number };
    const perCeiling = new Map<number, number>();
    for (const windows of accepted.values()) {
      for (const [window, count] of windows) {
        const key = Math.floor((window * WINDOW_MS) / ceiling.windowMs);
        perCeiling.set(key, (perCeiling.get(key) ?? 0) + count);
      }
    }
    const ceilingBound = (window: number) => (perCeiling.get(Math.floor((window * WINDOW_MS) / ceiling.windowMs)) ?? 0) >= 0.95 * ceiling.limit;
    const perPool: NightRunPool[] = POOL_IDS.map((pool) => {
      const limit = RATE_LIMIT_POOLS[pool].limit;
      const windows = accepted.get(pool) as Map<number, number>;
      const keys = [...windows.keys()].sort((a, b) => a - b);
      let total = 0;
      for (const count of windows.values()) total += count;
      // the pool has work from its first to its last window of a night (more than 6 h apart: another
      // night); full windows are those strictly inside, idle ones included
      const full: { window: number; count: number }[] = [];
      let segmentStart = 0;
      for (let i = 1; i <= keys.length; i += 1) {
        if (i < keys.length && (keys[i] as number) - (keys[i - 1] as number) <= 360) continue;
        const first = keys[segmentStart] as number;
        const last = keys[i - 1] as number;
        for (let window = first + 1; window < last; window += 1) full.push({ window, count: windows.get(window) ?? 0 });
        segmentStart = i;
      }
      const free = full.filter((entry) => !ceilingBound(entry.window));
      const ratio = (entries: { count: number }[]) => (entries.length > 0 ? entries.reduce((a, b) => a + b.count, 0) / (limit * entries.length) : null);
      return {
        pool,
        limit,
        utilization: ratio(full),
        worstWindow: full.length > 0 ? Math.min(...full.map((entry) => entry.count)) / limit : null,
        fullWindows: full.length,
        utilizationWhenCeilingFree: ratio(free),
        ceilingBoundWindows: full.length - free.length,
        accepted: total,
        count429: refused.get(pool) ?? 0,
      };
    });
    // where the pools' combined demand exceeds the ceiling, the ceiling is the capacity to fill
    const activeSpans = POOL_IDS.flatMap((pool) => {
      const keys = [...(accepted.get(pool) as Map<number, number>).keys()].sort((a, b) => a - b);
      return keys.length === 0 ? [] : [{ pool, first: keys[0] as number, last: keys[keys.length - 1] as number }];
    });
    const windowsPerCeiling = ceiling.windowMs / WINDOW_MS;
    const boundRatios: number[] = [];
    for (const [key, count] of perCeiling) {
      const first = key * windowsPerCeiling;
      const last = first + windowsPerCeiling - 1;
      // a pool counts when it had work over the whole ceiling window (not starting or ending inside it)
      const demand = activeSpans
        .filter((span) => span.first < first && span.last > last)
        .reduce((sum, span) => sum + RATE_LIMIT_POOLS[span.pool].limit * windowsPerCeiling, 0);
      if (demand > ceiling.limit) boundRatios.push(count / ceiling.limit);
    }
    const ceilingResult: NightRunCeiling = {
      limit: ceiling.limit,
      windowMs: ceiling.windowMs,
      boundWindows: boundRatios.length,
      utilizationWhenBound: boundRatios.length > 0 ? boundRatios.reduce((a, b) => a + b, 0) / boundRatios.length : null,
      worstBoundWindow: boundRatios.length > 0 ? Math.min(...boundRatios) : null,
    };
    return {
      perPool,
      ceiling: ceilingResult,
      slaMisses,
      jobs,
      failedJobs,
      nightsRun,
      requests,
      count429,
      virtualHours: (clock.now() - FIRST_NIGHT) / 3_600_000,
      wallMs: performance.now() - wallStart,
    };
  } finally {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  }
}

if (process.argv[1]?.endsWith('night-run-simulation.ts')) {
  const suppliers = Number(process.argv[2] ?? 10_000);
  const nights = Number(process.argv[3] ?? 1);
  void runNightSimulation({ suppliers, nights, seed: 'night-run' }).then((result) => {
    console.log(JSON.stringify(result, null, 2));
  });
}
