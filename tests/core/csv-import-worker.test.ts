import { rmSync, writeFileSync } from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileDialogs } from '../../src-main/node/app/file-dialogs';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';
import { ImportWorkerUnavailableError, workerImportRunner, type ImportRunner } from '../../src-main/node/csv/import-runner';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { silentLogger } from '../../src-main/node/logger';
import { SupplierSearch } from '../../src-main/node/register/supplier-search';
import { startFakeApi } from '../../src-main/node/fake-api/fake-api-server';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { ENDPOINTS } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { UserFacingError } from '../../src-main/node/user-facing-error';
import { makeInvalidSiret, makeSiret } from '../support/identifiers-fixture';
import { countSuppliers, tempRegister } from '../support/temp-register';

// every worker the runner starts, and whether it has exited: none may outlive a call
const started = vi.hoisted(() => [] as { exited: boolean }[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof WorkerThreads>();
  class TrackedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      const entry = { exited: false };
      started.push(entry);
      this.once('exit', () => {
        entry.exited = true;
      });
    }
  }
  return { ...actual, Worker: TrackedWorker, default: { ...actual, Worker: TrackedWorker } };
});

// the worker entry is TypeScript: this bootstrap registers tsx inside the worker, then loads it
const WORKER = join(import.meta.dirname, '../support/csv-import-worker-tsx.mjs');
const NOW = '2026-11-28T10:00:00.000Z';
const LARGE_ROWS = 50_000;

let register: ReturnType<typeof tempRegister>;
let db: VigieDatabase;
let databasePath: string;
const toClose: { close(): void }[] = [];

beforeEach(() => {
  register = tempRegister();
  db = register.db;
  databasePath = join(register.dir, 'vigie.sqlite3');
  started.length = 0;
});
afterEach(() => {
  for (const item of toClose.splice(0)) item.close();
  register.dispose();
});

function runner(options: { busyTimeoutMs?: number } = {}): ImportRunner {
  const created = workerImportRunner({ databasePath, workerPath: WORKER, now: () => NOW, ...options });
  toClose.push(created);
  return created;
}

function writeCsv(name: string, content: string): string {
  const path = join(register.dir, name);
  writeFileSync(path, content);
  return path;
}

function expectNoWorkerLeft(atLeast: number): void {
  expect(started.length).toBeGreaterThanOrEqual(atLeast);
  expect(started.every((worker) => worker.exited)).toBe(true);
}

/** 50,000 rows: renamed and unchanged suppliers already in the register, duplicates, invalid SIRETs, an unknown « Actif ». */
function largeCsv(): string {
  const lines = ['Code tiers;Raison sociale;SIRET;Ville;Actif'];
  for (let i = 0; i < LARGE_ROWS; i += 1) {
    const siret = i % 997 === 500 ? makeInvalidSiret(i) : i % 1009 === 3 ? makeSiret(i - 1) : makeSiret(i);
    const active = i % 1013 === 7 ? 'peut-être' : i % 3 === 0 ? 'non' : 'oui';
    lines.push(`F${i};Fournisseur ${i};${siret};Ville ${i % 101};${active}`);
  }
  return `${lines.join('\n')}\n`;
}

/** 200 suppliers already in the register: the first hundred under another name, so the import updates them. */
async function seed(target: VigieDatabase): Promise<void> {
  const lines = ['Code tiers;Raison sociale;SIRET;Ville;Actif'];
  for (let i = 0; i < 200; i += 1) {
    lines.push(`F${i};${i < 100 ? `Ancien nom ${i}` : `Fournisseur ${i}`};${makeSiret(i)};Ville ${i % 101};${i % 3 === 0 ? 'non' : 'oui'}`);
  }
  await importSuppliersCsv(target, writeCsv('seed.csv', `${lines.join('\n')}\n`), { dryRun: false, now: () => NOW });
}

const registerRows = (target: VigieDatabase) =>
  target
    .prepare('SELECT siren, siret, name, accounting_code, city, active, created_at, updated_at FROM suppliers ORDER BY siren, siret')
    .all();

