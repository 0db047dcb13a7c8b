// After a crash or a kill, the next start resumes the interrupted run: no job is lost and none is
// done twice. Two ways to kill: in process, at a random job and a random point (claimed, answered
// but not committed, committed), by closing the database and abandoning the engine, as many times as
// there are seeds; and for real, a child process SIGKILLed at random moments, mid-transaction
// included. Each time the register is checked job by job.
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { AttemptJournal } from '../../src-main/node/refresh/attempt-journal';
import type { ExecutorHooks } from '../../src-main/node/refresh/refresh-executor';
import { createRefreshEngine, type RefreshEngine } from '../../src-main/node/refresh/refresh-engine';
import type { JobRecord } from '../../src-main/node/refresh/refresh-store';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { compressedLimits, COMPRESSED_CEILINGS, COMPRESSED_WINDOW_MS } from '../support/compressed-limits';
import { tempRegister } from '../support/temp-register';

const ROOT = resolve(import.meta.dirname, '..', '..');
const { poolLimits: POOL_LIMITS, limits: LIMITS } = compressedLimits({ dgfip: 100 });
const WINDOW_MS = COMPRESSED_WINDOW_MS;
const CEILINGS = COMPRESSED_CEILINGS;
const CONTEXT = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Tests de reprise' };

let api: FakeApiHandle;

beforeAll(async () => {
  api = await startFakeApi({ seed: 'refresh-crash', companyCount: 2_000, windowMs: WINDOW_MS, poolLimits: POOL_LIMITS, latency: { kind: 'lognormal', medianMs: 3, p99Ms: 25 } });
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  api.resetLimits();
  api.resetStats();
});

/** Deterministic randomness: a failing seed replays the same kills. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function fillRegister(db: VigieDatabase, count: number, offset: number): void {
  const repository = new SupplierRepository(db);
  for (let i = 0; i < count; i += 1) {
    const company = api.companies.at(offset + i * 5);
    repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
  }
}

/** One "process": its own connection, journal, client, limiter and engine. */
function boot(path: string, documentsRoot: string, token: string, hooks: ExecutorHooks = {}): { db: VigieDatabase; engine: RefreshEngine } {
  const db = openDatabase(path);
  const attempts = new AttemptJournal(db);
  const { client, limiter } = createApiClient({
    baseUrl: api.url,
    transport: (url, init) => fetch(url, init),
    tokenProvider: () => token,
    defaults: CONTEXT,
    documentsRoot,
    limiterOptions: { pools: LIMITS.pools, globalCeilings: CEILINGS, resetMarginMs: 50 },
    overrides: { onAttempt: attempts.hook, retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500 }, timeoutsMs: { json: 2_000, document: 3_000 } },
  });
  const engine = createRefreshEngine({ db, client, limiter, attempts, privileges: CATALOGUE_SCOPES, limits: LIMITS, hooks, tuning: { retryDelayMs: 50 } });
  return { db, engine };
}

