// `Vigie --headless-refresh`: the refresh a scheduled task starts, run on the app's core against
// the fake API, and the exit codes it shares with the command line; then what the open Vigie does
// when it is launched again (a pure decision, tested here).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { REFRESH_EXIT, refreshExitCode, runHeadlessRefresh, type RunEnding } from '../../src-main/node/app/headless-refresh';
import {
  HEADLESS_REFRESH_SWITCH,
  isHeadlessRefresh,
  launchRequest,
  relaunchArguments,
  secondInstanceAction,
} from '../../src-main/node/app/second-instance';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import type { Logger } from '../../src-main/node/logger';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { MemoryKeyValueStore, type KeyValueStore } from '../../src-main/node/settings/key-value-store';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';

let api: FakeApiHandle;
const dirs: string[] = [];

beforeAll(async () => {
  api = await startFakeApi({
    seed: 'headless-refresh',
    companyCount: 400,
    poolLimits: { json: 2_000, urssaf: 2_000, dgfip: 2_000, documents: 2_000 },
    latency: { kind: 'fixed', ms: 60 },
  });
});

afterAll(async () => {
  await api.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface TestApp {
  core: VigieCore;
  dir: string;
  store: KeyValueStore;
  notifications: string[];
  logs: string[];
  logger: Logger;
}

/** A core as main.ts builds it, over a database and settings store that a second core may share. */
function openApp(shared?: { dir: string; store: KeyValueStore }): TestApp {
  const dir = shared?.dir ?? mkdtempSync(join(tmpdir(), 'vigie-headless-'));
  if (!shared) dirs.push(dir);
  const store = shared?.store ?? new MemoryKeyValueStore();
  const inner = new LocalKeyCipher(join(dir, 'k'));
  const notifications: string[] = [];
  const logs: string[] = [];
  const line = (message: string, fields?: Record<string, unknown>) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { info: line, warn: line, error: line };
  const core = createVigieCore({
    databasePath: join(dir, 'vigie.sqlite3'),
    userDataDir: dir,
    store,
    cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
    dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
    logger,
    desktop: { openExternal: () => Promise.resolve(), notify: (_title, body) => notifications.push(body) },
  });
  return { core, dir, store, notifications, logs, logger };
}

async function ok<C extends IpcChannel>(core: VigieCore, channel: C, request: unknown): Promise<IpcResponse<C>> {
  const envelope = await core.dispatch(channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as IpcResponse<C>;
}

async function configure(app: TestApp, token: string | null): Promise<void> {
  await ok(app.core, 'settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
  if (token !== null) await ok(app.core, 'token.submit', { token });
}

function addSuppliers(core: VigieCore, count: number, offset: number): void {
  const repository = new SupplierRepository(core.db);
  for (let i = 0; i < count; i += 1) {
    const company = api.companies.at(offset + i * 5);
    repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
  }
}

const runs = (core: VigieCore) => core.db.prepare('SELECT id, trigger, state FROM refresh_runs ORDER BY id').all() as { id: number; trigger: string; state: string }[];

describe('the exit code of a run', () => {
  type Counts = NonNullable<RunEnding['report']>['counts'];
  const counts = (c: Partial<Counts> = {}): RunEnding['report'] => ({
    counts: { total: 4, done: 4, failed: 0, skipped: 0, pending: 0, notFound: 0, notAuthorized: 0, protected: 0, ...c },
  });

  it('is 0 only for a completed run whose every job got its answer ("non trouvé" is an answer)', () => {
    expect(refreshExitCode({ state: 'completed', report: counts({ notFound: 2 }) })).toBe(REFRESH_EXIT.completed);
    expect(refreshExitCode({ state: 'completed', report: counts({ total: 0, done: 0 }) })).toBe(REFRESH_EXIT.completed);
  });

  it('is 3 for a completed run with failures or postponed jobs, or without its report', () => {
    expect(refreshExitCode({ state: 'completed', report: counts({ done: 3, failed: 1 }) })).toBe(REFRESH_EXIT.partial);
    expect(refreshExitCode({ state: 'completed', report: counts({ done: 3, skipped: 1 }) })).toBe(REFRESH_EXIT.partial);
    expect(refreshExitCode({ state: 'completed', report: null })).toBe(REFRESH_EXIT.partial);
  });

  it('is 1 for a refused token, an internal error or a cancelled run; 4 for a run left to resume', () => {
    expect(refreshExitCode({ state: 'stopped_token', report: null })).toBe(REFRESH_EXIT.error);
    expect(refreshExitCode({ state: 'interrupted', report: null })).toBe(REFRESH_EXIT.error);
    expect(refreshExitCode({ state: 'cancelled', report: counts({ done: 1, skipped: 3 }) })).toBe(REFRESH_EXIT.error);
    expect(refreshExitCode({ state: 'paused', report: counts({ done: 1, pending: 3 }) })).toBe(REFRESH_EXIT.paused);
    expect(refreshExitCode({ state: 'disposed', report: null })).toBe(REFRESH_EXIT.paused);
  });

  it('has distinct codes', () => {
    expect(new Set(Object.values(REFRESH_EXIT)).size).toBe(Object.keys(REFRESH_EXIT).length);
  });
});

describe('the headless refresh on the app core', () => {
  it('exits with 1 without a token, or without the commune’s SIRET, and plans nothing', async () => {
    const app = openApp();
    try {
      const callsBefore = api.stats.apiCalls;
      const bare = await runHeadlessRefresh(app.core, app.logger);
      expect(bare).toMatchObject({ exitCode: REFRESH_EXIT.error, message: expect.stringMatching(/Aucun jeton/) });
      await configure(app, null);
      addSuppliers(app.core, 2, 0);
      const noToken = await runHeadlessRefresh(app.core, app.logger);
      expect(noToken).toMatchObject({ exitCode: REFRESH_EXIT.error, runId: null, message: expect.stringMatching(/Aucun jeton/) });
      await ok(app.core, 'token.submit', { token: api.mintToken() });
      await ok(app.core, 'settings.update', { communeSiret: '' });
      const noCommune = await runHeadlessRefresh(app.core, app.logger);
      expect(noCommune).toMatchObject({ exitCode: REFRESH_EXIT.error, message: expect.stringMatching(/SIRET de la commune/) });
      expect(runs(app.core)).toEqual([]);
      // only the token's check with GET /privileges reached the API
      expect(api.stats.apiCalls - callsBefore).toBe(1);
    } finally {
      app.core.close();
    }
  });

  it('runs the night’s run to its end: exit 0, one notification, then 0 again with nothing due', async () => {
    const app = openApp();
    try {
      const token = api.mintToken({ jti: 'headless-normal' });
      await configure(app, token);
      addSuppliers(app.core, 4, 7);
      const result = await runHeadlessRefresh(app.core, app.logger);
      expect(result).toMatchObject({ exitCode: REFRESH_EXIT.completed, runId: 1, resumedFrom: null });
      expect(result.message).toMatch(/^Registre mis à jour : 16 vérifications/);
      expect(runs(app.core)).toEqual([{ id: 1, trigger: 'night', state: 'completed' }]);
      expect(app.notifications).toEqual([result.message]);
      const again = await runHeadlessRefresh(app.core, app.logger);
      expect(again).toMatchObject({ exitCode: REFRESH_EXIT.completed, runId: 2, message: 'Registre à jour : aucune vérification n’était nécessaire.' });
      expect(app.logs.join('\n')).not.toContain(token);
    } finally {
      app.core.close();
    }
  });

  it('resumes the run a closed (or killed) Vigie left, instead of starting another', async () => {
    const first = openApp();
    await configure(first, api.mintToken({ jti: 'headless-resume' }));
    addSuppliers(first.core, 12, 3);
    first.core.refresh.engine.start('night');
    const doneJobs = () => first.core.db.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'done'").pluck().get() as number;
    while (doneJobs() < 10) await new Promise((done) => setTimeout(done, 5));
    // the app quits mid-run: nothing more is written, the run stays 'running'
    first.core.close();
    while (api.stats.inFlight > 0) await new Promise((done) => setTimeout(done, 10));

    const second = openApp({ dir: first.dir, store: first.store });
    try {
      const before = second.core.db.prepare("SELECT count(*) FROM refresh_jobs WHERE state = 'done'").pluck().get() as number;
      expect(before).toBeGreaterThanOrEqual(10);
      expect(before).toBeLessThan(48);
      const result = await runHeadlessRefresh(second.core, second.logger);
      expect(result).toMatchObject({ exitCode: REFRESH_EXIT.completed, runId: 1, resumedFrom: 'running' });
      expect(runs(second.core)).toEqual([{ id: 1, trigger: 'night', state: 'completed' }]);
      expect(second.core.db.prepare("SELECT count(*) FROM refresh_jobs WHERE state <> 'done'").pluck().get()).toBe(0);
    } finally {
      second.core.close();
    }
  });

  it('exits with 1 when API Entreprise refuses the token (401), and does not call again on the next night', async () => {
    const app = openApp();
    try {
      await configure(app, api.mintToken({ jti: 'headless-revoked' }));
      addSuppliers(app.core, 3, 2);
      // revoked after it was stored: the first call of the night gets 401 00105
      api.blacklist('headless-revoked');
      const result = await runHeadlessRefresh(app.core, app.logger);
      expect(result.exitCode).toBe(REFRESH_EXIT.error);
      expect(result.message).toMatch(/jeton/i);
      expect(runs(app.core)).toEqual([{ id: 1, trigger: 'night', state: 'stopped_token' }]);
      expect(app.core.vault.summary().state).toBe('revoque');
      const callsBefore = api.stats.apiCalls;
      const next = await runHeadlessRefresh(app.core, app.logger);
      expect(next).toMatchObject({ exitCode: REFRESH_EXIT.error, runId: null, message: expect.stringMatching(/révoqué/) });
      expect(api.stats.apiCalls).toBe(callsBefore);
    } finally {
      app.core.close();
    }
  });

  it('the maintenance it awaits first never rejects, even with the register locked by another process', async () => {
    const app = openApp();
    // another process writing (a refresh from the command line): the journal purge cannot get the lock
    const other = new Database(join(app.dir, 'vigie.sqlite3'));
    try {
      app.core.db.pragma('busy_timeout = 50');
      other.exec('BEGIN IMMEDIATE');
      const report = await app.core.maintenance();
      expect(report.purgedJournalLines).toBe(0);
      expect(app.logs.some((line) => line.startsWith('call journal purge failed'))).toBe(true);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      app.core.close();
    }
  });
});

describe('launching Vigie while it is already open', () => {
  const exe = 'C:\\Users\\agent\\AppData\\Local\\Programs\\Vigie\\Vigie.exe';

  it('recognises the scheduled refresh switch, whatever its case', () => {
    expect(isHeadlessRefresh([exe, HEADLESS_REFRESH_SWITCH])).toBe(true);
    expect(isHeadlessRefresh([exe, '--Headless-Refresh'])).toBe(true);
    expect(isHeadlessRefresh([exe, '--headless-refresh=1'])).toBe(false);
    expect(isHeadlessRefresh([exe])).toBe(false);
    expect(launchRequest([exe, HEADLESS_REFRESH_SWITCH])).toEqual({ headlessRefresh: true });
  });

  it('the open app refreshes for a scheduled launch and shows its window for a user’s launch', () => {
    expect(secondInstanceAction([exe, HEADLESS_REFRESH_SWITCH], { headlessRefresh: true }, { headless: false })).toBe('start-refresh');
    expect(secondInstanceAction([exe], { headlessRefresh: false }, { headless: false })).toBe('focus-window');
    // Chromium may reorder or extend the forwarded command line: the lock's data decides when present
    expect(secondInstanceAction([exe, '--allow-file-access-from-files'], { headlessRefresh: true }, { headless: false })).toBe('start-refresh');
    expect(secondInstanceAction([exe, HEADLESS_REFRESH_SWITCH], { headlessRefresh: false }, { headless: false })).toBe('focus-window');
    // an older Vigie sends no data: the command line decides
    expect(secondInstanceAction([exe, HEADLESS_REFRESH_SWITCH], null, { headless: false })).toBe('start-refresh');
    expect(secondInstanceAction([exe], undefined, { headless: false })).toBe('focus-window');
  });

  it('a headless refresh hands its run over to the app a user opens, and ignores another scheduled launch', () => {
    expect(secondInstanceAction([exe], { headlessRefresh: false }, { headless: true })).toBe('reopen-as-app');
    expect(secondInstanceAction([exe, HEADLESS_REFRESH_SWITCH], { headlessRefresh: true }, { headless: true })).toBe('ignore');
    expect(relaunchArguments([exe, HEADLESS_REFRESH_SWITCH, '--lang=fr'])).toEqual(['--lang=fr']);
    expect(relaunchArguments(['/usr/bin/electron', '/opt/vigie', '--headless-refresh'])).toEqual(['/opt/vigie']);
  });
});