describe('a large import on a worker thread', () => {
  it('gives the same report and the same rows as the in-process import, visible at once to the main connection', { timeout: 120_000 }, async () => {
    await seed(db);
    const copyPath = join(register.dir, 'copy.sqlite3');
    db.prepare('VACUUM INTO ?').run(copyPath);
    const copy = openDatabase(copyPath);
    toClose.push(copy);
    const file = writeCsv('fournisseurs.csv', largeCsv());

    // the worker holds SQLite's write lock during its transaction: a probe finds it taken on the main
    // thread's ticks only if the main thread keeps running meanwhile
    const probe = new Database(databasePath);
    toClose.push(probe);
    probe.pragma('busy_timeout = 0');
    let ticks = 0;
    let ticksDuringTransaction = 0;
    const timer = setInterval(() => {
      ticks += 1;
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY') ticksDuringTransaction += 1;
        else throw error;
      }
    }, 5);
    let report;
    try {
      report = await runner().run({ filePath: file, dryRun: false, fileName: 'fournisseurs.csv' });
    } finally {
      clearInterval(timer);
    }
    expect(ticksDuringTransaction).toBeGreaterThanOrEqual(3);
    expect(ticks).toBeGreaterThan(ticksDuringTransaction);
    expectNoWorkerLeft(1);

    const inProcess = await importSuppliersCsv(copy, file, { dryRun: false, fileName: 'fournisseurs.csv', now: () => NOW });
    expect(report).toEqual(inProcess);
    expect(report.totalRows).toBe(LARGE_ROWS);
    expect(report.updated).toBeGreaterThan(0);
    expect(report.unchanged).toBeGreaterThan(0);
    expect(report.rejected.length).toBeGreaterThan(0);
    expect(report.warnings.length).toBeGreaterThan(0);

    // the main connection, which stayed open, reads the committed rows without reopening
    expect(countSuppliers(db)).toBe(report.inserted + 200);
    expect(new SupplierSearch(db).stats()).toEqual(new SupplierSearch(copy).stats());
    expect(registerRows(db)).toEqual(registerRows(copy));
  });

  it('stops at close without committing anything, and leaves no worker running', { timeout: 60_000 }, async () => {
    const file = writeCsv('fournisseurs.csv', largeCsv());
    const probe = new Database(databasePath);
    toClose.push(probe);
    probe.pragma('busy_timeout = 0');
    const importer = runner();
    const job = importer.run({ filePath: file, dryRun: false });
    const outcome = job.then(
      () => 'committed',
      () => 'stopped',
    );
    // close as the application quits: while the worker's transaction is open
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        try {
          probe.exec('BEGIN IMMEDIATE');
          probe.exec('ROLLBACK');
        } catch {
          clearInterval(timer);
          importer.close();
          resolve();
        }
      }, 5);
    });
    expect(await outcome).toBe('stopped');
    expectNoWorkerLeft(1);
    expect(countSuppliers(db)).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM suppliers_fts').get()).toEqual({ n: 0 });
  });
});

describe('failures on the worker thread', () => {
  it('a busy register beyond the timeout: a French message, nothing written', async () => {
    const file = writeCsv('fournisseurs.csv', `SIRET;Raison sociale\n${makeSiret(1)};Alpha\n`);
    const holder = new Database(databasePath);
    toClose.push(holder);
    holder.exec('BEGIN IMMEDIATE');
    const failure = await runner({ busyTimeoutMs: 100 })
      .run({ filePath: file, dryRun: false })
      .catch((error: unknown) => error);
    holder.exec('ROLLBACK');
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as UserFacingError).message).toBe('Le registre est occupé par une autre opération : rien n’a été importé. Réessayez dans un instant.');
    expect((failure as UserFacingError).detail).toMatch(/^SQLITE_BUSY/);
    expect(countSuppliers(db)).toBe(0);
    expectNoWorkerLeft(1);
  });

  it('the import’s own refusals cross the thread as the same UserFacingError', async () => {
    const empty = writeCsv('vide.csv', '');
    const inProcess = await importSuppliersCsv(db, empty, { dryRun: true }).catch((error: unknown) => error);
    const failure = await runner()
      .run({ filePath: empty, dryRun: true })
      .catch((error: unknown) => error);
    expect(inProcess).toBeInstanceOf(UserFacingError);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect(failure).toMatchObject({ code: 'bad-input', message: 'Le fichier est vide.', detail: (inProcess as UserFacingError).detail });
    expectNoWorkerLeft(1);
  });

  it('a worker that cannot start rejects instead of hanging, and is gone', async () => {
    const broken = workerImportRunner({ databasePath, workerPath: join(register.dir, 'absent-worker.mjs') });
    toClose.push(broken);
    const failure = await broken.run({ filePath: writeCsv('a.csv', 'x'), dryRun: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(UserFacingError);
    expect(failure).toBeInstanceOf(ImportWorkerUnavailableError);
    expect((failure as Error).message).toMatch(/csv import worker (crashed|stopped)/);
    expectNoWorkerLeft(1);
    expect(countSuppliers(db)).toBe(0);
  });
});

