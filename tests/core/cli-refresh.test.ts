// `npm run cli -- refresh` as a cron line runs it: a child process against the fake API. Killed
// with SIGKILL in the middle of its run, the next call resumes the same run, and every planned job
// ends done exactly once: checked in the jobs table, the call journal and the fake API's own log
// of the requests it answered. SIGTERM pauses the run cleanly and the next call resumes it.
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/vigie-cli';
import type { RefreshCommandResult } from '../../src-main/cli/refresh-command';
import { REFRESH_EXIT } from '../../src-main/node/app/headless-refresh';
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { tempRegister } from '../support/temp-register';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RECIPIENT = '13002526500013';
const SUPPLIERS = 36;

let api: FakeApiHandle;
/** Every request the fake API finished: method, path (no query), status or "reset". */
const requestLog: { path: string; status: string }[] = [];
const savedToken = process.env.VIGIE_TOKEN;
const registers: { dispose: () => void }[] = [];

beforeAll(async () => {
  api = await startFakeApi({
    seed: 'cli-refresh',
    companyCount: 600,
    // room enough that the run is paced by the latency alone: 250 ms an answer, so a run of a few
    // seconds that a kill lands in the middle of (DGFIP's two workers take ~5 s for 36 suppliers)
    poolLimits: { json: 2_000, urssaf: 2_000, dgfip: 2_000, documents: 2_000 },
    latency: { kind: 'fixed', ms: 250 },
    log: (line) => {
      const [, path, status] = line.split(' ');
      requestLog.push({ path: path ?? '', status: status ?? '' });
    },
  });
});

afterAll(async () => {
  await api.close();
  for (const register of registers) register.dispose();
});

afterEach(() => {
  if (savedToken === undefined) delete process.env.VIGIE_TOKEN;
  else process.env.VIGIE_TOKEN = savedToken;
});

function register(count: number, offset: number): { dir: string; path: string } {
  const temp = tempRegister();
  registers.push(temp);
  const repository = new SupplierRepository(temp.db);
  for (let i = 0; i < count; i += 1) {
    const company = api.companies.at(offset + i * 7);
    repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
  }
  temp.db.close();
  return { dir: temp.dir, path: join(temp.dir, 'vigie.sqlite3') };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnRefresh(dbPath: string, token: string, extra: string[] = []): { child: ChildProcess; exited: Promise<Exit> } {
  const args = ['--import', 'tsx', 'src-main/cli/vigie-cli.ts', 'refresh', '--db', dbPath, '--api-url', api.url, '--recipient', RECIPIENT, '--json', ...extra];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, VIGIE_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exited };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls the database the child writes until `done` jobs are committed. */
async function waitForDoneJobs(watcher: Database.Database, atLeast: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const done = watcher.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'done'").pluck().get() as number;
    if (done >= atLeast) return;
    if (child.exitCode !== null) throw new Error(`the refresh ended before ${atLeast} jobs were done`);
    if (Date.now() > deadline) throw new Error('no progress');
    await sleep(10);
  }
}

/** The requests the killed child left at the fake API finish (answered into a closed socket). */
async function waitForServerIdle(): Promise<void> {
  for (let i = 0; i < 500 && api.stats.inFlight > 0; i += 1) await sleep(10);
  expect(api.stats.inFlight).toBe(0);
}

interface JobRow {
  id: number;
  endpoint: EndpointId;
  identifier: string;
  state: string;
  attempts: number;
  finished_at: string | null;
}

function jobs(watcher: Database.Database): JobRow[] {
  return watcher.prepare('SELECT id, endpoint, identifier, state, attempts, finished_at FROM refresh_jobs ORDER BY id').all() as JobRow[];
}

/** Final answers (data or "non trouvé") the fake API gave per path, in a slice of its log. */
function answersByPath(entries: readonly { path: string; status: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.status !== '200' && entry.status !== '404') continue;
    counts.set(entry.path, (counts.get(entry.path) ?? 0) + 1);
  }
  return counts;
}

