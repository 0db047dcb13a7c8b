// Where Vigie keeps its data (database, documents, backups, logs, settings with the encrypted
// token), and moving it to another folder, e.g. a shared or backed-up disk.
//
// The default folder (Electron's `userData`) always holds two small files: `data-location.json`,
// the pointer to the folder in use when it is not the default, and `data-move.json`, a move asked
// for and the outcome of the last one. The shell reads them at start-up, before anything is open
// in the data folder, and runs a pending move then: copy into a temporary folder beside the
// target, verify (file count, sizes, SHA-256, PRAGMA integrity_check of the copied database),
// rename into place, write the pointer atomically. The previous copy stays untouched until the
// app has opened the database in its new place; only then is it removed. Any failure before the
// pointer is written removes the partial copy and leaves the pointer and the old folder as they
// were; the outcome is kept for Paramètres. A crash in the middle is found at the next start by
// the state recorded before each stage, and its leftovers removed.
import { createHash, randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from '../logger';
import { UserFacingError } from '../user-facing-error';
import { checkSqliteFile } from './sqlite-file-check';

export const DATA_LOCATION_FILE = 'data-location.json';
export const DATA_MOVE_FILE = 'data-move.json';
/** The folder created inside the one the user picks. */
export const DATA_FOLDER_NAME = 'Vigie';
/** The copy in progress, beside its final place (same disk, so the last step is a rename). */
export const STAGING_FOLDER_NAME = '.Vigie-copie-en-cours';
const DATABASE_FILE = 'vigie.sqlite3';

/**
 * Entries at the root of a data folder that are not data: the two files above, the temporary
 * copy, and Chromium's single-instance lock (a symlink or a locked file, held by the running app).
 */
const NOT_DATA = new Set([DATA_LOCATION_FILE, DATA_MOVE_FILE, STAGING_FOLDER_NAME, 'SingletonLock', 'SingletonSocket', 'SingletonCookie', 'lockfile']);

/** Kept free on the target disk beyond the copy itself: the register keeps growing after the move. */
const FREE_SPACE_MARGIN_BYTES = 50 * 1024 * 1024;
const COPY_CHUNK_BYTES = 1024 * 1024;

/** The node:fs functions used here: tests pass a copy with faults injected. */
export type DataFolderFs = Pick<
  typeof nodeFs,
  | 'existsSync'
  | 'mkdirSync'
  | 'readdirSync'
  | 'lstatSync'
  | 'statSync'
  | 'openSync'
  | 'readSync'
  | 'writeSync'
  | 'closeSync'
  | 'fsyncSync'
  | 'readFileSync'
  | 'writeFileSync'
  | 'renameSync'
  | 'rmSync'
  | 'rmdirSync'
  | 'unlinkSync'
  | 'statfsSync'
>;

export interface MoveOutcome {
  status: 'success' | 'failure';
  at: string;
  from: string;
  to: string;
  /** French, shown in Paramètres. */
  message: string;
}

export interface DataFolderView {
  current: string;
  default: string;
  isDefault: boolean;
  /** The folder the data will move to at the next start, if a move was asked for. */
  pendingMove: string | null;
  lastMoveOutcome: MoveOutcome | null;
}

export type StartupResult =
  | { status: 'ready'; dataDir: string; moved: boolean }
  /** The pointer names a folder that is not there (disk unplugged, network drive not mounted). */
  | { status: 'unavailable'; dataDir: string; message: string };

interface MoveState {
  pending?: { folder: string; requestedAt: string };
  /** `entries`: the names copied from the root of `from` (and placed at the root of the default folder when it is the target). */
  inProgress?: { phase: 'copying' | 'placing'; from: string; target: string; staging: string; entries: string[] };
  /** The previous copy, removed once the app has opened the database in `newDir`. `names` null: the whole folder. */
  previous?: { dir: string; names: string[] | null; newDir: string };
  lastOutcome?: MoveOutcome;
}

interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface DataFolderOptions {
  /** Electron's default `userData` folder: always where the pointer lives. */
  defaultDir: string;
  logger: Logger;
  fs?: DataFolderFs;
  now?: () => Date;
  /** `PRAGMA integrity_check` of the copied database: the problems found, empty when sound. */
  checkDatabase?: (path: string) => string[];
  /** better-sqlite3 built for Electron, for the default database check. */
  nativeBinding?: string;
}

/** A move refused before anything was copied: the French message says why. */
export class MoveRefusedError extends UserFacingError {
  constructor(message: string, detail: string) {
    super('bad-input', message, detail);
  }
}

export class DataFolder {
  readonly defaultDir: string;
  private readonly fs: DataFolderFs;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly checkDatabase: (path: string) => string[];

  constructor(options: DataFolderOptions) {
    this.defaultDir = resolve(options.defaultDir);
    this.fs = options.fs ?? nodeFs;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.checkDatabase = options.checkDatabase ?? ((path) => defaultDatabaseCheck(path, options.nativeBinding));
  }

  /** The folder in use: the pointer's, or the default one. */
  current(): string {
    const pointer = this.readJson(join(this.defaultDir, DATA_LOCATION_FILE));
    const dataDir = typeof pointer === 'object' && pointer !== null ? (pointer as { dataDir?: unknown }).dataDir : undefined;
    return typeof dataDir === 'string' && isAbsolute(dataDir) ? resolve(dataDir) : this.defaultDir;
  }

  view(): DataFolderView {
    const state = this.readState();
    const current = this.current();
    return {
      current,
      default: this.defaultDir,
      isDefault: current === this.defaultDir,
      pendingMove: state.pending ? this.targetOf(state.pending.folder) : null,
      lastMoveOutcome: state.lastOutcome ?? null,
    };
  }

  /**
   * Checks a folder the user picked (or `default` to come back) and records the move for the
   * next start. Throws MoveRefusedError with the reason in French.
   */
  scheduleMove(folder: string | 'default'): { target: string } {
    const target = this.validate(folder, this.current()).target;
    const state = this.readState();
    this.writeState({ ...state, pending: { folder: folder === 'default' ? 'default' : resolve(folder), requestedAt: this.now().toISOString() } });
    this.logger.info('data folder: move scheduled for the next start', { to: target });
    return { target };
  }

  cancelPendingMove(): void {
    const state = this.readState();
    if (!state.pending) return;
    delete state.pending;
    this.writeState(state);
    this.logger.info('data folder: scheduled move cancelled');
  }

  /**
   * At start-up, before anything opens in the data folder: cleans what an interrupted move left,
   * runs a pending move, and says which folder to use. Never throws for a failed move: the old
   * folder is used and the outcome is kept for Paramètres.
   */
  prepareAtStartup(): StartupResult {
    let state = this.readState();
    const recovered = this.recoverInterruptedMove(state);
    state = recovered.state;
    let moved = false;
    if (state.pending) {
      const pending = state.pending;
      delete state.pending;
      if (recovered.interrupted) {
        // the move that crashed is not tried again by itself: the user sees why and chooses
        this.writeState(state);
      } else {
        moved = this.runMove(state, pending.folder);
      }
    }
    const dataDir = this.current();
    if (!this.isFolder(dataDir)) {
      this.logger.error('data folder: folder named by the pointer is missing', { dataDir });
      return {
        status: 'unavailable',
        dataDir,
        message: `Le dossier des données de Vigie est introuvable : ${dataDir}. Branchez le disque ou reconnectez le lecteur réseau qui le contient, puis relancez Vigie. Pour revenir au dossier par défaut, supprimez le fichier ${join(this.defaultDir, DATA_LOCATION_FILE)}.`,
      };
    }
    return { status: 'ready', dataDir, moved };
  }

  /** The app opened the database in `dataDir`: the copy left in the previous folder can go. */
  confirmStarted(dataDir: string): void {
    const state = this.readState();
    const previous = state.previous;
    if (!previous || resolve(dataDir) !== previous.newDir) return;
    try {
      if (previous.names === null) {
        if (previous.dir !== this.defaultDir && previous.dir !== previous.newDir) this.fs.rmSync(previous.dir, { recursive: true, force: true });
      } else {
        for (const name of previous.names) this.fs.rmSync(join(previous.dir, name), { recursive: true, force: true });
      }
      delete state.previous;
      this.writeState(state);
      this.logger.info('data folder: previous copy removed after a successful start', { dir: previous.dir });
    } catch (error) {
      // kept for the next start: a leftover copy costs disk space, never data
      this.logger.warn('data folder: previous copy not removed yet', { dir: previous.dir, error: describe(error) });
    }
  }

  /** The final folder for a choice: `<chosen>/Vigie`, or the default folder itself. */
  targetOf(folder: string | 'default'): string {
    return folder === 'default' ? this.defaultDir : join(resolve(folder), DATA_FOLDER_NAME);
  }

  private validate(folder: string | 'default', current: string): { target: string; parent: string; entries: string[]; bytes: number } {
    const target = this.targetOf(folder);
    const parent = folder === 'default' ? this.defaultDir : resolve(folder);
    const where = folder === 'default' ? 'le dossier par défaut' : `le dossier ${parent}`;
    if (target === current) throw new MoveRefusedError('Les données de Vigie sont déjà dans ce dossier.', `target ${target} is the current folder`);
    if (folder !== 'default') {
      if (!isAbsolute(folder) || !this.isFolder(parent)) throw new MoveRefusedError('Le dossier choisi n’existe pas ou n’est pas un dossier.', `${folder} is not a folder`);
      if (isInside(parent, current)) {
        throw new MoveRefusedError(
          `Choisissez un dossier en dehors du dossier actuel des données (${current}) : Vigie ne peut pas se copier dans lui-même.`,
          `${parent} is inside ${current}`,
        );
      }
    }
    const entries = this.dataEntries(current);
    if (folder === 'default') {
      this.fs.mkdirSync(this.defaultDir, { recursive: true });
      const clash = entries.find((name) => this.fs.existsSync(join(this.defaultDir, name)));
      if (clash) {
        throw new MoveRefusedError(
          `Le dossier par défaut contient déjà des données (${clash}) : déplacez-les ailleurs avant d’y ramener celles de Vigie.`,
          `${clash} already exists in the default folder`,
        );
      }
    } else if (this.fs.existsSync(target)) {
      if (!this.isFolder(target) || this.fs.readdirSync(target).length > 0) {
        throw new MoveRefusedError(
          `Le dossier ${parent} contient déjà un dossier « ${DATA_FOLDER_NAME} » qui n’est pas vide : choisissez un autre emplacement, ou videz ou renommez ce dossier.`,
          `${target} exists and is not an empty folder`,
        );
      }
    }
    if (!this.canWrite(parent)) {
      throw new MoveRefusedError(
        `Vigie n’a pas le droit d’écrire dans ${where}. Choisissez un dossier où vous pouvez enregistrer des fichiers, ou demandez ce droit au service informatique.`,
        `no write access to ${parent}`,
      );
    }
    const bytes = this.totalBytes(current, entries);
    const free = this.freeBytes(parent);
    if (free !== null && free < bytes + FREE_SPACE_MARGIN_BYTES) {
      throw new MoveRefusedError(
        `Il n’y a pas assez de place dans ${where} : il faut ${megabytes(bytes + FREE_SPACE_MARGIN_BYTES)}, il reste ${megabytes(free)}.`,
        `not enough free space on ${parent}: ${free} bytes free, ${bytes} to copy`,
      );
    }
    return { target, parent, entries, bytes };
  }

  /** Runs a move; returns whether the data is now in the new folder. The outcome is recorded either way. */
  private runMove(state: MoveState, folder: string): boolean {
    const from = this.current();
    const to = this.targetOf(folder);
    let validated: ReturnType<DataFolder['validate']>;
    try {
      validated = this.validate(folder, from);
    } catch (error) {
      const reason = error instanceof UserFacingError ? error.message : 'le dossier choisi n’a pas pu être vérifié.';
      this.logger.warn('data folder: scheduled move refused at start-up', { from, to, error: describe(error) });
      this.recordFailure(state, from, to, reason);
      return false;
    }
    const staging = folder === 'default' ? join(this.defaultDir, STAGING_FOLDER_NAME) : join(validated.parent, STAGING_FOLDER_NAME);
    this.logger.info('data folder: move started', { from, to, bytes: validated.bytes, entries: validated.entries.length });
    let pointerWritten = false;
    try {
      this.fs.rmSync(staging, { recursive: true, force: true });
      state.inProgress = { phase: 'copying', from, target: to, staging, entries: validated.entries };
      this.writeState(state);
      this.fs.mkdirSync(staging);
      const manifest: ManifestEntry[] = [];
      for (const name of validated.entries) this.copyEntry(join(from, name), join(staging, name), name, manifest);
      this.verify(staging, manifest);
      state.inProgress.phase = 'placing';
      this.writeState(state);
      if (folder === 'default') {
        for (const name of validated.entries) this.fs.renameSync(join(staging, name), join(to, name));
        this.fs.rmSync(staging, { recursive: true, force: true });
        this.fs.unlinkSync(join(this.defaultDir, DATA_LOCATION_FILE));
      } else {
        // an empty Vigie folder the user made beforehand is replaced by the verified copy
        if (this.fs.existsSync(to)) this.fs.rmdirSync(to);
        this.fs.renameSync(staging, to);
        syncFolder(this.fs, validated.parent);
        this.writeAtomically(join(this.defaultDir, DATA_LOCATION_FILE), `${JSON.stringify({ dataDir: to }, null, 2)}\n`);
      }
      pointerWritten = true;
      this.recordSuccess(state, from, to, validated.entries, `${plural(manifest.length, 'fichier copié et vérifié', 'fichiers copiés et vérifiés')}.`);
      this.logger.info('data folder: move done', { from, to, files: manifest.length });
      return true;
    } catch (error) {
      if (pointerWritten) {
        // the data is in place and the pointer says so: only the bookkeeping failed
        this.logger.error('data folder: moved, but the move record could not be updated', { error: describe(error) });
        return true;
      }
      this.logger.error('data folder: move failed, nothing changed', { from, to, error: describe(error) });
      const cleaned = this.removeLeftovers(state.inProgress ?? { phase: 'copying', from, target: to, staging, entries: validated.entries });
      if (cleaned) delete state.inProgress;
      this.recordFailure(state, from, to, failureReason(error));
      return false;
    }
  }

  /** The state recorded before each stage says what a crash left behind; it is removed. */
  private recoverInterruptedMove(state: MoveState): { state: MoveState; interrupted: boolean } {
    let interrupted = false;
    const progress = state.inProgress;
    if (progress && progress.phase === 'placing' && progress.target === this.current()) {
      // stopped after the pointer was written: the move is complete, only its record was not
      this.logger.warn('data folder: a move stopped after its pointer was written; completing its record', { from: progress.from, to: progress.target });
      this.fs.rmSync(progress.staging, { recursive: true, force: true });
      this.recordSuccess(state, progress.from, progress.target, progress.entries, 'copie vérifiée.');
    } else if (progress) {
      interrupted = true;
      this.logger.warn('data folder: a move was interrupted, removing what it left', { phase: progress.phase, from: progress.from, to: progress.target });
      if (this.removeLeftovers(progress)) delete state.inProgress;
      this.recordFailure(
        state,
        progress.from,
        progress.target,
        'le déplacement a été interrompu (Vigie ou l’ordinateur s’est arrêté pendant la copie) ; la copie incomplète a été supprimée.',
      );
    }
    // a temporary copy without any record (the record itself was lost): never data in use
    const orphan = join(this.defaultDir, STAGING_FOLDER_NAME);
    if (!state.inProgress && this.fs.existsSync(orphan)) {
      this.logger.warn('data folder: leftover temporary copy removed', { path: orphan });
      this.fs.rmSync(orphan, { recursive: true, force: true });
    }
    return { state, interrupted };
  }

  /** Removes a partial copy; the folder in use (the pointer's) is never touched. Returns false when something could not be removed. */
  private removeLeftovers(progress: NonNullable<MoveState['inProgress']>): boolean {
    const current = this.current();
    try {
      this.fs.rmSync(progress.staging, { recursive: true, force: true });
      if (progress.phase === 'placing' && progress.target !== current) {
        if (progress.target === this.defaultDir) {
          for (const name of progress.entries) this.fs.rmSync(join(this.defaultDir, name), { recursive: true, force: true });
        } else {
          this.fs.rmSync(progress.target, { recursive: true, force: true });
        }
      }
      return true;
    } catch (error) {
      this.logger.error('data folder: partial copy not removed, will retry at the next start', { staging: progress.staging, error: describe(error) });
      return false;
    }
  }

  private recordSuccess(state: MoveState, from: string, to: string, entries: string[], summary: string): void {
    delete state.inProgress;
    state.previous = { dir: from, names: from === this.defaultDir ? entries : null, newDir: to };
    state.lastOutcome = { status: 'success', at: this.now().toISOString(), from, to, message: `Les données de Vigie ont été déplacées dans ${to} : ${summary}` };
    this.writeState(state);
  }

  private recordFailure(state: MoveState, from: string, to: string, reason: string): void {
    state.lastOutcome = {
      status: 'failure',
      at: this.now().toISOString(),
      from,
      to,
      message: `Le déplacement des données vers ${to} n’a pas eu lieu : ${reason} Vos données sont restées dans ${from}, rien n’a été perdu.`,
    };
    try {
      this.writeState(state);
    } catch (error) {
      this.logger.error('data folder: move outcome not recorded', { error: describe(error) });
    }
  }

  private copyEntry(source: string, target: string, path: string, manifest: ManifestEntry[]): void {
    const stat = this.fs.lstatSync(source);
    if (stat.isDirectory()) {
      this.fs.mkdirSync(target);
      for (const name of this.fs.readdirSync(source).sort()) this.copyEntry(join(source, name), join(target, name), `${path}/${name}`, manifest);
      return;
    }
    if (!stat.isFile()) {
      // sockets and symlinks are a running program's, not data
      this.logger.info('data folder: not a regular file, not copied', { path });
      return;
    }
    manifest.push({ path, ...this.copyFile(source, target) });
  }

  /** Copies one file, hashing what is read, and flushes the copy to disk. */
  private copyFile(source: string, target: string): { size: number; sha256: string } {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    const input = this.fs.openSync(source, 'r');
    let size = 0;
    try {
      const output = this.fs.openSync(target, 'wx');
      try {
        for (;;) {
          const read = this.fs.readSync(input, buffer, 0, buffer.length, null);
          if (read === 0) break;
          hash.update(buffer.subarray(0, read));
          let written = 0;
          while (written < read) written += this.fs.writeSync(output, buffer, written, read - written);
          size += read;
        }
        this.fs.fsyncSync(output);
      } finally {
        this.fs.closeSync(output);
      }
    } finally {
      this.fs.closeSync(input);
    }
    return { size, sha256: hash.digest('hex') };
  }

  /** Reads the copy back: same files, same sizes, same SHA-256, and a sound database. */
  private verify(staging: string, manifest: ManifestEntry[]): void {
    const found: string[] = [];
    const walk = (dir: string, prefix: string) => {
      for (const name of this.fs.readdirSync(dir)) {
        const path = prefix === '' ? name : `${prefix}/${name}`;
        const stat = this.fs.lstatSync(join(dir, name));
        if (stat.isDirectory()) walk(join(dir, name), path);
        else found.push(path);
      }
    };
    walk(staging, '');
    if (found.length !== manifest.length) throw new VerificationError(`copy holds ${found.length} files, ${manifest.length} were copied`, 'le nombre de fichiers copiés ne correspond pas.');
    for (const entry of manifest) {
      const copy = join(staging, ...entry.path.split('/'));
      const { size, sha256 } = this.hashFile(copy);
      if (size !== entry.size || sha256 !== entry.sha256) {
        throw new VerificationError(`copy of ${entry.path} differs from the original`, `la copie du fichier ${entry.path} ne correspond pas à l’original.`);
      }
    }
    const database = join(staging, DATABASE_FILE);
    if (this.fs.existsSync(database)) {
      const problems = this.checkDatabase(database);
      // the check's own connection may leave an index (-shm) and an empty log (-wal) that the original did not have
      for (const suffix of ['-wal', '-shm']) {
        if (!manifest.some((entry) => entry.path === `${DATABASE_FILE}${suffix}`)) this.fs.rmSync(`${database}${suffix}`, { force: true });
      }
      if (problems.length > 0) {
        throw new VerificationError(`copied database failed integrity_check: ${problems.slice(0, 3).join('; ')}`, 'la copie du registre n’a pas passé la vérification d’intégrité.');
      }
    }
  }

  private hashFile(path: string): { size: number; sha256: string } {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    const fd = this.fs.openSync(path, 'r');
    let size = 0;
    try {
      for (;;) {
        const read = this.fs.readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        hash.update(buffer.subarray(0, read));
        size += read;
      }
    } finally {
      this.fs.closeSync(fd);
    }
    return { size, sha256: hash.digest('hex') };
  }

  /** The names at the root of a data folder that are data (everything but NOT_DATA). */
  private dataEntries(dir: string): string[] {
    return this.fs
      .readdirSync(dir)
      .filter((name) => !NOT_DATA.has(name))
      .sort();
  }

  private totalBytes(dir: string, names: string[]): number {
    let total = 0;
    const add = (path: string) => {
      const stat = this.fs.lstatSync(path);
      if (stat.isDirectory()) for (const name of this.fs.readdirSync(path)) add(join(path, name));
      else if (stat.isFile()) total += stat.size;
    };
    for (const name of names) add(join(dir, name));
    return total;
  }

  private freeBytes(dir: string): number | null {
    try {
      const stats = this.fs.statfsSync(dir);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch (error) {
      // not every file system answers (some network shares): the copy itself will tell
      this.logger.warn('data folder: free space unknown', { dir, error: describe(error) });
      return null;
    }
  }

  /** A real write, not access(): Windows ACLs and read-only shares only show when writing. */
  private canWrite(dir: string): boolean {
    const probe = join(dir, `.vigie-ecriture-${randomBytes(6).toString('hex')}`);
    try {
      this.fs.writeFileSync(probe, 'vigie', { flag: 'wx' });
      this.fs.unlinkSync(probe);
      return true;
    } catch {
      return false;
    }
  }

  private isFolder(path: string): boolean {
    try {
      return this.fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  private readState(): MoveState {
    const raw = this.readJson(join(this.defaultDir, DATA_MOVE_FILE));
    return typeof raw === 'object' && raw !== null ? (raw as MoveState) : {};
  }

  private writeState(state: MoveState): void {
    this.fs.mkdirSync(this.defaultDir, { recursive: true });
    this.writeAtomically(join(this.defaultDir, DATA_MOVE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  }

  private readJson(path: string): unknown {
    try {
      return JSON.parse(this.fs.readFileSync(path, 'utf8')) as unknown;
    } catch {
      return null;
    }
  }

  /** Temporary file, flushed, renamed over the old one: a reader sees the old content or the new, never half. */
  private writeAtomically(path: string, content: string): void {
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = this.fs.openSync(temporary, 'wx');
      try {
        this.fs.writeSync(fd, content);
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
      this.fs.renameSync(temporary, path);
    } catch (error) {
      this.fs.rmSync(temporary, { force: true });
      throw error;
    }
    syncFolder(this.fs, dirname(path));
  }
}

class VerificationError extends Error {
  constructor(
    detail: string,
    readonly french: string,
  ) {
    super(detail);
    this.name = 'VerificationError';
  }
}

function failureReason(error: unknown): string {
  if (error instanceof VerificationError) return error.french;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC') return 'le disque de destination est plein, la copie s’est arrêtée.';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'Vigie n’a pas eu le droit d’écrire ou de renommer dans le dossier de destination.';
  if (code === 'ENOENT') return 'un dossier a disparu pendant la copie (disque débranché ?).';
  if (code === 'EIO') return 'le disque a signalé une erreur de lecture ou d’écriture.';
  return 'une erreur imprévue est survenue pendant la copie (le détail est dans le journal de Vigie).';
}

function defaultDatabaseCheck(path: string, nativeBinding: string | undefined): string[] {
  const verdict = checkSqliteFile(path, { mode: 'integrity', ...(nativeBinding ? { nativeBinding } : {}) });
  if (verdict.status === 'ok' || verdict.status === 'missing') return [];
  if (verdict.status === 'corrupt') return verdict.problems.length > 0 ? verdict.problems : [verdict.reason];
  return [`${verdict.reason}: ${verdict.detail}`];
}

/** Whether `path` is `folder` or inside it. */
function isInside(path: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

function syncFolder(fs: DataFolderFs, dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot flush a folder, and does not need to (NTFS journals the rename)
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function megabytes(bytes: number): string {
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(Math.ceil(bytes / 1_048_576))} Mo`;
}

function plural(count: number, singular: string, pluralForm: string): string {
  return `${new Intl.NumberFormat('fr-FR').format(count)} ${count >= 2 ? pluralForm : singular}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`.slice(0, 400);
  }
  return String(error).slice(0, 200);
}
