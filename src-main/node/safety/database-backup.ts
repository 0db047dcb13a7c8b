// Daily copies of the register, made while the app keeps working, and the way back from one.
//
// A copy is taken with SQLite's online backup API (better-sqlite3's `db.backup`), which copies
// the database page by page in small steps and yields between them, so the app stays responsive
// and writes made meanwhile on the same connection are carried into the copy. The copy is written
// under a temporary name, switched to a single self-contained file (no -wal beside it), checked
// with the full `PRAGMA integrity_check`, flushed, and only then renamed to its final name: a
// name in the backups folder always designates a complete, verified copy. Old copies are removed
// only after a new one succeeded.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { migrations } from '../db/migrations/index';
import { UserFacingError } from '../user-facing-error';
import {
  classifySqliteError,
  fileStamp,
  freeName,
  frenchDateTime,
  hasRegisterTable,
  inspectDatabaseCopy,
  moveDatabaseFiles,
  openForCheck,
  parseFileStamp,
  removeSideFiles,
  runCheck,
  syncPath,
} from './sqlite-file-check';

/**
 * Grandfather-father-son, with the semantics of restic's `--keep-daily/weekly/monthly`: the
 * newest copy of each of the last 7 days, 4 ISO weeks and 12 months that have one. That is about
 * 20 files covering a year: a mistake noticed weeks later (a bad import, a deleted batch) can
 * still be undone, for the space of a few copies of a register that weighs tens of megabytes.
 */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

/** Days, weeks and months are the commune's: a copy at 00:30 in Paris belongs to that day, not the day before in UTC. */
export const BACKUP_TIME_ZONE = 'Europe/Paris';

/** The app's backups folder is `<userData>/backups`; the CLI defaults to `backups` beside the database. */
export const BACKUPS_FOLDER_NAME = 'backups';

const BACKUP_NAME = /^vigie-backup-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z)(?:-(\d+))?\.sqlite3$/;
const TEMP_NAME = /^\.vigie-backup-[0-9a-f]{16}\.sqlite3\.part(?:-wal|-shm|-journal)?$/;
/** A temporary file older than this was left by a crash: no backup takes an hour. */
const STALE_TEMP_MS = 60 * 60_000;

export interface BackupInfo {
  path: string;
  fileName: string;
  createdAt: Date;
  sizeBytes: number;
}

export type BackupFailure =
  | 'missing'
  | 'backup_corrupt'
  | 'not_a_vigie_backup'
  | 'backup_too_new'
  | 'database_in_use'
  | 'disk_full'
  | 'access_denied'
  | 'io_error';

/** A backup or restore that did not happen: `message` is French, for the user; `detail` English, for the log. */
export class BackupError extends UserFacingError {
  constructor(
    readonly reason: BackupFailure,
    message: string,
    detail: string,
  ) {
    super(reason === 'missing' ? 'not-found' : 'bad-input', message, detail);
    this.name = 'BackupError';
  }
}

export function backupFileName(at: Date): string {
  return `vigie-backup-${fileStamp(at)}.sqlite3`;
}

/** The instant in a backup's name, or null for any other file. */
export function parseBackupFileName(fileName: string): Date | null {
  const match = BACKUP_NAME.exec(fileName);
  return match ? parseFileStamp(match[1] as string) : null;
}

/** The backups in `dir`, newest first; [] when the folder does not exist. Only Vigie's own names count. */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const backups: BackupInfo[] = [];
  for (const fileName of names) {
    const createdAt = parseBackupFileName(fileName);
    if (!createdAt) continue;
    const path = join(dir, fileName);
    try {
      const stat = statSync(path);
      if (stat.isFile()) backups.push({ path, fileName, createdAt, sizeBytes: stat.size });
    } catch {
      // removed meanwhile
    }
  }
  return backups.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.fileName.localeCompare(a.fileName));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Year, month and day of an instant on the commune's calendar. */
function calendarDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

function dayKey(at: Date, timeZone: string): string {
  const { year, month, day } = calendarDate(at, timeZone);
  return `${year}-${month}-${day}`;
}

