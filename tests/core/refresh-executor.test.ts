// The refresh engine against the fake API Entreprise, with one-second windows: not one 429 and the
// pools near their limits; a provider outage backs one pool off while the others finish and the last
// good data stays; a refused token stops every call at once; pause, resume and cancel; a missing
// scope is "non habilité", not a failure.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { ENDPOINTS, type EndpointId, type RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { AttemptJournal } from '../../src-main/node/refresh/attempt-journal';
import { frenchDate } from '../../src-main/node/refresh/french-format';
import type { FreshnessPolicyInput } from '../../src-main/node/refresh/freshness-policy';
import type { ExecutorHooks, ExecutorTuningInput, RefreshProgress } from '../../src-main/node/refresh/refresh-executor';
import { createRefreshEngine, type RefreshEngine, TokenStillRefusedError } from '../../src-main/node/refresh/refresh-engine';
import { POOL_IDS } from '../../src-main/node/refresh/refresh-planner';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { compressedLimits, COMPRESSED_CEILINGS, COMPRESSED_WINDOW_MS } from '../support/compressed-limits';
import { tempRegister } from '../support/temp-register';

// DGFIP's 5 scaled up so that a test lasts seconds
const { poolLimits: POOL_LIMITS, limits: LIMITS } = compressedLimits({ dgfip: 25 });
const WINDOW_MS = COMPRESSED_WINDOW_MS;
const CEILINGS = COMPRESSED_CEILINGS;
const CONTEXT = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Tests du moteur de mise à jour' };

let api: FakeApiHandle;
const disposers: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  api = await startFakeApi({
    seed: 'refresh-executor',
    companyCount: 3_000,
    windowMs: WINDOW_MS,
    poolLimits: POOL_LIMITS,
    latency: { kind: 'lognormal', medianMs: 4, p99Ms: 30 },
    providerRetryInSeconds: 0,
  });
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  api.resetLimits();
  api.resetStats();
  api.faults.clear();
});

afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

interface HarnessOptions {
  suppliers: number;
  jti: string;
  scopes?: readonly string[];
  tuning?: ExecutorTuningInput;
  policy?: FreshnessPolicyInput;
  hooks?: ExecutorHooks;
  onTokenRefused?: (error: ApiEntrepriseError) => void;
}

function harness(options: HarnessOptions) {
  const register = tempRegister();
  const token = { value: api.mintToken({ jti: options.jti, scopes: options.scopes }) };
  const attempts = new AttemptJournal(register.db);
  const { client, limiter } = createApiClient({
    baseUrl: api.url,
    transport: (url, init) => fetch(url, init),
    tokenProvider: () => token.value,
    defaults: CONTEXT,
    documentsRoot: join(register.dir, 'documents'),
    limiterOptions: {
      pools: Object.fromEntries(POOL_IDS.map((pool) => [pool, { limit: POOL_LIMITS[pool], windowMs: WINDOW_MS }])),
      globalCeilings: CEILINGS,
      resetMarginMs: 50,
    },
    overrides: {
      onAttempt: attempts.hook,
      onTokenRefused: options.onTokenRefused,
      timeoutsMs: { json: 2_000, document: 3_000 },
      retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 300 },
    },
  });
  const repository = new SupplierRepository(register.db);
  const supplierIds: number[] = [];
  for (let i = 0; i < options.suppliers; i += 1) {
    const company = api.companies.at(i * 7 + 1);
    repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
    supplierIds.push(i + 1);
  }
  const engine = createRefreshEngine({
    db: register.db,
    client,
    limiter,
    attempts,
    privileges: CATALOGUE_SCOPES,
    limits: LIMITS,
    policy: options.policy,
    tuning: { progressIntervalMs: 50, retryDelayMs: 100, ...options.tuning },
    hooks: options.hooks,
  });
  disposers.push(() => {
    engine.dispose();
    register.dispose();
  });
  return { register, db: register.db, engine, client, limiter, token, supplierIds };
}