/** Every job of the run is done, answered once in the journal, and wrote its data once. */
function verifyExactlyOnce(path: string, expectedJobs: number): { runId: number; jobs: number } {
  const db = new Database(path, { readonly: true });
  try {
    const runs = db.prepare<[], { id: number; state: string; total_jobs: number }>('SELECT id, state, total_jobs FROM refresh_runs').all();
    expect(runs).toHaveLength(1);
    const run = runs[0] as { id: number; state: string; total_jobs: number };
    expect(run.state).toBe('completed');
    expect(run.total_jobs).toBe(expectedJobs);
    const states = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM refresh_jobs GROUP BY state').all();
    expect(states).toEqual([{ state: 'done', n: expectedJobs }]);
    // exactly one final answer journaled per job: nothing lost, nothing redone after its commit
    const answers = db
      .prepare<[], { id: number; answers: number }>(
        `SELECT j.id, (SELECT count(*) FROM call_journal c WHERE c.run_id = j.run_id AND c.endpoint = j.endpoint AND c.identifier = j.identifier
                         AND c.outcome IN ('ok', 'not_found', 'not_authorized', 'legally_unavailable')) AS answers
         FROM refresh_jobs j`,
      )
      .all();
    expect(answers.filter((row) => row.answers !== 1)).toEqual([]);
    // the data of a job written once, by that job
    for (const table of ['company_snapshots', 'establishment_snapshots', 'attestations']) {
      const twice = db.prepare(`SELECT refresh_job_id, count(*) AS n FROM ${table} WHERE refresh_job_id IS NOT NULL GROUP BY refresh_job_id HAVING n > 1`).all();
      expect(twice, table).toEqual([]);
    }
    const withoutData = db
      .prepare(
        `SELECT j.id FROM refresh_jobs j WHERE j.outcome = 'ok'
           AND NOT EXISTS (SELECT 1 FROM company_snapshots s WHERE s.refresh_job_id = j.id)
           AND NOT EXISTS (SELECT 1 FROM establishment_snapshots s WHERE s.refresh_job_id = j.id)
           AND NOT EXISTS (SELECT 1 FROM attestations s WHERE s.refresh_job_id = j.id)`,
      )
      .all();
    expect(withoutData).toEqual([]);
    // a change is recorded once even when the job that found it ran again
    expect(db.prepare('SELECT siren, kind, after_value, count(*) AS n FROM refresh_changes GROUP BY siren, kind, after_value HAVING n > 1').all()).toEqual([]);
    return { runId: run.id, jobs: expectedJobs };
  } finally {
    db.close();
  }
}

type KillPoint = 'afterClaim' | 'afterCall' | 'afterCommit';
const KILL_POINTS: readonly KillPoint[] = ['afterClaim', 'afterCall', 'afterCommit'];

class SimulatedKill extends Error {}

/** Where each of a seed's two lives dies: a point, and the n-th job reaching it. */
function killSchedule(seed: number): { point: KillPoint; at: number }[] {
  const random = mulberry32(seed);
  return [0, 1].map(() => ({ point: KILL_POINTS[Math.floor(random() * KILL_POINTS.length)] as KillPoint, at: 1 + Math.floor(random() * 35) }));
}

describe('resuming after a kill at a random point (in process)', () => {
  const SEEDS = [11, 23, 37, 41, 53, 67];

  it('kills at every point across the seeds: claimed, answered but not committed, committed', () => {
    const points = new Set(SEEDS.flatMap((seed) => killSchedule(seed).map((kill) => kill.point)));
    expect([...points].sort()).toEqual(['afterCall', 'afterClaim', 'afterCommit']);
  });

  it.each(SEEDS)('seed %i: two kills, then the resumed run does every job exactly once', async (seed) => {
    const schedule = killSchedule(seed);
    const register = tempRegister();
    const path = join(register.dir, 'vigie.sqlite3');
    const documents = join(register.dir, 'documents');
    const token = api.mintToken({ jti: `crash-${seed}` });
    fillRegister(register.db, 20, seed);
    register.db.close();
    let expectedJobs = 0;
    try {
      for (let life = 0; life < 3; life += 1) {
        const lastLife = life === 2;
        const { point, at: killAt } = schedule[life] ?? { point: 'afterCommit' as const, at: 0 };
        let seen = 0;
        const booted: { db?: VigieDatabase; engine?: RefreshEngine } = {};
        const kill = (job: JobRecord) => {
          seen += 1;
          if (lastLife || seen !== killAt) return;
          // the process dies: nothing more reaches the database, every call under way is dropped
          booted.engine?.dispose();
          booted.db?.close();
          throw new SimulatedKill(`killed at ${point} of job ${job.id}`);
        };
        const { db, engine } = boot(path, documents, token, { [point]: kill });
        booted.db = db;
        booted.engine = engine;
        // the first kill may come before start() even returns: read what is planned beforehand
        if (life === 0) expectedJobs = engine.plan().tonight.length;
        const handle = engine.resumeInterrupted() ?? engine.start('night');
        const end = await handle.finished;
        if (lastLife || end.state === 'completed') {
          // a life that ends its run before its kill is the last one
          expect(end.state).toBe('completed');
          db.close();
          break;
        } else {
          expect(end.state).toBe('disposed');
          expect(db.open).toBe(false);
        }
      }
      expect(expectedJobs).toBeGreaterThan(70);
      verifyExactlyOnce(path, expectedJobs);
    } finally {
      register.dispose();
    }
  });
});