function parseResult(stdout: string): RefreshCommandResult {
  return JSON.parse(stdout) as RefreshCommandResult;
}

describe('refresh from the command line, killed and resumed', () => {
  it('after a SIGKILL mid-run, the next call resumes the same run and does every job exactly once', async () => {
    const { path } = register(SUPPLIERS, 11);
    const token = api.mintToken({ jti: 'cli-refresh-kill' });
    const watcher = new Database(path, { readonly: true });
    try {
      const logStart = requestLog.length;
      const first = spawnRefresh(path, token);
      await waitForDoneJobs(watcher, 30, first.child);
      first.child.kill('SIGKILL');
      const killed = await first.exited;
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stdout).toBe('');
      await waitForServerIdle();

      // what the killed process left: one run still marked running, some jobs done, some not
      const runs = watcher.prepare('SELECT id, state, total_jobs FROM refresh_runs').all() as { id: number; state: string; total_jobs: number }[];
      expect(runs).toHaveLength(1);
      const run = runs[0] as { id: number; state: string; total_jobs: number };
      expect(run.state).toBe('running');
      expect(run.total_jobs).toBeGreaterThanOrEqual(3 * SUPPLIERS);
      const atKill = jobs(watcher);
      expect(atKill).toHaveLength(run.total_jobs);
      const doneAtKill = atKill.filter((job) => job.state === 'done');
      const runningAtKill = new Set(atKill.filter((job) => job.state === 'running').map((job) => job.id));
      expect(doneAtKill.length).toBeGreaterThanOrEqual(30);
      expect(doneAtKill.length).toBeLessThan(run.total_jobs);
      expect(atKill.filter((job) => job.state === 'pending').length).toBeGreaterThan(0);
      const logAtKill = requestLog.length;

      const second = spawnRefresh(path, token);
      const resumed = await second.exited;
      expect(resumed.code, resumed.stderr).toBe(REFRESH_EXIT.completed);
      const result = parseResult(resumed.stdout);
      expect(result).toMatchObject({ runId: run.id, resumed: true, resumedFrom: 'running', state: 'completed', exitCode: 0 });
      expect(result.message).toMatch(/^Registre mis à jour : /);
      expect(result.report).toMatchObject({
        runId: run.id,
        trigger: 'manual',
        state: 'completed',
        counts: { total: run.total_jobs, done: run.total_jobs, failed: 0, skipped: 0, pending: 0 },
        errorCount: 0,
      });
      expect(result.report?.perPool.dgfip?.done).toBe(SUPPLIERS);
      for (const output of [killed.stdout, killed.stderr, resumed.stdout, resumed.stderr]) expect(output).not.toContain(token);

      // the jobs table: one completed run, every job done; those done before the kill untouched
      expect(watcher.prepare('SELECT id, state FROM refresh_runs').all()).toEqual([{ id: run.id, state: 'completed' }]);
      const after = jobs(watcher);
      expect(after.filter((job) => job.state !== 'done')).toEqual([]);
      const afterById = new Map(after.map((job) => [job.id, job]));
      for (const job of doneAtKill) expect(afterById.get(job.id)).toEqual(job);

      // the call journal: exactly one final answer per job, in this run
      const journaled = watcher
        .prepare(
          `SELECT j.id, (SELECT count(*) FROM call_journal c WHERE c.run_id = j.run_id AND c.endpoint = j.endpoint AND c.identifier = j.identifier
                           AND c.outcome IN ('ok', 'not_found', 'not_authorized', 'legally_unavailable')) AS answers
           FROM refresh_jobs j`,
        )
        .all() as { id: number; answers: number }[];
      expect(journaled.filter((row) => row.answers !== 1)).toEqual([]);

      // the fake API's side: a job done before the kill is never called again; any other job is
      // answered once after it; a second answer overall only for a job the kill caught in flight
      const before = answersByPath(requestLog.slice(logStart, logAtKill));
      const afterKill = answersByPath(requestLog.slice(logAtKill));
      let caughtInFlight = 0;
      for (const job of after) {
        const path = endpointPath(job.endpoint, job.identifier);
        const [earlier, later] = [before.get(path) ?? 0, afterKill.get(path) ?? 0];
        const label = `job ${job.id} (${path})`;
        if (doneAtKill.some((done) => done.id === job.id)) {
          expect([earlier, later], label).toEqual([1, 0]);
        } else {
          expect(later, label).toBe(1);
          if (runningAtKill.has(job.id)) caughtInFlight += earlier;
          else expect(earlier, label).toBe(0);
        }
        // no retry was needed: every server answer is one attempt (claim) of the job
        expect(earlier + later, label).toBeLessThanOrEqual(job.attempts);
      }
      expect(caughtInFlight).toBeLessThanOrEqual(runningAtKill.size);
    } finally {
      watcher.close();
    }
  }, 90_000);

  it('SIGTERM pauses the run cleanly (exit 4), and the next call resumes it with nothing called twice', async () => {
    const { path } = register(SUPPLIERS, 3);
    const token = api.mintToken({ jti: 'cli-refresh-pause' });
    const watcher = new Database(path, { readonly: true });
    try {
      const logStart = requestLog.length;
      const first = spawnRefresh(path, token);
      await waitForDoneJobs(watcher, 20, first.child);
      first.child.kill('SIGTERM');
      const paused = await first.exited;
      expect(paused.code, paused.stderr).toBe(REFRESH_EXIT.paused);
      expect(paused.stderr).toMatch(/Mise en pause/);
      const pausedResult = parseResult(paused.stdout);
      expect(pausedResult).toMatchObject({ resumed: false, state: 'paused', exitCode: REFRESH_EXIT.paused, report: { state: 'paused' } });
      expect(pausedResult.report?.counts.done).toBeGreaterThanOrEqual(20);
      expect(pausedResult.report?.counts.pending).toBeGreaterThan(0);
      // a clean pause: the calls under way were committed, none is left claimed
      expect(watcher.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'running'").pluck().get()).toBe(0);
      expect(watcher.prepare('SELECT state FROM refresh_runs').pluck().all()).toEqual(['paused']);

      const second = spawnRefresh(path, token);
      const resumed = await second.exited;
      expect(resumed.code, resumed.stderr).toBe(REFRESH_EXIT.completed);
      const result = parseResult(resumed.stdout);
      expect(result).toMatchObject({ runId: pausedResult.runId, resumed: true, resumedFrom: 'paused', state: 'completed', exitCode: 0 });
      expect(result.report?.counts).toMatchObject({ done: result.report?.counts.total, failed: 0, pending: 0 });
      const answers = answersByPath(requestLog.slice(logStart));
      const twice = jobs(watcher).filter((job) => answers.get(endpointPath(job.endpoint, job.identifier)) !== 1);
      expect(twice).toEqual([]);
    } finally {
      watcher.close();
    }
  }, 90_000);
});

