// The start-up check: a healthy database opens; a damaged one (garbage, truncated, a page
// overwritten) is moved aside untouched with its WAL, and the latest backup is offered; a
// database merely locked by another program is left alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src-main/node/db/migrations/index';
import { openDatabase } from '../../src-main/node/db/database';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { createBackup, restoreBackup } from '../../src-main/node/safety/database-backup';
import { checkDatabaseAtStartup } from '../../src-main/node/safety/database-integrity';
import { checkSqliteFile } from '../../src-main/node/safety/sqlite-file-check';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

let dir: string;
let dbPath: string;
let backupDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-integrity-'));
  dbPath = join(dir, 'vigie.sqlite3');
  backupDir = join(dir, 'backups');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date(Date.UTC(2026, 10, 28, 7, 45, 12, 345));
const now = () => NOW;

/** A register of `count` suppliers, closed cleanly. */
function makeRegister(path: string, count: number): void {
  const db = openDatabase(path);
  const repository = new SupplierRepository(db, () => '2026-11-01T00:00:00.000Z');
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      repository.upsert({ siren: makeSiren(i), siret: makeSiret(i), name: `Fournisseur ${i}`, city: i % 2 ? 'Nantes' : 'Rezé', tags: ['voirie'] });
    }
  })();
  db.close();
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const names = () => readdirSync(dir).sort();

describe('a healthy database', () => {
  it('passes the full integrity check and is not touched', () => {
    makeRegister(dbPath, 500);
    const before = sha(dbPath);
    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result).toMatchObject({ status: 'ok', check: 'integrity_check', userVersion: migrations.at(-1)?.version });
    expect(sha(dbPath)).toBe(before);
    // a read-only connection to a WAL database may leave an empty -wal and its index, nothing else
    expect(names().filter((name) => !['vigie.sqlite3-wal', 'vigie.sqlite3-shm'].includes(name))).toEqual(['vigie.sqlite3']);
    if (existsSync(`${dbPath}-wal`)) expect(readFileSync(`${dbPath}-wal`).length).toBe(0);
  });

  it('uses quick_check above the size threshold', () => {
    makeRegister(dbPath, 10);
    expect(checkDatabaseAtStartup(dbPath, { quickCheckAboveBytes: 1 })).toMatchObject({ status: 'ok', check: 'quick_check' });
  });

  it('replays the committed part of a WAL left by a crash before checking', () => {
    makeRegister(dbPath, 10);
    // a connection that is never closed: its WAL stays beside the file, as after a power cut
    const writer = openDatabase(dbPath);
    new SupplierRepository(writer).upsert({ siren: makeSiren(999), siret: null, name: 'Dans le WAL' });
    const copy = join(dir, 'crashed.sqlite3');
    for (const suffix of ['', '-wal']) writeFileSync(`${copy}${suffix}`, readFileSync(`${dbPath}${suffix}`));
    writer.close();
    expect(existsSync(`${copy}-wal`)).toBe(true);
    expect(checkDatabaseAtStartup(copy)).toMatchObject({ status: 'ok' });
    const reopened = new Database(copy, { readonly: true });
    expect(reopened.prepare("SELECT count(*) FROM suppliers WHERE name = 'Dans le WAL'").pluck().get()).toBe(1);
    reopened.close();
  });
});

describe('no database', () => {
  it('a first start: nothing to say, nothing to offer', () => {
    expect(checkDatabaseAtStartup(dbPath, { now })).toEqual({ status: 'missing', movedFiles: [], backups: [], latestBackup: null, message: null });
  });

  it('a database gone while backups exist: the latest is offered', async () => {
    makeRegister(dbPath, 5);
    const source = new Database(dbPath);
    await createBackup(source, { dir: backupDir, now });
    source.close();
    rmSync(dbPath);
    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result.status).toBe('missing');
    if (result.status !== 'missing') return;
    expect(result.latestBackup?.createdAt).toEqual(NOW);
    expect(result.message).toBe('La base de données de Vigie est introuvable. Voulez-vous restaurer la sauvegarde du 28/11/2026 à 08:45 ?');
  });

  it('moves aside a WAL left without its database, so that it is never replayed into a new one', () => {
    writeFileSync(`${dbPath}-wal`, Buffer.alloc(4096, 7));
    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result).toMatchObject({ status: 'missing', movedFiles: [`${dbPath}.orphan-2026-11-28T07-45-12.345Z-wal`] });
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('an empty database file while backups exist is not silently taken for a new register', async () => {
    makeRegister(join(dir, 'other.sqlite3'), 3);
    const source = new Database(join(dir, 'other.sqlite3'));
    await createBackup(source, { dir: backupDir, now });
    source.close();
    writeFileSync(dbPath, '');
    expect(checkDatabaseAtStartup(dbPath, { now })).toMatchObject({ status: 'empty', latestBackup: { createdAt: NOW } });
    rmSync(backupDir, { recursive: true });
    expect(checkDatabaseAtStartup(dbPath, { now })).toMatchObject({ status: 'ok', userVersion: 0 });
  });
});

