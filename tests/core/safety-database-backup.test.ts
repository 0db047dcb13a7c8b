// Backups: an online copy taken while the app writes, verified before it gets its final name,
// rotated by a daily/weekly/monthly policy; a restore that verifies the backup, refuses a damaged
// one, and never loses the database it replaces.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import {
  BackupError,
  backupFileName,
  createBackup,
  DEFAULT_RETENTION,
  isBackupDue,
  listBackups,
  parseBackupFileName,
  pruneBackups,
  restoreBackup,
  selectBackupsToKeep,
  type BackupInfo,
} from '../../src-main/node/safety/database-backup';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

let dir: string;
let dbPath: string;
let backupDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-backup-'));
  dbPath = join(dir, 'vigie.sqlite3');
  backupDir = join(dir, 'backups');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fill(db: VigieDatabase, from: number, count: number, name = (i: number) => `Fournisseur ${i}`): void {
  const repository = new SupplierRepository(db, () => '2026-11-01T00:00:00.000Z');
  db.transaction(() => {
    for (let i = from; i < from + count; i += 1) repository.upsert({ siren: makeSiren(i), siret: makeSiret(i), name: name(i), city: 'Nantes' });
  })();
}

const count = (path: string) => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM suppliers').pluck().get() as number;
  } finally {
    db.close();
  }
};
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const at = (iso: string) => () => new Date(iso);

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<BackupError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    return error as BackupError;
  }
  throw new Error('expected a BackupError');
}

describe('createBackup', () => {
  it('writes a verified, self-contained copy under a timestamped name', async () => {
    const db = openDatabase(dbPath);
    fill(db, 0, 1_000);
    const result = await createBackup(db, { dir: backupDir, now: at('2026-11-28T02:00:00.000Z') });
    db.close();
    expect(result.backup).toMatchObject({ fileName: 'vigie-backup-2026-11-28T02-00-00.000Z.sqlite3', createdAt: new Date('2026-11-28T02:00:00.000Z') });
    expect(result.removed).toEqual([]);
    // one file, no -wal beside it, no temporary file: it can be copied anywhere as is
    expect(readdirSync(backupDir)).toEqual(['vigie-backup-2026-11-28T02-00-00.000Z.sqlite3']);
    expect(readFileSync(result.backup.path).subarray(18, 20)).toEqual(Buffer.from([1, 1]));
    expect(count(result.backup.path)).toBe(1_000);
    if (process.platform !== 'win32') expect(statSync(backupDir).mode & 0o777).toBe(0o700);
    expect(parseBackupFileName(backupFileName(new Date('2026-01-02T03:04:05.006Z')))).toEqual(new Date('2026-01-02T03:04:05.006Z'));
  });

  it('copies while the app keeps writing (WAL), and the copy is consistent', async () => {
    const db = openDatabase(dbPath);
    fill(db, 0, 8_000);
    const before = 8_000;
    const other = openDatabase(dbPath);
    let written = 0;
    let done = false;
    // the app's own connection writes between backup steps; another connection writes a few times too
    const writer = (async () => {
      while (!done) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (done) break;
        fill(db, before + written, 1, (i) => `Écrit pendant la sauvegarde ${i}`);
        written += 1;
        if (written % 40 === 0 && written <= 200) fill(other, 1_000_000 + written, 1);
      }
    })();
    const result = await createBackup(db, { dir: backupDir, pagesPerStep: 1, now: at('2026-11-28T02:00:00.000Z') });
    done = true;
    await writer;
    other.close();
    const inBackup = count(result.backup.path);
    expect(written).toBeGreaterThan(10);
    expect(inBackup).toBeGreaterThanOrEqual(before);
    expect(inBackup).toBeLessThanOrEqual(before + written + 5);
    const copy = new Database(result.backup.path, { readonly: true });
    expect(copy.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    copy.close();
    expect(count(dbPath)).toBe(before + written + Math.floor(Math.min(written, 200) / 40));
    db.close();
  });

  it('rotates after each successful copy, keeping daily, weekly and monthly copies', async () => {
    const db = openDatabase(dbPath);
    fill(db, 0, 10);
    const start = Date.UTC(2026, 0, 1, 2, 0);
    for (let day = 0; day < 75; day += 1) {
      await createBackup(db, { dir: backupDir, now: () => new Date(start + day * 86_400_000), retention: { daily: 3, weekly: 2, monthly: 2 } });
    }
    db.close();
    const kept = listBackups(backupDir).map((b) => b.createdAt.toISOString().slice(0, 10));
    // the 3 last days; the newest of the 2 last ISO weeks (16 March, a Monday, and Sunday 15); the newest of the 2 last months (16 March, 28 February)
    expect(kept).toEqual(['2026-03-16', '2026-03-15', '2026-03-14', '2026-02-28']);
  });

  it('a failed backup leaves no partial file and every earlier copy as it was', async () => {
    const db = openDatabase(dbPath);
    fill(db, 0, 10);
    const first = await createBackup(db, { dir: backupDir, now: at('2026-11-27T02:00:00.000Z') });
    const firstSha = sha(first.backup.path);
    db.close();
    // a closed connection fails mid-way, like a disk that disappears
    const error = await rejection(createBackup(db, { dir: backupDir, now: at('2026-11-28T02:00:00.000Z') }));
    expect(error.reason).toBe('io_error');
    expect(error.message).toMatch(/^La sauvegarde n’a pas pu être faite/);
    expect(readdirSync(backupDir)).toEqual([first.backup.fileName]);
    expect(sha(first.backup.path)).toBe(firstSha);
    // a backups "folder" that is a file
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const source = openDatabase(dbPath);
    expect((await rejection(createBackup(source, { dir: join(blocked, 'sub') }))).reason).toBe('io_error');
    source.close();
  });
});