describe('refresh from the command line, in process', () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const base = (dbPath: string) => ['refresh', '--db', dbPath, '--api-url', api.url, '--recipient', RECIPIENT];

  it('refreshes a small register with a French summary, then finds nothing due', async () => {
    const { path, dir } = register(3, 5);
    process.env.VIGIE_TOKEN = api.mintToken();
    const first = await run([...base(path), '--documents', join(dir, 'pdf')]);
    expect(first.err).toBe('');
    expect(first.code).toBe(REFRESH_EXIT.completed);
    expect(first.out).toMatch(/^Mise à jour n° 1 démarrée\.\nRegistre mis à jour : 12 vérifications/);
    const again = await run([...base(path), '--json']);
    expect(again.code).toBe(REFRESH_EXIT.completed);
    expect(parseResult(again.out)).toMatchObject({
      runId: 2,
      resumed: false,
      state: 'completed',
      message: 'Registre à jour : aucune vérification n’était nécessaire.',
      report: { counts: { total: 0 } },
    });
  });

  it('refuses incomplete commands, foreign API addresses, a bad recipient or object, and a token on the command line (exit 2)', async () => {
    const { path } = register(1, 0);
    process.env.VIGIE_TOKEN = api.mintToken();
    const cases: [string[], RegExp][] = [
      [['refresh', '--api-url', api.url, '--recipient', RECIPIENT], /demande --db, --api-url et --recipient/],
      [['refresh', '--db', path, '--recipient', RECIPIENT], /demande --db, --api-url et --recipient/],
      [[...base(path), 'en-trop'], /ne prend pas d’argument/],
      [['refresh', '--db', path, '--api-url', 'https://example.org', '--recipient', RECIPIENT], /Adresse d’API refusée/],
      [['refresh', '--db', path, '--api-url', api.url, '--recipient', '13002526500014'], /pas un SIRET valide/],
      [[...base(path), '--object', 'x'.repeat(50)], /moins de 50 caractères/],
      [[...base(path), '--token', 'abc'], /VIGIE_TOKEN/],
      [[...base(path), '--unknown'], /Unknown option/],
    ];
    const callsBefore = api.stats.apiCalls;
    for (const [args, message] of cases) {
      const { code, err } = await run(args);
      expect({ args, code }).toEqual({ args, code: REFRESH_EXIT.usage });
      expect(err).toMatch(message);
    }
    expect(api.stats.apiCalls).toBe(callsBefore);
  });

  it('ends with 1 and a French message without a token, with a refused or expired token, or without the database', async () => {
    const { path, dir } = register(2, 1);
    delete process.env.VIGIE_TOKEN;
    const missing = await run(base(path));
    expect(missing.code).toBe(REFRESH_EXIT.error);
    expect(missing.err).toMatch(/aucun jeton.*VIGIE_TOKEN/);

    const revoked = api.mintToken({ jti: 'cli-refresh-revoked' });
    api.blacklist('cli-refresh-revoked');
    process.env.VIGIE_TOKEN = revoked;
    const refused = await run([...base(path), '--json']);
    expect(refused.code).toBe(REFRESH_EXIT.error);
    expect(refused.err).toMatch(/API Entreprise refuse ce jeton/);
    expect(refused.out + refused.err).not.toContain(revoked);

    const now = Math.floor(Date.now() / 1000);
    process.env.VIGIE_TOKEN = api.mintToken({ issuedAt: now - 600 * 86_400, expiresAt: now - 86_400 });
    const expired = await run(base(path));
    expect(expired.code).toBe(REFRESH_EXIT.error);
    expect(expired.err).toMatch(/expiré/);

    process.env.VIGIE_TOKEN = api.mintToken();
    const nowhere = await run(base(join(dir, 'absente.sqlite3')));
    expect(nowhere.code).toBe(REFRESH_EXIT.error);
    expect(nowhere.err).toMatch(/n’existe pas/);
    // nothing was planned on the way
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM refresh_runs').pluck().get()).toBe(0);
    db.close();
  });

  it('ends with 1 and a French message for a file that is not a register', async () => {
    const { dir } = register(0, 0);
    const notARegister = join(dir, 'notes.sqlite3');
    writeFileSync(notARegister, 'ceci n’est pas une base de données, mais un texte assez long pour en avoir l’air\n'.repeat(20));
    process.env.VIGIE_TOKEN = api.mintToken();
    const refused = await run(base(notARegister));
    expect(refused.code).toBe(REFRESH_EXIT.error);
    expect(refused.err).toBe(`Erreur : ${notARegister} n’est pas un registre Vigie lisible (fichier endommagé ou d’un autre type).`);
  });
});