describe('the core with its imports on a worker', () => {
  const dialogs: { open: string | null } = { open: null };
  const fakeDialogs: FileDialogs = {
    chooseCsvToImport: () => Promise.resolve(dialogs.open),
    chooseCsvExportPath: () => Promise.resolve(null),
  };
  let core: VigieCore;
  beforeEach(() => {
    core = createVigieCore({
      databasePath,
      dialogs: fakeDialogs,
      logger: silentLogger,
      now: () => new Date(NOW),
      importWorker: { path: WORKER },
    });
    toClose.unshift(core);
  });

  const choose = async (path: string): Promise<string> => {
    dialogs.open = path;
    const chosen = await core.dispatch('csv.chooseImportFile', {});
    if (!chosen.ok) throw new Error(chosen.error.message);
    return (chosen.value as { fileId: string }).fileId;
  };

  it('previews without writing, commits, and the dashboard and the register see the new rows at once', async () => {
    const lines = ['SIRET;Raison sociale;Ville'];
    for (let i = 0; i < 1000; i += 1) lines.push(`${i === 10 ? makeInvalidSiret(i) : makeSiret(i)};Fournisseur ${i};Lyon`);
    const fileId = await choose(writeCsv('fournisseurs.csv', `${lines.join('\n')}\n`));
    const preview = await core.dispatch('csv.previewImport', { fileId });
    expect(preview).toMatchObject({ ok: true, value: { dryRun: true, totalRows: 1000, inserted: 999, rejected: [{ line: 12 }] } });
    expect(countSuppliers(core.db)).toBe(0);
    const committed = await core.dispatch('csv.commitImport', { fileId, mapping: { '0': 'siret', '1': 'name', '2': 'city' } });
    expect(committed).toMatchObject({ ok: true, value: { dryRun: false, inserted: 999, fileName: 'fournisseurs.csv' } });
    expect(await core.dispatch('dashboard.summary', {})).toMatchObject({ ok: true, value: { suppliers: 999, activeSuppliers: 999 } });
    expect(await core.dispatch('register.stats', {})).toMatchObject({ ok: true, value: { suppliers: 999 } });
    const found = await core.dispatch('register.search', { text: 'Fournisseur 998' });
    expect(found).toMatchObject({ ok: true, value: { total: 1 } });
    expect((db.prepare('SELECT DISTINCT created_at FROM suppliers').pluck().all() as string[])).toEqual([NOW]);
    expectNoWorkerLeft(2);
  });

  it('a file deleted between preview and commit: the French message, nothing written', async () => {
    const path = writeCsv('fournisseurs.csv', `SIRET;Raison sociale\n${makeSiret(1)};Alpha\n`);
    const fileId = await choose(path);
    expect(await core.dispatch('csv.previewImport', { fileId })).toMatchObject({ ok: true, value: { inserted: 1 } });
    rmSync(path);
    const result = await core.dispatch('csv.commitImport', { fileId, mapping: { '0': 'siret', '1': 'name' } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad-input', message: 'Le fichier est introuvable : il a peut-être été déplacé ou supprimé.' },
    });
    expect(countSuppliers(db)).toBe(0);
    expectNoWorkerLeft(2);
  });

  it('a quote opened on the first line and never closed: the French message, nothing written', async () => {
    const fileId = await choose(writeCsv('guillemet.csv', `"${makeSiret(1)};Alpha\n${makeSiret(2)};Beta\n`));
    const result = await core.dispatch('csv.commitImport', { fileId, mapping: { '0': 'siret', '1': 'name' } });
    expect(result).toEqual({ ok: false, error: { code: 'bad-input', message: 'Le fichier ne contient aucune ligne.' } });
    expect(countSuppliers(db)).toBe(0);
    expectNoWorkerLeft(1);
  });

  it('a quote left open further down: the same report and rows as in process', async () => {
    const content = `SIRET;Raison sociale\n${makeSiret(1)};Alpha\n${makeSiret(2)};"Beta\n${makeSiret(3)};Gamma\n`;
    const copy = openDatabase(join(register.dir, 'copy.sqlite3'));
    toClose.push(copy);
    const inProcess = await importSuppliersCsv(copy, writeCsv('copie.csv', content), { dryRun: false, fileName: 'guillemet.csv', now: () => NOW });
    const fileId = await choose(writeCsv('guillemet.csv', content));
    const result = await core.dispatch('csv.commitImport', { fileId, mapping: inProcess.mapping });
    expect(result).toEqual({ ok: true, value: inProcess });
    expect(inProcess.rejected[0]?.reason).toContain('Guillemet ouvert');
    expect(registerRows(db)).toEqual(registerRows(copy));
  });

});