describe('schedule and rotation policy', () => {
  it('is due once per day of the commune’s calendar', () => {
    const paris = (iso: string) => new Date(iso);
    expect(isBackupDue(paris('2026-11-28T08:00:00Z'), null)).toBe(true);
    expect(isBackupDue(paris('2026-11-28T20:00:00Z'), paris('2026-11-28T08:00:00Z'))).toBe(false);
    // 23:30 UTC on the 28th is already the 29th in Paris (UTC+1 in winter)
    expect(isBackupDue(paris('2026-11-28T23:30:00Z'), paris('2026-11-28T08:00:00Z'))).toBe(true);
    expect(isBackupDue(paris('2026-11-28T22:30:00Z'), paris('2026-11-28T08:00:00Z'))).toBe(false);
    // summer time (UTC+2): 22:30 UTC is past midnight
    expect(isBackupDue(paris('2026-07-01T22:30:00Z'), paris('2026-07-01T08:00:00Z'))).toBe(true);
    // opened at 8:55 and 9:05 the next morning: a new day, even under 24 hours
    expect(isBackupDue(paris('2026-11-29T08:05:00Z'), paris('2026-11-28T08:55:00Z'))).toBe(true);
    // a last copy dated in the future by a wrong clock does not block backups for days
    expect(isBackupDue(paris('2026-11-28T08:00:00Z'), paris('2027-03-01T08:00:00Z'))).toBe(true);
    expect(isBackupDue(paris('2026-11-28T08:00:00Z'), new Date(Number.NaN))).toBe(true);
  });

  it('keeps the newest copy of each of the last 7 days, 4 weeks and 12 months (a year in about 20 files)', () => {
    const backups: BackupInfo[] = [];
    const start = Date.UTC(2025, 0, 1, 1, 0);
    for (let day = 0; day < 730; day += 1) {
      for (const hour of [0, 10]) {
        const createdAt = new Date(start + day * 86_400_000 + hour * 3_600_000);
        backups.push({ path: `/b/${createdAt.toISOString()}`, fileName: '', createdAt, sizeBytes: 1 });
      }
    }
    const keep = [...selectBackupsToKeep(backups, DEFAULT_RETENTION)].map((p) => p.slice(3)).sort().reverse();
    expect(keep.length).toBeLessThanOrEqual(7 + 4 + 12);
    expect(keep.length).toBeGreaterThanOrEqual(19);
    const newest = backups.at(-1)?.createdAt.toISOString();
    expect(keep[0]).toBe(newest);
    // the 7 last days: their latest copy each
    expect(keep.slice(0, 7).map((iso) => iso.slice(0, 10))).toEqual(Array.from({ length: 7 }, (_, i) => new Date(Date.parse(newest ?? '') - i * 86_400_000).toISOString().slice(0, 10)));
    // 12 distinct months covered
    expect(new Set(keep.map((iso) => iso.slice(0, 7))).size).toBe(12);
    expect(selectBackupsToKeep([], DEFAULT_RETENTION).size).toBe(0);
    // a policy of zero still keeps the newest copy
    expect(selectBackupsToKeep(backups.slice(0, 5), { daily: 0, weekly: 0, monthly: 0 }).size).toBe(1);
  });

  it('lists only Vigie’s backups, newest first, and sweeps temporary files left by a crash', () => {
    const names = [
      'vigie-backup-2026-11-27T02-00-00.000Z.sqlite3',
      'vigie-backup-2026-11-28T02-00-00.000Z.sqlite3',
      'vigie-backup-2026-11-28T02-00-00.000Z-2.sqlite3',
      'notes.txt',
      'vigie-backup-2026-13-28T02-00-00.000Z.sqlite3',
      '.vigie-backup-0123456789abcdef.sqlite3.part',
      '.vigie-backup-fedcba9876543210.sqlite3.part',
    ];
    mkdirSync(backupDir, { recursive: true });
    for (const name of names) writeFileSync(join(backupDir, name), 'x');
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(backupDir, '.vigie-backup-0123456789abcdef.sqlite3.part'), old, old);
    expect(listBackups(backupDir).map((b) => b.fileName)).toEqual([
      'vigie-backup-2026-11-28T02-00-00.000Z.sqlite3',
      'vigie-backup-2026-11-28T02-00-00.000Z-2.sqlite3',
      'vigie-backup-2026-11-27T02-00-00.000Z.sqlite3',
    ]);
    const pruned = pruneBackups(backupDir);
    expect(pruned.removed.map((p) => p.slice(backupDir.length + 1))).toEqual(['vigie-backup-2026-11-28T02-00-00.000Z-2.sqlite3']);
    expect(readdirSync(backupDir).sort()).toEqual([
      '.vigie-backup-fedcba9876543210.sqlite3.part',
      'notes.txt',
      'vigie-backup-2026-11-27T02-00-00.000Z.sqlite3',
      'vigie-backup-2026-11-28T02-00-00.000Z.sqlite3',
      'vigie-backup-2026-13-28T02-00-00.000Z.sqlite3',
    ]);
    expect(listBackups(join(dir, 'absent'))).toEqual([]);
  });
});