function jobStates(db: ReturnType<typeof tempRegister>['db'], runId: number): Record<string, number> {
  const rows = db.prepare<[number], { state: string; n: number }>('SELECT state, count(*) AS n FROM refresh_jobs WHERE run_id = ? GROUP BY state').all(runId);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Each job of the run has exactly one journal line with its final answer: it was done once. */
function expectEachJobAnsweredOnce(db: ReturnType<typeof tempRegister>['db'], runId: number): void {
  const rows = db
    .prepare<[number, number], { endpoint: string; identifier: string; answers: number }>(
      `SELECT j.endpoint, j.identifier,
         (SELECT count(*) FROM call_journal c WHERE c.run_id = ? AND c.endpoint = j.endpoint AND c.identifier = j.identifier
            AND c.outcome IN ('ok', 'not_found', 'not_authorized', 'legally_unavailable')) AS answers
       FROM refresh_jobs j WHERE j.run_id = ? AND j.state = 'done'`,
    )
    .all(runId, runId);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.answers !== 1)).toEqual([]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a nightly run against the fake API with its rate limits', () => {
  it('refreshes every supplier without a single 429, each pool near its limit', async () => {
    const { engine, db, register } = harness({ suppliers: 60, jti: 'throughput' });
    const events: RefreshProgress[] = [];
    engine.onProgress((p) => events.push(p));
    const plan = engine.plan();
    expect(plan.tonight).toHaveLength(240);
    // 60 DGFIP calls at 25 per window: the last batch goes out at the start of the third window
    expect(plan.tonightEstimate.perPool.dgfip).toEqual({ jobs: 60, durationMs: 2_000 });

    const end = await engine.start('night').finished;

    expect(end.state).toBe('completed');
    expect(api.stats.rateLimited).toBe(0);
    expect(jobStates(db, end.runId)).toEqual({ done: 240 });
    expect(end.report?.counts).toMatchObject({ total: 240, done: 240, failed: 0 });
    expectEachJobAnsweredOnce(db, end.runId);
    // every HTTP call is in the journal, with the run
    const journaled = db.prepare('SELECT count(*) FROM call_journal WHERE run_id = ?').pluck().get(end.runId);
    expect(journaled).toBe(api.stats.apiCalls);

    // DGFIP, the slowest pool: 60 calls at 25 per window take 3 windows, plus the first, partly spent learning the window
    const windows = db
      .prepare<[number], { w: number; n: number }>(
        `SELECT CAST(strftime('%s', at) AS INTEGER) AS w, count(*) AS n FROM call_journal WHERE run_id = ? AND endpoint = 'dgfip.attestation_fiscale' GROUP BY w`,
      )
      .all(end.runId);
    expect(windows.length).toBeLessThanOrEqual(Math.ceil(60 / POOL_LIMITS.dgfip) + 2);
    expect(Math.max(...windows.map((w) => w.n))).toBeLessThanOrEqual(POOL_LIMITS.dgfip);
    expect(end.report?.perPool.dgfip?.utilisation).toBeGreaterThanOrEqual(0.6);

    // data, attestations and their documents are in the register, each written by one job
    const duplicated = db
      .prepare(
        `SELECT refresh_job_id FROM company_snapshots WHERE refresh_job_id IS NOT NULL GROUP BY refresh_job_id HAVING count(*) > 1
         UNION ALL SELECT refresh_job_id FROM attestations WHERE refresh_job_id IS NOT NULL GROUP BY refresh_job_id HAVING count(*) > 1`,
      )
      .all();
    expect(duplicated).toEqual([]);
    const withDocument = db
      .prepare<[], { stored_path: string }>(`SELECT d.stored_path FROM attestations a JOIN documents d ON d.id = a.document_id WHERE a.kind = 'urssaf_vigilance'`)
      .all();
    expect(withDocument.length).toBeGreaterThan(30);
    for (const row of withDocument) expect(existsSync(join(register.dir, 'documents', ...row.stored_path.split('/')))).toBe(true);

    // progress: counts only grow, an ETA at the start, everything done at the end
    expect(events.length).toBeGreaterThan(3);
    expect(events[0]?.etaMs).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.done).toBeGreaterThanOrEqual(events[i - 1]?.done ?? 0);
    expect(events.at(-1)).toMatchObject({ state: 'completed', done: 240, total: 240, etaMs: 0 });
    expect(engine.lastReport()?.summary).toMatch(/^Registre mis à jour : 240 vérifications, /);
    expect(engine.supplierFreshness(1)).toMatchObject({ degraded: false, dataAsOfLabel: `données au ${frenchDate(Date.now())}` });
    // nothing is due any more
    expect(engine.plan().tonight).toEqual([]);
  });
});