describe('a core whose import worker cannot run', () => {
  it('imports on the main thread instead, says so in the log once, and loses nothing', async () => {
    const logged: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => void logged.push(message) };
    let chosen: string | null = null;
    const core = createVigieCore({
      databasePath,
      dialogs: { chooseCsvToImport: () => Promise.resolve(chosen), chooseCsvExportPath: () => Promise.resolve(null) },
      logger,
      now: () => new Date(NOW),
      importWorker: { path: join(register.dir, 'absent-worker.mjs') },
    });
    toClose.unshift(core);
    const importOnce = async (name: string, rows: number, offset: number) => {
      const lines = ['SIRET;Raison sociale'];
      for (let i = 0; i < rows; i += 1) lines.push(`${makeSiret(offset + i)};Fournisseur ${offset + i}`);
      chosen = writeCsv(name, `${lines.join('\n')}\n`);
      const file = await core.dispatch('csv.chooseImportFile', {});
      if (!file.ok) throw new Error(file.error.message);
      const { fileId } = file.value as { fileId: string };
      return core.dispatch('csv.commitImport', { fileId, mapping: { '0': 'siret', '1': 'name' } });
    };
    expect(await importOnce('premier.csv', 20, 0)).toMatchObject({ ok: true, value: { inserted: 20 } });
    expect(await importOnce('second.csv', 5, 100)).toMatchObject({ ok: true, value: { inserted: 5 } });
    expect(countSuppliers(core.db)).toBe(25);
    // the first failure switches the session to the main thread: one line, not one per import
    expect(logged.filter((line) => line.startsWith('csv import worker unavailable'))).toHaveLength(1);
    expectNoWorkerLeft(1);
  });
});

describe('an import committed while the register is being refreshed', () => {
  it('pauses the refresh until the import is written, then the run goes on and finishes every job', async () => {
    // each answer takes 150 ms: the run is still under way when the import comes
    const api = await startFakeApi({ seed: 'import-during-refresh', companyCount: 200, latency: { kind: 'fixed', ms: 150 } });
    toClose.push({ close: () => void api.close() });
    let chosen: string | null = null;
    const core = createVigieCore({
      databasePath,
      dialogs: { chooseCsvToImport: () => Promise.resolve(chosen), chooseCsvExportPath: () => Promise.resolve(null) },
      logger: silentLogger,
      importWorker: { path: WORKER },
    });
    toClose.unshift(core);
    const settings = await core.dispatch('settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
    expect(settings.ok).toBe(true);
    // without DGFIP (5 calls a minute): the run ends within the test
    const scopes = CATALOGUE_SCOPES.filter((scope) => scope !== ENDPOINTS['dgfip.attestation_fiscale'].scope);
    expect((await core.dispatch('token.submit', { token: api.mintToken({ scopes }), consentToWeakProtection: true })).ok).toBe(true);
    const repository = new SupplierRepository(core.db);
    for (let i = 0; i < 12; i += 1) {
      const company = api.companies.at(i * 7);
      repository.upsert({ siren: company.siren, siret: company.establishments[0]?.siret ?? null, name: company.name });
    }
    const states: string[] = [];
    core.refresh.engine.onFinished((end) => states.push(end.state));
    expect((await core.dispatch('refresh.start', {})).ok).toBe(true);
    expect(core.refresh.engine.progress()?.state).toBe('running');

    const lines = ['SIRET;Raison sociale'];
    for (let i = 0; i < 2_000; i += 1) lines.push(`${makeSiret(5_000 + i)};Fournisseur importé ${i}`);
    chosen = writeCsv('pendant-la-mise-a-jour.csv', `${lines.join('\n')}\n`);
    const file = await core.dispatch('csv.chooseImportFile', {});
    if (!file.ok) throw new Error(file.error.message);
    const { fileId } = file.value as { fileId: string };
    const committed = await core.dispatch('csv.commitImport', { fileId, mapping: { '0': 'siret', '1': 'name' } });
    expect(committed).toMatchObject({ ok: true, value: { inserted: 2_000 } });
    // the run paused for the import (its calls under way committed first), then went on by itself
    expect(states[0]).toBe('paused');
    expect(core.refresh.engine.progress()?.state).toBe('running');
    const end = await new Promise<string>((resolve) => core.refresh.engine.onFinished((e) => resolve(e.state)));
    expect(end).toBe('completed');
    const jobs = core.db.prepare('SELECT state, count(*) AS n FROM refresh_jobs GROUP BY state').all() as { state: string; n: number }[];
    expect(jobs.filter((j) => j.state !== 'done')).toEqual([]);
    expect(countSuppliers(core.db)).toBe(2_012);
    expectNoWorkerLeft(1);
  }, 60_000);
});
