// One refresh per register across processes: the lock file next to the database, taken by the
// engine wherever a run starts, resumes or is cancelled. Two holders in one process, a holder in a
// child process (killed with SIGKILL: its lock is taken over), a stopped heartbeat, the release at
// every end of a run, and what the app, the CLI and the scheduled refresh say when refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { backupHandlers } from '../../src-main/node/app/backup-handlers';
import { REFRESH_EXIT, runHeadlessRefresh } from '../../src-main/node/app/headless-refresh';
import { systemClock } from '../../src-main/node/clock';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { validateCallContext } from '../../src-main/node/api-entreprise/call-context';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { AttemptJournal } from '../../src-main/node/refresh/attempt-journal';
import { createRefreshEngine, type RefreshEngine } from '../../src-main/node/refresh/refresh-engine';
import {
  assertNoOtherProcessRefreshing,
  REFRESH_LOCKED_MESSAGE,
  RefreshLock,
  RefreshLockedError,
  refreshLockPath,
  type RefreshLockContent,
} from '../../src-main/node/refresh/refresh-lock';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RECIPIENT = '13002526500013';
const dirs: string[] = [];
let api: FakeApiHandle;

beforeAll(async () => {
  api = await startFakeApi({
    seed: 'refresh-lock',
    companyCount: 300,
    poolLimits: { json: 2_000, urssaf: 2_000, dgfip: 2_000, documents: 2_000 },
    // slow enough that a run is still going while the other holder tries
    latency: { kind: 'fixed', ms: 150 },
  });
});