describe('resuming after SIGKILL (child processes)', () => {
  const childScript = `
    import { openDatabase } from ${JSON.stringify(join(ROOT, 'src-main/node/db/database.ts'))};
    import { createApiClient } from ${JSON.stringify(join(ROOT, 'src-main/node/api-entreprise/create-api-client.ts'))};
    import { CATALOGUE_SCOPES } from ${JSON.stringify(join(ROOT, 'src-main/node/fake-api/dev-token.ts'))};
    import { AttemptJournal } from ${JSON.stringify(join(ROOT, 'src-main/node/refresh/attempt-journal.ts'))};
    import { createRefreshEngine } from ${JSON.stringify(join(ROOT, 'src-main/node/refresh/refresh-engine.ts'))};
    const limits = JSON.parse(process.env.VIGIE_TEST_LIMITS);
    const db = openDatabase(process.env.VIGIE_TEST_DB);
    const attempts = new AttemptJournal(db);
    const { client, limiter } = createApiClient({
      baseUrl: process.env.VIGIE_TEST_API,
      transport: (url, init) => fetch(url, init),
      tokenProvider: () => process.env.VIGIE_TEST_TOKEN,
      defaults: ${JSON.stringify(CONTEXT)},
      documentsRoot: process.env.VIGIE_TEST_DOCUMENTS,
      limiterOptions: { pools: limits.pools, globalCeilings: limits.ceilings, resetMarginMs: 50 },
      overrides: { onAttempt: attempts.hook, retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 500 } },
    });
    const engine = createRefreshEngine({ db, client, limiter, attempts, privileges: CATALOGUE_SCOPES, limits, tuning: { retryDelayMs: 50 } });
    const handle = engine.resumeInterrupted() ?? engine.start('night');
    const end = await handle.finished;
    db.close();
    process.stdout.write(JSON.stringify({ state: end.state, runId: end.runId }));
  `;

  function runChild(env: Record<string, string>): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolveExit) =>
      child.on('exit', (code, signal) => resolveExit({ code, signal, stdout, stderr })),
    );
    return { child, exited };
  }

  it('loses no job and does none twice across SIGKILLs at random moments', async () => {
    const random = mulberry32(2026);
    const register = tempRegister();
    const path = join(register.dir, 'vigie.sqlite3');
    fillRegister(register.db, 30, 3);
    register.db.close();
    const env = {
      VIGIE_TEST_DB: path,
      VIGIE_TEST_API: api.url,
      VIGIE_TEST_TOKEN: api.mintToken({ jti: 'sigkill' }),
      VIGIE_TEST_DOCUMENTS: join(register.dir, 'documents'),
      VIGIE_TEST_LIMITS: JSON.stringify(LIMITS),
    };
    const watcher = new Database(path, { readonly: true });
    try {
      let killedWith = 0;
      const thresholds = [5, 50].map((base) => base + Math.floor(random() * 30));
      for (const threshold of thresholds) {
        const { child, exited } = runChild(env);
        // kill once the children together have committed `threshold` jobs: wherever the child is then
        for (;;) {
          const done = watcher.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'done'").pluck().get() as number;
          if (done >= threshold || child.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 2 + Math.floor(random() * 8)));
        }
        child.kill('SIGKILL');
        const result = await exited;
        if (result.signal === 'SIGKILL') killedWith += 1;
        else expect(result.code, result.stderr).toBe(0);
      }
      expect(killedWith).toBeGreaterThanOrEqual(1);
      const last = runChild(env);
      const result = await last.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ state: 'completed' });
      const total = watcher.prepare('SELECT total_jobs FROM refresh_runs').pluck().get() as number;
      expect(total).toBe(120);
      verifyExactlyOnce(path, total);
    } finally {
      watcher.close();
      register.dispose();
    }
  });
});