describe('degraded mode', () => {
  const outage = { threshold: 2, baseBackoffMs: 150, maxBackoffMs: 600, giveUpAfter: 5 };

  it('backs a failing pool off while the others finish, keeps the last good data and says so in French', async () => {
    const { engine, db, supplierIds } = harness({ suppliers: 20, jti: 'outage', tuning: { outage } });
    const first = await engine.start('night').finished;
    expect(first.state).toBe('completed');
    const goodAt = Date.now();
    const urssafBefore = db.prepare(`SELECT id, siren, status, valid_until, document_id FROM attestations WHERE kind = 'urssaf_vigilance' ORDER BY id`).all();
    expect(urssafBefore.length).toBeGreaterThan(10);

    api.faults.forceNext('unavailable', 10_000, { pool: 'urssaf' });
    api.resetStats();
    const blockedSeen: number[] = [];
    engine.onProgress((p) => {
      const blocked = p.perPool.urssaf?.blockedUntil;
      if (blocked) blockedSeen.push(blocked);
    });
    const second = await engine.start('manual', { supplierIds, force: true }).finished;

    expect(second.state).toBe('completed');
    expect(api.stats.rateLimited).toBe(0);
    const byPool = db
      .prepare<[number], { pool: string; state: string; n: number }>('SELECT pool, state, count(*) AS n FROM refresh_jobs WHERE run_id = ? GROUP BY pool, state ORDER BY pool, state')
      .all(second.runId);
    // the other pools finished everything; URSSAF failed, for this run only (ceased companies are not asked for attestations)
    const active = 20 - (db.prepare(`SELECT count(DISTINCT siren) FROM company_snapshots WHERE administrative_status = 'ceased'`).pluck().get() as number);
    expect(byPool).toEqual([
      { pool: 'dgfip', state: 'done', n: active },
      { pool: 'json', state: 'done', n: 40 },
      { pool: 'urssaf', state: 'failed', n: active },
    ]);
    expect(blockedSeen.length).toBeGreaterThan(0);
    // backed off: a handful of probes, not 20 jobs x 3 attempts x 2 tries
    expect(api.stats.byPool.urssaf.requests).toBeLessThanOrEqual(2 * (outage.giveUpAfter + 2));

    // the last good attestations and their documents are all still there, untouched
    expect(db.prepare(`SELECT id, siren, status, valid_until, document_id FROM attestations WHERE kind = 'urssaf_vigilance' ORDER BY id`).all()).toEqual(urssafBefore);
    const freshness = engine.supplierFreshness(1);
    expect(freshness).toMatchObject({ degraded: true, dataAsOfLabel: `données au ${frenchDate(goodAt)}` });
    expect(freshness?.lastError).toBe('Attestation de vigilance (URSSAF) : Le fournisseur de données est indisponible : nouvel essai plus tard.');
    expect(second.report?.summary).toContain(`${active} erreurs (données précédentes conservées)`);
    expect(second.report?.errors[0]).toMatchObject({ endpoint: 'urssaf.attestation_vigilance', message: expect.stringMatching(/indisponible/) });

    // the provider is back: the next run repairs it
    api.faults.clear();
    const third = await engine.start('manual', { supplierIds, force: true }).finished;
    expect(jobStates(db, third.runId)).toEqual({ done: 40 + 2 * active });
    expect(engine.supplierFreshness(1)).toMatchObject({ degraded: false, lastError: null });
  });

  it('resumes a pool after a short outage: blocked, probed, then back to work', async () => {
    const { engine, db } = harness({ suppliers: 20, jti: 'short-outage', tuning: { outage: { ...outage, giveUpAfter: 50 } } });
    // the first twelve URSSAF answers are 502s: the first jobs fail (after the client's own two tries), the pool
    // is blocked, probed, and recovers when the provider does
    api.faults.forceNext('provider_error', 12, { pool: 'urssaf' });
    const events: RefreshProgress[] = [];
    engine.onProgress((p) => events.push(p));
    const end = await engine.start('night').finished;
    expect(end.state).toBe('completed');
    expect(jobStates(db, end.runId)).toEqual({ done: 80 });
    expect(events.some((p) => (p.perPool.urssaf?.blockedUntil ?? 0) > 0)).toBe(true);
    expect(api.stats.byPool.urssaf.byStatus['502']).toBe(12);
    expectEachJobAnsweredOnce(db, end.runId);
  });
});