/** ISO 8601 week (Monday first; week 1 holds the year's first Thursday), as `2026-W48`. */
function weekKey(at: Date, timeZone: string): string {
  const { year, month, day } = calendarDate(at, timeZone);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${week}`;
}

function monthKey(at: Date, timeZone: string): string {
  const { year, month } = calendarDate(at, timeZone);
  return `${year}-${month}`;
}

/**
 * Whether today's copy is still to be made: none yet, or the last one is from another day of
 * the commune's calendar. Calendar days rather than "24 hours since": an app opened every
 * morning at 8:55 and 9:05 still gets one copy a day. The app calls it at start-up and then
 * every hour; a last copy dated in the future (a clock that was wrong) counts as another day.
 */
export function isBackupDue(now: Date, lastBackupAt: Date | null, timeZone = BACKUP_TIME_ZONE): boolean {
  if (lastBackupAt === null || Number.isNaN(lastBackupAt.getTime())) return true;
  return dayKey(now, timeZone) !== dayKey(lastBackupAt, timeZone);
}

/** Which backups the policy keeps (paths); pure. The newest one is always kept. */
export function selectBackupsToKeep(backups: readonly BackupInfo[], policy: RetentionPolicy = DEFAULT_RETENTION, timeZone = BACKUP_TIME_ZONE): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].path);
  const rules: [(at: Date, tz: string) => string, number][] = [
    [dayKey, policy.daily],
    [weekKey, policy.weekly],
    [monthKey, policy.monthly],
  ];
  for (const [bucketOf, count] of rules) {
    const buckets = new Set<string>();
    for (const backup of newestFirst) {
      if (buckets.size >= count) break;
      const bucket = bucketOf(backup.createdAt, timeZone);
      if (buckets.has(bucket)) continue;
      buckets.add(bucket);
      keep.add(backup.path);
    }
  }
  return keep;
}

export interface PruneResult {
  kept: BackupInfo[];
  removed: string[];
  /** Files that could not be removed (held open, permissions): tried again at the next backup. */
  failed: string[];
}

/** Applies the retention policy to `dir` and sweeps temporary files left by a crashed backup. */
export function pruneBackups(dir: string, options: { policy?: RetentionPolicy; now?: () => Date; timeZone?: string } = {}): PruneResult {
  const backups = listBackups(dir);
  const keep = selectBackupsToKeep(backups, options.policy ?? DEFAULT_RETENTION, options.timeZone ?? BACKUP_TIME_ZONE);
  const result: PruneResult = { kept: [], removed: [], failed: [] };
  for (const backup of backups) {
    if (keep.has(backup.path)) {
      result.kept.push(backup);
      continue;
    }
    try {
      rmSync(backup.path);
      result.removed.push(backup.path);
    } catch {
      result.failed.push(backup.path);
    }
  }
  sweepStaleTemporaryFiles(dir, (options.now ?? (() => new Date()))().getTime());
  return result;
}

function sweepStaleTemporaryFiles(dir: string, nowMs: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    const path = join(dir, name);
    try {
      if (nowMs - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // gone meanwhile, or held: the next backup tries again
    }
  }
}

export interface BackupOptions {
  /** The backups folder, created when missing. */
  dir: string;
  now?: () => Date;
  /** null: keep every copy (no rotation). Default DEFAULT_RETENTION. */
  retention?: RetentionPolicy | null;
  timeZone?: string;
  /** better-sqlite3 built for Electron's ABI, to open the copy for verification. */
  nativeBinding?: string;
  /** Pages copied per step before yielding to the event loop. Default 256 (1 MiB with 4 KiB pages). */
  pagesPerStep?: number;
}

export interface BackupResult {
  backup: BackupInfo;
  /** Older copies removed by the rotation. */
  removed: string[];
  durationMs: number;
}

function failureOf(error: unknown, what: string, operation: 'backup' | 'restore' = 'backup'): BackupError {
  if (error instanceof BackupError) return error;
  const failure = classifySqliteError(error);
  const detail = `${what}: ${failure.detail}`;
  if (operation === 'restore') {
    const kept = 'La base de données actuelle n’a pas été modifiée.';
    if (failure.kind === 'disk_full') return new BackupError('disk_full', `Le disque est plein : la restauration n’a pas pu être faite. ${kept}`, detail);
    if (failure.kind === 'access_denied') return new BackupError('access_denied', `Vigie n’a pas le droit d’écrire dans son dossier : la restauration n’a pas pu être faite. ${kept}`, detail);
    return new BackupError('io_error', `La restauration n’a pas pu être faite (erreur d’écriture). ${kept}`, detail);
  }
  if (failure.kind === 'disk_full') {
    return new BackupError('disk_full', 'Le disque est plein : la sauvegarde n’a pas pu être faite. Les sauvegardes précédentes sont conservées.', detail);
  }
  if (failure.kind === 'access_denied') {
    return new BackupError('access_denied', 'Vigie n’a pas le droit d’écrire dans le dossier des sauvegardes.', detail);
  }
  return new BackupError('io_error', 'La sauvegarde n’a pas pu être faite (erreur d’écriture). Les sauvegardes précédentes sont conservées.', detail);
}

/**
 * Copies the open database into `dir` while the app keeps using it; see the file's header.
 * Resolves once the copy is verified and in place, then rotates. Rejects with a BackupError,
 * leaving no partial file and every earlier backup untouched.
 */
export async function createBackup(source: Database.Database, options: BackupOptions): Promise<BackupResult> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const dir = resolve(options.dir);
  let expectedVersion: number;
  let sourceHasRegister: boolean;
  try {
    expectedVersion = source.pragma('user_version', { simple: true }) as number;
    sourceHasRegister = hasRegisterTable(source);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw failureOf(error, `preparing the backup into ${dir}`);
  }
  const temporary = join(dir, `.vigie-backup-${randomBytes(8).toString('hex')}.sqlite3.part`);
  const cleanUp = () => {
    rmSync(temporary, { force: true });
    removeSideFiles(temporary);
  };
  try {
    const pages = Math.max(1, Math.floor(options.pagesPerStep ?? 256));
    await source.backup(temporary, { progress: () => pages });
    verifyCopy(temporary, { expectedVersion, requireRegister: sourceHasRegister, nativeBinding: options.nativeBinding });
    syncPath(temporary, 'file');
    const createdAt = now();
    let finalPath = join(dir, backupFileName(createdAt));
    // two copies in the same millisecond (the app and the CLI): the second gets a suffix
    for (let n = 2; existsSync(finalPath); n += 1) finalPath = join(dir, `vigie-backup-${fileStamp(createdAt)}-${n}.sqlite3`);
    renameSync(temporary, finalPath);
    syncPath(dir, 'folder');
    const backup: BackupInfo = { path: finalPath, fileName: basename(finalPath), createdAt, sizeBytes: statSync(finalPath).size };
    const removed = options.retention === null ? [] : pruneBackups(dir, { policy: options.retention ?? DEFAULT_RETENTION, now, timeZone: options.timeZone }).removed;
    return { backup, removed, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    cleanUp();
    throw failureOf(error, `backup to ${basename(temporary)}`);
  }
}

/**
 * Opens a copy read-write (it is ours), makes it a single file (rollback journal: no -wal to
 * carry around), and checks it fully. Throws a BackupError naming what is wrong.
 */
function verifyCopy(path: string, expect: { expectedVersion?: number; maxVersion?: number; requireRegister: boolean; nativeBinding?: string }): number {
  return inspectDatabaseCopy(
    path,
    { nativeBinding: expect.nativeBinding },
    (db) => {
      const userVersion = db.pragma('user_version', { simple: true }) as number;
      db.pragma('journal_mode = DELETE');
      const problems = runCheck(db, 'integrity_check');
      if (problems.length > 0) {
        throw new BackupError('backup_corrupt', 'Cette sauvegarde est endommagée : elle ne peut pas être utilisée.', `integrity_check: ${problems.join(' | ').slice(0, 300)}`);
      }
      if (expect.requireRegister && !hasRegisterTable(db)) {
        throw new BackupError('not_a_vigie_backup', 'Ce fichier n’est pas une sauvegarde de Vigie.', 'no suppliers table');
      }
      if (expect.expectedVersion !== undefined && userVersion !== expect.expectedVersion) {
        throw new BackupError('backup_corrupt', 'La copie ne correspond pas à la base d’origine : la sauvegarde a été annulée.', `copy has user_version ${userVersion}, source ${expect.expectedVersion}`);
      }
      if (expect.maxVersion !== undefined && userVersion > expect.maxVersion) {
        throw new BackupError(
          'backup_too_new',
          'Cette sauvegarde a été faite par une version plus récente de Vigie : mettez Vigie à jour pour la restaurer.',
          `backup schema version ${userVersion} > known ${expect.maxVersion}`,
        );
      }
      return userVersion;
    },
    (detail) => new BackupError('backup_corrupt', 'Cette sauvegarde est endommagée ou n’est pas une base de données : elle ne peut pas être utilisée.', detail),
  );
}

export interface RestoreOptions {
  now?: () => Date;
  nativeBinding?: string;
}

export interface RestoreResult {
  restoredFrom: string;
  /** Where the database that was replaced now is (with its -wal/-shm beside it), or null when there was none. */
  keptAside: string | null;
  /** Schema version of the restored copy; the app's normal opening migrates it when older. */
  userVersion: number;
}

/**
 * Replaces the database at `dbPath` with a verified copy of `backupPath`. Call it with the app's
 * connection CLOSED: the restore refuses a database another connection holds open. The database
 * being replaced is never deleted: it is renamed `<db>.before-restore-<instant>` first, its WAL
 * beside it. The backup file itself is not modified (it is copied first, and the copy checked).
 */
export function restoreBackup(backupPath: string, dbPath: string, options: RestoreOptions = {}): RestoreResult {
  const now = options.now ?? (() => new Date());
  const source = resolve(backupPath);
  const target = resolve(dbPath);
  if (!existsSync(source)) {
    throw new BackupError('missing', 'Cette sauvegarde est introuvable : elle a peut-être été déplacée ou supprimée.', `${source} does not exist`);
  }
  if (source === target) {
    throw new BackupError('io_error', 'La sauvegarde choisie est la base de données elle-même.', 'backup path is the database path');
  }
  const stamp = fileStamp(now());
  const part = join(dirname(target), `.${basename(target)}.restore-${randomBytes(8).toString('hex')}.part`);
  let userVersion: number;
  try {
    copyFileSync(source, part);
    userVersion = verifyCopy(part, { maxVersion: migrations.at(-1)?.version ?? 0, requireRegister: true, nativeBinding: options.nativeBinding });
    syncPath(part, 'file');
  } catch (error) {
    rmSync(part, { force: true });
    removeSideFiles(part);
    throw failureOf(error, `copying ${basename(source)}`, 'restore');
  }
  // only now that the backup is known good: a refused backup leaves the database exactly as it was
  try {
    if (existsSync(target)) assertNotInUse(target, options.nativeBinding);
  } catch (error) {
    rmSync(part, { force: true });
    throw error;
  }

  let keptAside: string | null = null;
  try {
    const moved = moveDatabaseFiles(target, freeName(`${target}.before-restore-${stamp}`));
    keptAside = moved.find((path) => !/-(wal|shm|journal)$/.test(path)) ?? null;
  } catch (error) {
    rmSync(part, { force: true });
    throw failureOf(error, `keeping ${basename(target)} aside`, 'restore');
  }
  try {
    renameSync(part, target);
  } catch (error) {
    // put the previous database back: the restore did not happen, nothing is lost
    if (keptAside) {
      try {
        moveDatabaseFiles(keptAside, target);
      } catch {
        // it stays under its aside name, which the error message gives
      }
    }
    rmSync(part, { force: true });
    throw failureOf(error, `renaming the restored copy into ${basename(target)}`, 'restore');
  }
  syncPath(dirname(target), 'folder');
  return { restoredFrom: source, keptAside, userVersion };
}

/**
 * Refuses to replace a database another connection has open (the app while the CLI restores):
 * that connection would go on writing into the file kept aside. Leaving WAL mode needs every
 * other connection closed, so `journal_mode = DELETE` fails with SQLITE_BUSY when one is open;
 * when it succeeds, it also folds the WAL into the file, so the copy kept aside is whole.
 */
function assertNotInUse(path: string, nativeBinding?: string): void {
  let db: Database.Database | null = null;
  try {
    db = openForCheck(path, { nativeBinding, busyTimeoutMs: 0 });
    db.pragma('journal_mode = DELETE');
  } catch (error) {
    const failure = classifySqliteError(error);
    if (failure.kind === 'busy') {
      throw new BackupError(
        'database_in_use',
        'La base de données est ouverte par Vigie ou par une autre commande : fermez Vigie puis recommencez.',
        `${basename(path)} is in use: ${failure.detail}`,
      );
    }
    // a damaged or unreadable database is exactly what a restore replaces: it is kept aside as is
  } finally {
    try {
      db?.close();
    } catch {
      // nothing left to release
    }
  }
}

/** « la sauvegarde du 28/11/2026 à 03:00 », for messages. */
export function describeBackup(backup: BackupInfo, timeZone = BACKUP_TIME_ZONE): string {
  return `la sauvegarde du ${frenchDateTime(backup.createdAt, timeZone)}`;
}