describe('restoreBackup', () => {
  async function withBackup(rows: number): Promise<BackupInfo> {
    const db = openDatabase(dbPath);
    fill(db, 0, rows);
    const { backup } = await createBackup(db, { dir: backupDir, now: at('2026-11-27T02:00:00.000Z') });
    // the register moves on after the backup
    fill(db, rows, 7, (i) => `Après la sauvegarde ${i}`);
    db.close();
    return backup;
  }

  it('replaces the database with the verified backup and keeps the replaced one aside, whole', async () => {
    const backup = await withBackup(100);
    const backupSha = sha(backup.path);
    const result = restoreBackup(backup.path, dbPath, { now: at('2026-11-28T09:15:00.000Z') });
    const aside = `${dbPath}.before-restore-2026-11-28T09-15-00.000Z`;
    expect(result).toEqual({ restoredFrom: backup.path, keptAside: aside, userVersion: expect.any(Number) });
    expect(count(dbPath)).toBe(100);
    expect(count(aside)).toBe(107);
    // the backup itself is not modified, and nothing temporary is left
    expect(sha(backup.path)).toBe(backupSha);
    expect(readdirSync(dir).filter((n) => n.includes('.part'))).toEqual([]);
    // the app opens the restored database as usual
    const reopened = openDatabase(dbPath);
    expect(reopened.prepare("SELECT count(*) FROM suppliers WHERE name LIKE 'Après%'").pluck().get()).toBe(0);
    reopened.close();
  });

  it('keeps the WAL of the replaced database with it: commits not yet checkpointed are not lost', async () => {
    const backup = await withBackup(10);
    const writer = openDatabase(dbPath);
    fill(writer, 500, 3, (i) => `Dans le WAL ${i}`);
    // copy the files while the writer is open: a database as a crash leaves it, WAL included
    const crashed = join(dir, 'crashed.sqlite3');
    for (const suffix of ['', '-wal']) writeFileSync(`${crashed}${suffix}`, readFileSync(`${dbPath}${suffix}`));
    writer.close();
    expect(statSync(`${crashed}-wal`).size).toBeGreaterThan(0);
    const result = restoreBackup(backup.path, crashed, { now: at('2026-11-28T09:15:00.000Z') });
    expect(count(crashed)).toBe(10);
    const aside = result.keptAside ?? '';
    const keptDb = new Database(aside, { readonly: true });
    expect(keptDb.prepare("SELECT count(*) FROM suppliers WHERE name LIKE 'Dans le WAL%'").pluck().get()).toBe(3);
    keptDb.close();
    expect(existsSync(`${crashed}-wal`) && statSync(`${crashed}-wal`).size > 0).toBe(false);
  });

  it('refuses while another connection has the database open', async () => {
    const backup = await withBackup(10);
    const app = openDatabase(dbPath);
    try {
      const error = await rejection(() => restoreBackup(backup.path, dbPath));
      expect(error.reason).toBe('database_in_use');
      expect(error.message).toBe('La base de données est ouverte par Vigie ou par une autre commande : fermez Vigie puis recommencez.');
      expect(app.prepare('SELECT count(*) FROM suppliers').pluck().get()).toBe(17);
    } finally {
      app.close();
    }
    expect(readdirSync(dir).filter((n) => n.includes('before-restore') || n.includes('.part'))).toEqual([]);
  });

  it('refuses a damaged backup, and the current database stays as it was', async () => {
    await withBackup(3_000);
    const current = sha(dbPath);
    const [backup] = listBackups(backupDir);
    const damaged = join(dir, 'damaged.sqlite3');
    writeFileSync(damaged, readFileSync(backup?.path ?? ''));
    truncateSync(damaged, Math.floor(statSync(damaged).size / 2));
    const garbage = join(dir, 'garbage.sqlite3');
    writeFileSync(garbage, 'pas une sauvegarde'.repeat(300));
    for (const path of [damaged, garbage]) {
      const error = await rejection(() => restoreBackup(path, dbPath));
      expect(error.reason).toBe('backup_corrupt');
      expect(error.message).toMatch(/^Cette sauvegarde est endommagée/);
    }
    expect(sha(dbPath)).toBe(current);
    expect(readdirSync(dir).filter((n) => n.includes('before-restore') || n.includes('.part'))).toEqual([]);
  });

  it('refuses a SQLite file that is not Vigie’s, a backup from a newer version, and a missing file', async () => {
    const foreign = join(dir, 'foreign.sqlite3');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (x)');
    other.close();
    expect((await rejection(() => restoreBackup(foreign, dbPath))).reason).toBe('not_a_vigie_backup');
    const newer = join(dir, 'newer.sqlite3');
    const db = openDatabase(newer);
    db.pragma('user_version = 99');
    db.close();
    const tooNew = await rejection(() => restoreBackup(newer, dbPath));
    expect(tooNew.reason).toBe('backup_too_new');
    expect(tooNew.message).toMatch(/version plus récente de Vigie/);
    const missing = await rejection(() => restoreBackup(join(dir, 'absent.sqlite3'), dbPath));
    expect(missing).toMatchObject({ reason: 'missing', code: 'not-found' });
    // a copy that cannot be made (a folder chosen instead of a file): said as a restore, not a backup
    mkdirSync(join(dir, 'a-folder.sqlite3'));
    const unreadable = await rejection(() => restoreBackup(join(dir, 'a-folder.sqlite3'), dbPath));
    expect(unreadable.message).toBe('La restauration n’a pas pu être faite (erreur d’écriture). La base de données actuelle n’a pas été modifiée.');
    expect(existsSync(dbPath)).toBe(false);
  });

  it('restores where there is no database, and over a damaged one (kept aside as is)', async () => {
    const backup = await withBackup(5);
    rmSync(dbPath);
    expect(restoreBackup(backup.path, dbPath).keptAside).toBeNull();
    expect(count(dbPath)).toBe(5);
    writeFileSync(dbPath, 'endommagée'.repeat(500));
    const garbageSha = sha(dbPath);
    const result = restoreBackup(backup.path, dbPath, { now: at('2026-11-28T10:00:00.000Z') });
    expect(sha(result.keptAside ?? '')).toBe(garbageSha);
    expect(count(dbPath)).toBe(5);
  });
});