describe('a refused token', () => {
  // 401 00105 (revoked, blacklisted) and 401 00103 (expired): the same stop, within the calls in flight
  const refusals = [
    { label: 'revoked (401 00105)', kind: 'token_blacklisted', message: /révoqué/, jti: 'leaked', refuse: (_token: { value: string }) => api.blacklist('leaked') },
    {
      label: 'expired (401 00103)',
      kind: 'token_expired',
      message: /expiré/,
      jti: 'short-lived',
      refuse: (token: { value: string }) => {
        token.value = api.mintToken({ jti: 'short-lived', expiresAt: Math.floor(Date.now() / 1000) - 60 });
      },
    },
  ] as const;

  it.each(refusals)('$label: stops every call at once, keeps the jobs for later, and resumes with a new token', async ({ kind, message, jti, refuse }) => {
    let atRefusal: { calls: number; inFlight: number; at: number } | null = null;
    let limiterRef: { snapshot(pool: RateLimitPoolId): { inFlight: number } } | null = null;
    let committed = 0;
    const h = harness({
      suppliers: 40,
      jti,
      onTokenRefused: () => {
        const inFlight = POOL_IDS.reduce((sum, pool) => sum + (limiterRef?.snapshot(pool).inFlight ?? 0), 0);
        atRefusal ??= { calls: api.stats.apiCalls, inFlight, at: Date.now() };
      },
      hooks: {
        afterCommit: () => {
          committed += 1;
          if (committed === 50) refuse(h.token);
        },
      },
    });
    limiterRef = h.limiter;
    const end = await h.engine.start('night').finished;
    const finishedAt = Date.now();

    expect(end.state).toBe('stopped_token');
    expect(end.error).toMatch(message);
    expect(atRefusal).not.toBeNull();
    const refusal = atRefusal as unknown as { calls: number; inFlight: number; at: number };
    // after the first 401, only the calls already in flight reached the server
    expect(api.stats.apiCalls - refusal.calls).toBeLessThanOrEqual(refusal.inFlight);
    expect(finishedAt - refusal.at).toBeLessThan(2_000);
    const states = jobStates(h.db, end.runId);
    expect(states.failed ?? 0).toBe(0);
    expect(states.running ?? 0).toBe(0);
    expect(states.pending).toBeGreaterThan(0);
    expect(h.db.prepare('SELECT state, error_kind FROM refresh_runs WHERE id = ?').get(end.runId)).toEqual({ state: 'stopped_token', error_kind: kind });

    // no resume while the token is still refused; a new token resumes where it stopped
    expect(() => h.engine.resume()).toThrow(TokenStillRefusedError);
    expect(() => h.engine.start('night')).toThrow(TokenStillRefusedError);
    h.token.value = api.mintToken({ jti: 'replacement' });
    h.client.acceptNewToken();
    const resumed = h.engine.resume();
    expect(resumed?.runId).toBe(end.runId);
    const after = await resumed?.finished;
    expect(after?.state).toBe('completed');
    expect(jobStates(h.db, end.runId)).toEqual({ done: 160 });
    expectEachJobAnsweredOnce(h.db, end.runId);
  });
});