afterAll(async () => {
  await api.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-lock-'));
  dirs.push(dir);
  return dir;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function lockContent(path: string): RefreshLockContent {
  return JSON.parse(readFileSync(path, 'utf8')) as RefreshLockContent;
}

function seed(db: VigieDatabase, count: number, offset: number): void {
  const repository = new SupplierRepository(db);
  for (let i = 0; i < count; i += 1) {
    const company = api.companies.at(offset + i * 5);
    repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
  }
}

/** An engine as the CLI builds it, over its own connection to the database at `path`. */
function engineOn(path: string): { engine: RefreshEngine; db: VigieDatabase } {
  const db = openDatabase(path);
  const token = api.mintToken();
  const attempts = new AttemptJournal(db, silentLogger);
  const { client, limiter } = createApiClient({
    baseUrl: api.url,
    transport: (url, init) => fetch(url, init),
    tokenProvider: () => token,
    defaults: validateCallContext({ recipient: RECIPIENT, context: 'Gestion d’un référentiel tiers', object: 'Mise à jour du registre' }),
    logger: silentLogger,
    overrides: { onAttempt: attempts.hook },
  });
  return { engine: createRefreshEngine({ db, client, limiter, attempts, privileges: 'all', logger: silentLogger }), db };
}

interface Child {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  output: () => string;
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return { child, exited, output: () => stdout };
}

/** A child process that takes the lock, says so, then waits (or exits normally after `exitAfterMs`). */
function spawnHolder(lockPath: string, exitAfterMs: number | null): Child {
  const script = `
    const { RefreshLock } = await import(${JSON.stringify(join(ROOT, 'src-main/node/refresh/refresh-lock.ts'))});
    RefreshLock.acquire(${JSON.stringify(lockPath)}, { kind: 'cli' });
    process.stdout.write('held\\n');
    ${exitAfterMs === null ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(0), ${exitAfterMs});`}
  `;
  return spawnNode(['--import', 'tsx', '--input-type=module', '-e', script]);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the refresh lock file', () => {
  it('is exclusive between two holders of one process, and free again once released', () => {
    const path = join(tempDir(), 'vigie.sqlite3.refresh-lock');
    const first = RefreshLock.acquire(path, { kind: 'app' });
    const content = lockContent(path);
    expect(content).toMatchObject({ pid: process.pid, hostname: hostname(), kind: 'app' });
    expect(content.heartbeatAt).toBe(content.startedAt);
    let refused: unknown = null;
    try {
      RefreshLock.acquire(path, { kind: 'cli' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RefreshLockedError);
    expect((refused as RefreshLockedError).holder?.kind).toBe('app');
    expect((refused as RefreshLockedError).userMessage).toContain('déjà en cours sur ce registre dans Vigie');
    first.release();
    expect(existsSync(path)).toBe(false);
    const second = RefreshLock.acquire(path, { kind: 'cli' });
    expect(lockContent(path).kind).toBe('cli');
    second.release();
    // a release is idempotent and never removes someone else's lock
    const third = RefreshLock.acquire(path);
    second.release();
    expect(existsSync(path)).toBe(true);
    third.release();
  });

  it('is refused while a child process holds it, taken over after a SIGKILL, and removed at a normal exit', async () => {
    const path = join(tempDir(), 'vigie.sqlite3.refresh-lock');
    const holder = spawnHolder(path, null);
    await until(() => holder.output().includes('held'), 'the child to hold the lock');
    const pid = holder.child.pid ?? -1;
    expect(lockContent(path).pid).toBe(pid);
    expect(() => RefreshLock.acquire(path)).toThrow(RefreshLockedError);
    holder.child.kill('SIGKILL');
    const killed = await holder.exited;
    expect(killed.signal).toBe('SIGKILL');
    // left behind by the kill, and stale: its process is gone
    expect(lockContent(path).pid).toBe(pid);
    expect(RefreshLock.holder(path)).toBeNull();
    const taken = RefreshLock.acquire(path);
    expect(lockContent(path).pid).toBe(process.pid);
    taken.release();

    const polite = spawnHolder(path, 300);
    await until(() => polite.output().includes('held'), 'the second child to hold the lock');
    expect(existsSync(path)).toBe(true);
    expect((await polite.exited).code).toBe(0);
    expect(existsSync(path)).toBe(false);
  }, 30_000);

  it('is stale when its heartbeat stopped, even with a live process id, and kept while the heartbeat beats', async () => {
    const path = join(tempDir(), 'vigie.sqlite3.refresh-lock');
    const base = { hostname: hostname(), kind: 'cli', nonce: 'other' };
    const now = Date.now();
    // a pid that exists (this process: a reused pid looks just like this) but a heartbeat 4 minutes old
    writeFileSync(path, JSON.stringify({ ...base, pid: process.pid, startedAt: now - 600_000, heartbeatAt: now - 240_000 }));
    const taken = RefreshLock.acquire(path);
    expect(lockContent(path).nonce).not.toBe('other');
    taken.release();
    // another computer's lock: its pid cannot be checked, only its heartbeat
    writeFileSync(path, JSON.stringify({ ...base, hostname: 'autre-poste', pid: 1, startedAt: now, heartbeatAt: now - 60_000 }));
    expect(() => RefreshLock.acquire(path)).toThrow(RefreshLockedError);
    writeFileSync(path, JSON.stringify({ ...base, hostname: 'autre-poste', pid: 1, startedAt: now, heartbeatAt: now - 200_000 }));
    RefreshLock.acquire(path).release();

    // the holder's heartbeat keeps it fresh
    let clock = now;
    const held = RefreshLock.acquire(path, { heartbeatMs: 20, staleAfterMs: 1_000, now: () => clock });
    clock += 5_000;
    await until(() => lockContent(path).heartbeatAt === clock, 'a heartbeat');
    expect(RefreshLock.holder(path, { now: () => clock, staleAfterMs: 1_000 })?.pid).toBe(process.pid);
    held.release();
  });

  it('tells its holder when another process took it over, and then leaves that one’s file alone', () => {
    const path = join(tempDir(), 'vigie.sqlite3.refresh-lock');
    const lost: (RefreshLockContent | null)[] = [];
    const held = RefreshLock.acquire(path, { onLost: (holder) => lost.push(holder) });
    const other = { pid: 4242, hostname: 'autre-poste', kind: 'cli', startedAt: Date.now(), heartbeatAt: Date.now(), nonce: 'other' };
    writeFileSync(path, JSON.stringify(other));
    held.beat();
    expect(lost).toEqual([other]);
    expect(held.held).toBe(false);
    held.release();
    expect(lockContent(path).nonce).toBe('other');
  });

  it('has no file for an in-memory database', () => {
    expect(refreshLockPath(':memory:')).toBeNull();
    expect(refreshLockPath('')).toBeNull();
    expect(refreshLockPath('/data/vigie.sqlite3')).toBe('/data/vigie.sqlite3.refresh-lock');
  });
});

describe('two refresh engines on one register', () => {
  it('the second is refused without touching the first one’s run; the lock goes at pause, cancel and completion', async () => {
    const dir = tempDir();
    const path = join(dir, 'vigie.sqlite3');
    const lockPath = `${path}.refresh-lock`;
    const seedDb = openDatabase(path);
    seed(seedDb, 12, 3);
    seedDb.close();
    const a = engineOn(path);
    const b = engineOn(path);
    try {
      const running = a.engine.start('manual');
      expect(lockContent(lockPath)).toMatchObject({ pid: process.pid, kind: 'app' });
      await until(() => (a.engine.progress()?.done ?? 0) > 0, 'a first job');
      const jobsBefore = b.db.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'running'").pluck().get() as number;
      // a run of another process is 'running' in the database: it must not be taken for a crashed one
      expect(() => b.engine.resumeInterrupted()).toThrow(RefreshLockedError);
      expect(() => b.engine.start('manual')).toThrow(RefreshLockedError);
      expect(() => b.engine.resume()).toThrow(RefreshLockedError);
      expect(() => b.engine.cancel()).toThrow(RefreshLockedError);
      expect(b.db.prepare('SELECT count(*) FROM refresh_runs').pluck().get()).toBe(1);
      expect(b.db.prepare('SELECT state FROM refresh_runs').pluck().get()).toBe('running');
      expect(jobsBefore).toBeGreaterThan(0);

      a.engine.pause();
      expect((await running.finished).state).toBe('paused');
      expect(existsSync(lockPath)).toBe(false);

      // the other engine resumes the paused run, holds the lock meanwhile, cancels it: released
      const resumed = b.engine.resume();
      expect(resumed?.runId).toBe(running.runId);
      expect(existsSync(lockPath)).toBe(true);
      expect(() => a.engine.start('manual')).toThrow(RefreshLockedError);
      b.engine.cancel();
      expect((await resumed?.finished)?.state).toBe('cancelled');
      expect(existsSync(lockPath)).toBe(false);

      // cancelling a paused run (no execution) takes and releases the lock too
      const second = a.engine.start('manual');
      a.engine.pause();
      await second.finished;
      expect(b.engine.cancel()).toBe(true);
      await until(() => !existsSync(lockPath) && b.db.prepare('SELECT state FROM refresh_runs WHERE id = ?').pluck().get(second.runId) === 'cancelled', 'the cancel');

      // a run to its end
      const third = a.engine.start('manual');
      expect((await third.finished).state).toBe('completed');
      expect(existsSync(lockPath)).toBe(false);

      // dispose (application quit) releases at once: the run stays 'running' for the next start
      const fourth = a.engine.start('manual');
      a.engine.dispose();
      expect(existsSync(lockPath)).toBe(false);
      expect((await fourth.finished).state).toBe('disposed');
      const taken = b.engine.resumeInterrupted();
      expect(taken?.runId).toBe(fourth.runId);
      b.engine.cancel();
      await taken?.finished;
      expect(existsSync(lockPath)).toBe(false);
    } finally {
      a.engine.dispose();
      b.engine.dispose();
      a.db.close();
      b.db.close();
    }
  }, 60_000);
});

interface App {
  core: VigieCore;
  dir: string;
  path: string;
}

function openApp(): App {
  const dir = tempDir();
  const inner = new LocalKeyCipher(join(dir, 'k'));
  const path = join(dir, 'vigie.sqlite3');
  const core = createVigieCore({
    databasePath: path,
    userDataDir: dir,
    cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
    dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
    logger: silentLogger,
    desktop: { openExternal: () => Promise.resolve(), notify: () => {} },
  });
  return { core, dir, path };
}

async function ok<C extends IpcChannel>(core: VigieCore, channel: C, request: unknown): Promise<IpcResponse<C>> {
  const envelope = await core.dispatch(channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as IpcResponse<C>;
}

describe('the app, the command line and the scheduled refresh on one register', () => {
  it('the app shows the French message while a command line holds the lock, and the scheduled refresh exits 5', async () => {
    const app = openApp();
    try {
      await ok(app.core, 'settings.update', { communeSiret: RECIPIENT, apiEnvironment: 'local', localApiUrl: api.url });
      await ok(app.core, 'token.submit', { token: api.mintToken() });
      seed(app.core.db, 4, 7);
      const cli = RefreshLock.acquire(`${app.path}.refresh-lock`, { kind: 'cli' });
      try {
        expect((await ok(app.core, 'refresh.start', {})).message).toBe(REFRESH_LOCKED_MESSAGE);
        expect((await ok(app.core, 'supplier.refreshNow', { id: 1 })).message).toBe(REFRESH_LOCKED_MESSAGE);
        expect((await ok(app.core, 'refresh.resume', {})).message).toBe(REFRESH_LOCKED_MESSAGE);
        expect(app.core.db.prepare('SELECT count(*) FROM refresh_runs').pluck().get()).toBe(0);
      } finally {
        cli.release();
      }
      const started = await ok(app.core, 'refresh.start', {});
      expect(started.message).toBeNull();
      expect(lockContent(`${app.path}.refresh-lock`).kind).toBe('app');
      await ok(app.core, 'refresh.pause', {});
      await until(() => !existsSync(`${app.path}.refresh-lock`), 'the paused run to release the lock');

      const again = RefreshLock.acquire(`${app.path}.refresh-lock`, { kind: 'cli' });
      try {
        const headless = await runHeadlessRefresh(app.core, silentLogger);
        expect(headless).toMatchObject({ exitCode: REFRESH_EXIT.handedOver, message: REFRESH_LOCKED_MESSAGE, runId: null });
        expect(app.core.db.prepare('SELECT state FROM refresh_runs').pluck().get()).toBe('paused');
      } finally {
        again.release();
      }
    } finally {
      app.core.close();
    }
  }, 30_000);

  it('the command line refuses with exit code 5 while the app runs a refresh, and leaves the app’s run alone', async () => {
    const app = openApp();
    try {
      await ok(app.core, 'settings.update', { communeSiret: RECIPIENT, apiEnvironment: 'local', localApiUrl: api.url });
      await ok(app.core, 'token.submit', { token: api.mintToken() });
      seed(app.core.db, 30, 11);
      expect((await ok(app.core, 'refresh.start', {})).message).toBeNull();
      const runId = app.core.db.prepare('SELECT id FROM refresh_runs').pluck().get() as number;
      const cli = spawnNode(
        ['--import', 'tsx', 'src-main/cli/vigie-cli.ts', 'refresh', '--db', app.path, '--api-url', api.url, '--recipient', RECIPIENT, '--json'],
        { ...process.env, VIGIE_TOKEN: api.mintToken() },
      );
      const exit = await cli.exited;
      expect(exit.code).toBe(REFRESH_EXIT.handedOver);
      expect(exit.stderr).toContain('Une mise à jour est déjà en cours sur ce registre dans Vigie');
      expect((await ok(app.core, 'refresh.status', {})).running).toBe(true);
      expect(app.core.db.prepare('SELECT count(*) FROM refresh_runs').pluck().get()).toBe(1);
      expect(app.core.db.prepare('SELECT state FROM refresh_runs WHERE id = ?').pluck().get(runId)).toBe('running');
      await ok(app.core, 'refresh.pause', {});
      await until(() => !existsSync(`${app.path}.refresh-lock`), 'the paused run to release the lock');
    } finally {
      app.core.close();
    }
  }, 60_000);
});

describe('replacing the whole register while another process refreshes it', () => {
  it('refuses a backup restore, in French, while a child process holds the lock, and allows it once that process is gone', async () => {
    const dir = tempDir();
    const databasePath = join(dir, 'vigie.sqlite3');
    const db = openDatabase(databasePath);
    const restored: string[] = [];
    try {
      const handlers = backupHandlers({
        db,
        backupDir: join(dir, 'backups'),
        clock: systemClock,
        restoreAndRestart: async (path) => {
          restored.push(path);
        },
      });
      const backup = await handlers['backups.create']({});
      const holder = spawnHolder(`${databasePath}.refresh-lock`, null);
      await until(() => holder.output().includes('held'), 'the child to hold the lock');
      await expect(handlers['backups.restore']({ fileName: backup.fileName })).rejects.toThrow(
        /^Une mise à jour est déjà en cours sur ce registre .* Attendez sa fin avant de restaurer une sauvegarde\.$/,
      );
      expect(restored).toEqual([]);
      holder.child.kill('SIGKILL');
      await holder.exited;
      await handlers['backups.restore']({ fileName: backup.fileName });
      expect(restored).toHaveLength(1);
    } finally {
      db.close();
    }
  }, 30_000);

  it('does not count this process’s own refresh, which closes with the register', () => {
    const dir = tempDir();
    const databasePath = join(dir, 'vigie.sqlite3');
    const own = RefreshLock.acquire(`${databasePath}.refresh-lock`);
    try {
      expect(() => assertNoOtherProcessRefreshing(databasePath, 'Attendez.')).not.toThrow();
    } finally {
      own.release();
    }
  });
});