describe('a damaged database', () => {
  it('a file that is not a database at all is moved aside with its -wal and -shm, and the latest backup offered', async () => {
    makeRegister(join(dir, 'good.sqlite3'), 20);
    const good = new Database(join(dir, 'good.sqlite3'));
    await createBackup(good, { dir: backupDir, now: () => new Date(Date.UTC(2026, 10, 27, 23, 30)) });
    await createBackup(good, { dir: backupDir, now: () => new Date(Date.UTC(2026, 10, 26, 23, 30)) });
    good.close();
    writeFileSync(dbPath, 'Ceci n’est pas une base de données, mais un document collé par erreur.'.repeat(50));
    writeFileSync(`${dbPath}-wal`, 'wal');
    writeFileSync(`${dbPath}-shm`, 'shm');
    const original = sha(dbPath);

    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result.status).toBe('corrupt');
    if (result.status !== 'corrupt') return;
    const aside = `${dbPath}.corrupt-2026-11-28T07-45-12.345Z`;
    expect(result).toMatchObject({ reason: 'not_a_database', movedTo: aside, moveError: null });
    expect(result.movedFiles.sort()).toEqual([aside, `${aside}-shm`, `${aside}-wal`]);
    // nothing lost: the damaged file is there, byte for byte, and its old name is free
    expect(sha(aside)).toBe(original);
    expect(readFileSync(`${aside}-wal`, 'utf8')).toBe('wal');
    expect(existsSync(dbPath) || existsSync(`${dbPath}-wal`) || existsSync(`${dbPath}-shm`)).toBe(false);
    // the newest backup first
    expect(result.backups).toHaveLength(2);
    expect(result.latestBackup?.createdAt).toEqual(new Date(Date.UTC(2026, 10, 27, 23, 30)));
    expect(result.message).toBe(
      'La base de données de Vigie est endommagée. Elle a été mise de côté, intacte, sous le nom « vigie.sqlite3.corrupt-2026-11-28T07-45-12.345Z ». Voulez-vous restaurer la sauvegarde du 28/11/2026 à 00:30 ?',
    );

    // and the offered backup brings the register back
    restoreBackup(result.latestBackup?.path ?? '', dbPath);
    const restored = openDatabase(dbPath);
    expect(restored.prepare('SELECT count(*) FROM suppliers').pluck().get()).toBe(20);
    restored.close();
  });

  it('a damaged file whose WAL holds the latest commits: the WAL is moved aside byte for byte, never checkpointed nor deleted', () => {
    makeRegister(dbPath, 50);
    const writer = openDatabase(dbPath);
    new SupplierRepository(writer).upsert({ siren: makeSiren(777), siret: null, name: 'Seulement dans le WAL' });
    const crashed = join(dir, 'crashed.sqlite3');
    for (const suffix of ['', '-wal']) writeFileSync(`${crashed}${suffix}`, readFileSync(`${dbPath}${suffix}`));
    writer.close();
    const bytes = readFileSync(crashed);
    bytes.fill(0x41, 0, 100);
    writeFileSync(crashed, bytes);
    const walBefore = sha(`${crashed}-wal`);
    const result = checkDatabaseAtStartup(crashed, { now });
    expect(result).toMatchObject({ status: 'corrupt', reason: 'not_a_database' });
    if (result.status !== 'corrupt') return;
    expect(sha(`${result.movedTo}-wal`)).toBe(walBefore);
    expect(sha(result.movedTo ?? '')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('a truncated database', () => {
    makeRegister(dbPath, 3_000);
    const full = readFileSync(dbPath).length;
    truncateSync(dbPath, Math.floor(full / 2));
    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result).toMatchObject({ status: 'corrupt', movedTo: `${dbPath}.corrupt-2026-11-28T07-45-12.345Z`, latestBackup: null });
    if (result.status !== 'corrupt') return;
    expect(['malformed', 'integrity_errors']).toContain(result.reason);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.message).toMatch(/Aucune sauvegarde n’est disponible : Vigie peut repartir d’un registre vide, le fichier endommagé reste conservé\.$/);
  });

  it('a page overwritten in the middle of the file: integrity_check lists the problems', () => {
    makeRegister(dbPath, 3_000);
    const bytes = readFileSync(dbPath);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    // garbage over several pages past the schema, leaving the header valid
    for (let page = Math.floor(pages / 3); page < Math.floor(pages / 3) + 4; page += 1) {
      bytes.fill(0xa5, page * pageSize + 8, (page + 1) * pageSize);
    }
    writeFileSync(dbPath, bytes);
    const result = checkDatabaseAtStartup(dbPath, { now });
    expect(result.status).toBe('corrupt');
    if (result.status !== 'corrupt') return;
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.length).toBeLessThanOrEqual(20);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('a second damaged file on the same instant gets its own name', () => {
    writeFileSync(dbPath, 'garbage'.repeat(100));
    checkDatabaseAtStartup(dbPath, { now });
    writeFileSync(dbPath, 'garbage again'.repeat(100));
    const second = checkDatabaseAtStartup(dbPath, { now });
    expect(second).toMatchObject({ status: 'corrupt', movedTo: `${dbPath}.corrupt-2026-11-28T07-45-12.345Z-2` });
  });
});

describe('a database that cannot be checked now', () => {
  it('locked by another program: reported, never moved', () => {
    makeRegister(dbPath, 10);
    const other = new Database(dbPath);
    other.pragma('journal_mode = DELETE');
    other.exec('BEGIN EXCLUSIVE');
    try {
      const result = checkDatabaseAtStartup(dbPath, { busyTimeoutMs: 50 });
      expect(result).toMatchObject({ status: 'unavailable', reason: 'busy' });
      if (result.status === 'unavailable') expect(result.message).toMatch(/^La base de données de Vigie est utilisée par un autre programme/);
      expect(existsSync(dbPath)).toBe(true);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('a folder where the file should be is reported, not moved', () => {
    mkdirSync(dbPath);
    expect(checkSqliteFile(dbPath)).toMatchObject({ status: 'unavailable', reason: 'io_error' });
    expect(checkDatabaseAtStartup(dbPath)).toMatchObject({ status: 'unavailable' });
    expect(existsSync(dbPath)).toBe(true);
  });
});