describe('pause, resume, cancel', () => {
  it('pauses without losing a job, makes no call while paused, and resumes', async () => {
    let committed = 0;
    let engineRef: RefreshEngine | null = null;
    const h = harness({
      suppliers: 40,
      jti: 'pause',
      hooks: {
        afterCommit: () => {
          committed += 1;
          if (committed === 70) engineRef?.pause();
        },
      },
    });
    engineRef = h.engine;
    const paused = await h.engine.start('night').finished;
    expect(paused.state).toBe('paused');
    const states = jobStates(h.db, paused.runId);
    expect(states.running ?? 0).toBe(0);
    expect(states.pending).toBeGreaterThan(0);
    const calls = api.stats.apiCalls;
    await sleep(300);
    expect(api.stats.apiCalls).toBe(calls);
    expect(h.engine.lastReport()).toBeNull();

    const resumed = await h.engine.resume()?.finished;
    expect(resumed).toMatchObject({ runId: paused.runId, state: 'completed' });
    expect(jobStates(h.db, paused.runId)).toEqual({ done: 160 });
    expectEachJobAnsweredOnce(h.db, paused.runId);
    expect(api.stats.rateLimited).toBe(0);
  });

  it('cancels: calls under way are aborted, every job left is skipped, the report says so', async () => {
    let committed = 0;
    let engineRef: RefreshEngine | null = null;
    const h = harness({
      suppliers: 30,
      jti: 'cancel',
      hooks: {
        afterCommit: () => {
          committed += 1;
          if (committed === 30) engineRef?.cancel();
        },
      },
    });
    engineRef = h.engine;
    const started = Date.now();
    const end = await h.engine.start('night').finished;
    expect(end.state).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(3_000);
    const states = jobStates(h.db, end.runId);
    expect(states.pending ?? 0).toBe(0);
    expect(states.running ?? 0).toBe(0);
    expect(states.skipped).toBeGreaterThan(0);
    expect(states.done).toBeGreaterThanOrEqual(30);
    expect(end.report?.summary).toMatch(/^Mise à jour du registre annulée : \d+ vérifications sur 120/);
    expect(h.engine.lastReport()?.runId).toBe(end.runId);
    // a new run starts afresh and takes what the cancelled one left
    const next = await h.engine.start('night').finished;
    expect(next.state).toBe('completed');
    const skipped = h.db.prepare<[number], { k: string }>(`SELECT endpoint || '|' || identifier AS k FROM refresh_jobs WHERE run_id = ? AND state = 'skipped' ORDER BY k`).all(end.runId).map((r) => r.k);
    const nextJobs = h.db.prepare<[number], { k: string }>(`SELECT endpoint || '|' || identifier AS k FROM refresh_jobs WHERE run_id = ? ORDER BY k`).all(next.runId).map((r) => r.k);
    expect(nextJobs.filter((k) => !skipped.includes(k))).toEqual([]);
    // what is no longer asked: the attestations of companies the cancelled run found ceased
    const ceased = new Set(h.db.prepare(`SELECT siren FROM company_snapshots WHERE administrative_status = 'ceased'`).pluck().all() as string[]);
    const dropped = skipped.filter((k) => !nextJobs.includes(k));
    expect(dropped.every((k) => !k.startsWith('insee.') && ceased.has(k.split('|')[1] ?? ''))).toBe(true);
  });
});

describe('what the token may not call', () => {
  it('marks the endpoint "non habilité" after one answer instead of calling it for every supplier', async () => {
    const scopes = CATALOGUE_SCOPES.filter((scope) => scope !== ENDPOINTS['dgfip.attestation_fiscale'].scope);
    // the engine believes the token may call DGFIP (privileges not refreshed yet): the server says otherwise
    const h = harness({ suppliers: 20, jti: 'no-dgfip', scopes });
    const end = await h.engine.start('night').finished;
    expect(end.state).toBe('completed');
    expect(api.stats.byPool.dgfip.requests).toBeLessThanOrEqual(2);
    const dgfip = h.db
      .prepare<[number], { state: string; outcome: string; n: number }>(
        `SELECT state, outcome, count(*) AS n FROM refresh_jobs WHERE run_id = ? AND endpoint = 'dgfip.attestation_fiscale' GROUP BY state, outcome ORDER BY state`,
      )
      .all(end.runId);
    expect(dgfip.reduce((sum, row) => sum + row.n, 0)).toBe(20);
    expect(dgfip.every((row) => row.outcome === 'not_authorized')).toBe(true);
    expect(end.report?.counts.failed).toBe(0);
    const freshness = h.engine.supplierFreshness(5);
    const entry = freshness?.endpoints.find((e) => (e.endpoint as EndpointId) === 'dgfip.attestation_fiscale');
    expect(entry).toMatchObject({ outcome: 'not_authorized', message: expect.stringMatching(/non habilité/), error: null });
  });
});
