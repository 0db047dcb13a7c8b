// The « Changer de poste » archive: the whole register and its documents in one .zip that an agent
// carries to the new computer (a town hall can open a .zip with what Windows provides).
//
// Contents: `manifest.json` (format and app versions, date, counts, the settings that travel, and
// the size and SHA-256 of every other entry), `vigie.sqlite3` (a verified snapshot made by the
// backup machinery while the app keeps working) and `documents/ab/cd/<sha256>.<ext>` (the
// content-addressed store, as is). The API token is never in it: its ciphertext is bound to the
// old computer's keychain, so the user enters the token again on the new one.
//
// Everything streams: documents go from disk through a hashing pass into the zip writer and, on
// import, from the zip reader through the same pass to disk, so a documents folder of several
// gigabytes never sits in memory. The export writes a temporary file beside the chosen name and
// renames it at the end; the import extracts and checks everything into a staging folder before
// the current register is touched, and only then swaps database and documents, keeping the old
// ones aside.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import yauzl, { type Entry as ZipEntry, type ZipFile as ZipReader } from 'yauzl';
import yazl from 'yazl';
import { z } from 'zod';
import { isAllowedApiBaseUrl } from '../api-entreprise/api-environment';
import { migrations } from '../db/migrations/index';
import { parseStoredPath } from '../documents/document-store';
import type { Logger } from '../logger';
import { appSettingsSchema, type AppSettings } from '../settings/app-settings';
import { UserFacingError } from '../user-facing-error';
import { BackupError, createBackup, restoreBackup, type RestoreResult } from './database-backup';
import {
  classifySqliteError,
  fileStamp,
  freeName,
  hasRegisterTable,
  inspectDatabaseCopy,
  moveDatabaseFiles,
  openForCheck,
  removeSideFiles,
  runCheck,
  syncPath,
} from './sqlite-file-check';

export const TRANSFER_FORMAT = 'vigie-transfert';
/** Raised only when an older Vigie could no longer read what a newer one writes. */
export const TRANSFER_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const DATABASE_ENTRY = 'vigie.sqlite3';
export const DOCUMENTS_PREFIX = 'documents/';

/** A manifest lists one line per document: 64 MiB is room for several hundred thousand. */
const MANIFEST_MAX_BYTES = 64 * 1024 * 1024;
/** Room kept free on the disk beyond what the import writes. */
const FREE_SPACE_MARGIN_BYTES = 64 * 1024 * 1024;
const WORK_PREFIX = '.vigie-transfer-';
const WORK_NAME = /^\.vigie-transfer-(?:export|import)-[0-9a-f]{16}$/;
/** Directory entries a zip tool may add when an agent repacks the archive: harmless, ignored. */
const DIRECTORY_ENTRY = /^documents\/(?:[0-9a-f]{2}\/){0,2}$/;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** The settings that travel with the register; the token and the notifications choice stay on each computer. */
export const transferSettingsSchema = appSettingsSchema.pick({
  communeSiret: true,
  defaultContext: true,
  defaultObject: true,
  apiEnvironment: true,
  localApiUrl: true,
});
export type TransferSettings = z.infer<typeof transferSettingsSchema>;

export function transferSettingsOf(settings: AppSettings): TransferSettings {
  return {
    communeSiret: settings.communeSiret,
    defaultContext: settings.defaultContext,
    defaultObject: settings.defaultObject,
    apiEnvironment: settings.apiEnvironment,
    localApiUrl: settings.localApiUrl,
  };
}

const manifestEntrySchema = z.object({
  name: z.string().min(1).max(200),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const transferManifestSchema = z.object({
  format: z.literal(TRANSFER_FORMAT),
  formatVersion: z.number().int().min(1),
  appVersion: z.string().min(1).max(50),
  createdAt: z.iso.datetime(),
  /** `PRAGMA user_version` of the database inside. */
  schemaVersion: z.number().int().min(1),
  suppliers: z.number().int().min(0),
  documents: z.number().int().min(0),
  settings: transferSettingsSchema.partial(),
  entries: z.array(manifestEntrySchema),
});
export type TransferManifest = z.infer<typeof transferManifestSchema>;
export type TransferManifestEntry = z.infer<typeof manifestEntrySchema>;

export type TransferFailure =
  | 'missing'
  | 'not_a_zip'
  | 'not_a_transfer_archive'
  | 'unsafe_entry'
  | 'damaged'
  | 'too_new'
  | 'database_corrupt'
  | 'disk_full'
  | 'access_denied'
  | 'io_error';

const NOTHING_CHANGED = 'Le registre de ce poste n’a pas été modifié.';

/** An export or import that did not happen: `message` is French, for the user; `detail` English, for the log. */
export class TransferArchiveError extends UserFacingError {
  constructor(
    readonly reason: TransferFailure,
    message: string,
    detail: string,
  ) {
    super(reason === 'missing' ? 'not-found' : 'bad-input', message, detail);
    this.name = 'TransferArchiveError';
  }
}

function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function describe(error: unknown): string {
  return `${errnoOf(error) ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
}

/** « 1,2 Go », « 35 Mo »: sizes in the messages. */
function frenchSize(bytes: number): string {
  const format = (value: number) => value.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  if (bytes >= 1024 ** 3) return `${format(bytes / 1024 ** 3)} Go`;
  return `${format(Math.max(1, Math.ceil(bytes / 1024 ** 2)))} Mo`;
}

/**
 * Counts and hashes the bytes that pass through, and refuses more than `limit`: on import the
 * manifest's size caps each entry whatever the zip headers claim (a zip bomb stops there).
 */
class HashingCounter extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(
    private readonly limit: number | null,
    private readonly entryName: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.limit !== null && this.bytes > this.limit) {
      callback(damaged(this.entryName, `${this.entryName} holds more than the ${this.limit} bytes the manifest announces`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

function damaged(entryName: string, detail: string): TransferArchiveError {
  return new TransferArchiveError(
    'damaged',
    `Cette archive est abîmée ou a été modifiée : le contenu de « ${entryName} » ne correspond pas à ce qu’annonce l’archive. ${NOTHING_CHANGED}`,
    detail,
  );
}

async function makeWorkDir(parent: string, kind: 'export' | 'import'): Promise<string> {
  const dir = join(parent, `${WORK_PREFIX}${kind}-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Removes the work folders an interrupted export or an abandoned import preview left in
 * `parent` (the user-data folder), except those still in use. Best effort.
 */
export function sweepTransferLeftovers(parent: string, keep: readonly string[] = []): number {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return 0;
  }
  const kept = new Set(keep.map((path) => resolve(path)));
  let removed = 0;
  for (const name of names) {
    const path = resolve(parent, name);
    if (!WORK_NAME.test(name) || kept.has(path)) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // held by another program: the next sweep tries again
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Export

export interface TransferExportOptions {
  /** The app's open connection: the snapshot is taken while it keeps working. */
  db: Database.Database;
  /** The document store's root (`<userData>/documents`). */
  documentsRoot: string;
  /** The file the user chose. */
  destination: string;
  /** Where the database snapshot is made before it is packed: the user-data folder. */
  workDir: string;
  settings: TransferSettings;
  appVersion: string;
  now?: () => Date;
  nativeBinding?: string;
  logger?: Logger;
  /** Opens the temporary archive for writing; tests pass one that fails like a full disk. */
  createOutput?: (path: string) => Writable;
}

export interface TransferExportResult {
  path: string;
  suppliers: number;
  documents: number;
  /** Size of the archive written. */
  bytes: number;
  /** Documents the database lists but that were not on disk (already missing on this computer): left out. */
  missingDocuments: number;
  manifest: TransferManifest;
}

interface ZipSource {
  name: string;
  path: string;
  size: number;
  compress: boolean;
}

/** The temporary name the archive is written under, beside the chosen one (same disk: the rename is atomic). */
function temporaryNameFor(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${randomBytes(8).toString('hex')}.part`);
}

/**
 * Writes the transfer archive of the open register to `destination`. The archive appears under
 * that name complete or not at all: on any failure (full disk, a document unreadable, no right
 * to write there) the temporary file is removed and a TransferArchiveError says what happened.
 */
export async function exportTransferArchive(options: TransferExportOptions): Promise<TransferExportResult> {
  const now = options.now ?? (() => new Date());
  const destination = resolve(options.destination);
  const temporary = temporaryNameFor(destination);
  let work: string | null = null;
  let output: Writable | null = null;
  try {
    work = await makeWorkDir(options.workDir, 'export');
    const snapshot = await createBackup(options.db, { dir: work, retention: null, now, nativeBinding: options.nativeBinding });
    const contents = describeSnapshot(snapshot.backup.path, options.nativeBinding);
    const { present, missing } = await presentDocuments(options.documentsRoot, contents.storedPaths);
    if (missing.length > 0) {
      options.logger?.warn('transfer export: documents listed by the register are missing on disk', { count: missing.length, first: missing[0] });
    }
    const createdAt = now();
    const sources: ZipSource[] = [
      { name: DATABASE_ENTRY, path: snapshot.backup.path, size: snapshot.backup.sizeBytes, compress: true },
      // PDFs are compressed already: stored as is, they pack fast and any zip tool opens them
      ...present.map((document) => ({ name: `${DOCUMENTS_PREFIX}${document.storedPath}`, path: document.path, size: document.size, compress: false })),
    ];
    output = (options.createOutput ?? ((path: string) => createWriteStream(path, { flags: 'wx', mode: 0o600 })))(temporary);
    let manifest: TransferManifest | null = null;
    await writeZip(output, sources, createdAt, (entries) => {
      manifest = {
        format: TRANSFER_FORMAT,
        formatVersion: TRANSFER_FORMAT_VERSION,
        appVersion: options.appVersion,
        createdAt: createdAt.toISOString(),
        schemaVersion: contents.schemaVersion,
        suppliers: contents.suppliers,
        documents: present.length,
        settings: options.settings,
        entries,
      };
      return manifest;
    });
    if (manifest === null) throw new Error('the manifest was not written');
    syncPath(temporary, 'file');
    await rename(temporary, destination);
    syncPath(dirname(destination), 'folder');
    const bytes = (await stat(destination)).size;
    return { path: destination, suppliers: contents.suppliers, documents: present.length, bytes, missingDocuments: missing.length, manifest };
  } catch (error) {
    if (output) await closeQuietly(output);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw exportFailure(error, destination);
  } finally {
    if (work) await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

function describeSnapshot(path: string, nativeBinding?: string): { schemaVersion: number; suppliers: number; storedPaths: string[] } {
  const db = openForCheck(path, { readonly: true, nativeBinding });
  try {
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      suppliers: db.prepare('SELECT count(*) FROM suppliers').pluck().get() as number,
      storedPaths: db.prepare('SELECT DISTINCT stored_path FROM documents ORDER BY stored_path').pluck().all() as string[],
    };
  } finally {
    db.close();
  }
}

async function presentDocuments(root: string, storedPaths: readonly string[]): Promise<{ present: { storedPath: string; path: string; size: number }[]; missing: string[] }> {
  const present: { storedPath: string; path: string; size: number }[] = [];
  const missing: string[] = [];
  for (const storedPath of storedPaths) {
    // only the store's own names: a row naming anything else is not followed
    if (!parseStoredPath(storedPath)) {
      missing.push(String(storedPath).slice(0, 100));
      continue;
    }
    const path = join(root, ...storedPath.split('/'));
    try {
      const info = await stat(path);
      if (info.isFile()) present.push({ storedPath, path, size: info.size });
      else missing.push(storedPath);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
      missing.push(storedPath);
    }
  }
  return { present, missing };
}

/**
 * Streams the sources into a zip on `output`, each one hashed on its way, then adds the manifest
 * built from those hashes (last: a zip's directory is at its end, readers do not mind the order).
 */
async function writeZip(output: Writable, sources: readonly ZipSource[], mtime: Date, manifestOf: (entries: TransferManifestEntry[]) => TransferManifest): Promise<void> {
  const zip = new yazl.ZipFile();
  const failed = new Promise<never>((_resolve, reject) => {
    zip.on('error', reject);
    output.on('error', reject);
  });
  failed.catch(() => undefined);
  const written = pipeline(zip.outputStream, output);
  written.catch(() => undefined);
  const entries: TransferManifestEntry[] = [];
  const done = sources.map(
    (source) =>
      new Promise<void>((resolveEntry, rejectEntry) => {
        // lazily: one document open at a time, whatever their number
        zip.addReadStreamLazy(source.name, { compress: source.compress, mtime, size: source.size }, (callback) => {
          const counter = new HashingCounter(null, source.name);
          counter.once('end', () => {
            entries.push({ name: source.name, size: counter.bytes, sha256: counter.digest() });
            resolveEntry();
          });
          pipeline(createReadStream(source.path), counter).catch(rejectEntry);
          callback(null, counter);
        });
      }),
  );
  const allDone = Promise.all(done);
  allDone.catch(() => undefined);
  await Promise.race([allDone, failed]);
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifestOf(entries), null, 2)}\n`, 'utf8'), MANIFEST_ENTRY, { mtime, compress: true });
  zip.end();
  await Promise.race([written, failed]);
}

/** Destroys a stream and waits for its file to be closed, so that it can be removed (Windows). */
async function closeQuietly(stream: Writable): Promise<void> {
  stream.on('error', () => undefined);
  if (stream.closed) return;
  const closed = once(stream, 'close').then(
    () => undefined,
    () => undefined,
  );
  if (!stream.destroyed) stream.destroy();
  await Promise.race([closed, new Promise<void>((resolveLater) => setTimeout(resolveLater, 5_000).unref())]);
}

function exportFailure(error: unknown, destination: string): TransferArchiveError {
  if (error instanceof TransferArchiveError) return error;
  const errno = errnoOf(error);
  const detail = `writing ${basename(destination)}: ${describe(error)}`;
  const diskFull = () => new TransferArchiveError('disk_full', 'Le disque est plein : l’archive n’a pas été créée. Libérez de la place puis recommencez.', detail);
  if (error instanceof BackupError) {
    if (error.reason === 'disk_full') return diskFull();
    return new TransferArchiveError('io_error', `La copie du registre a échoué, l’archive n’a pas été créée. ${error.message}`, error.detail ?? error.message);
  }
  if (errno === 'ENOSPC' || errno === 'EDQUOT' || classifySqliteError(error).kind === 'disk_full') return diskFull();
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
    return new TransferArchiveError('access_denied', 'Vigie n’a pas le droit d’écrire à cet endroit : l’archive n’a pas été créée. Choisissez un autre dossier.', detail);
  }
  if (errno === 'ENOENT') {
    return new TransferArchiveError('io_error', 'Un document ou le dossier choisi a disparu pendant l’export : l’archive n’a pas été créée. Recommencez.', detail);
  }
  return new TransferArchiveError('io_error', 'L’archive n’a pas pu être écrite (erreur de lecture ou d’écriture) : elle n’a pas été créée.', detail);
}

// ---------------------------------------------------------------------------------------------
// Import, first half: read and check everything, touching nothing

export interface ReadTransferOptions {
  /** Where the archive is extracted before anything is replaced: the user-data folder (same disk as the register). */
  workDir: string;
  nativeBinding?: string;
  /** The newest schema version this build knows; default: the last migration. */
  knownSchemaVersion?: number;
  /** Free bytes on the disk of `workDir`; null when unknown. Default: `statfs`. */
  freeBytes?: (dir: string) => Promise<number | null>;
}

/** An archive that passed every check, extracted into its staging folder, waiting for the user's confirmation. */
export interface StagedTransfer {
  archivePath: string;
  archiveBytes: number;
  /** The staging folder (removed by the import or by `discardStagedTransfer`). */
  dir: string;
  databasePath: string;
  documentsDir: string;
  manifest: TransferManifest;
}

interface ArchiveEntries {
  manifest: ZipEntry;
  files: Map<string, ZipEntry>;
}

/**
 * Opens a transfer archive and checks all of it: entry names (no absolute path, no `..`, no
 * backslash, no link: only the names Vigie writes), every entry's size against the manifest
 * while it is read, every SHA-256, the database's integrity and schema version. Extracts into a
 * staging folder under `workDir`; the register itself is not touched. A refused archive leaves
 * nothing behind and throws a TransferArchiveError with a French message.
 */
export async function readTransferArchive(archivePath: string, options: ReadTransferOptions): Promise<StagedTransfer> {
  const source = resolve(archivePath);
  let archiveBytes: number;
  try {
    const info = statSync(source);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    archiveBytes = info.size;
  } catch (error) {
    const errno = errnoOf(error);
    if (errno === 'ENOENT') throw new TransferArchiveError('missing', 'Ce fichier est introuvable : il a peut-être été déplacé ou supprimé.', `${source}: ${describe(error)}`);
    if (errno === 'EACCES' || errno === 'EPERM') throw new TransferArchiveError('access_denied', 'Vigie n’a pas le droit de lire ce fichier.', `${source}: ${describe(error)}`);
    throw new TransferArchiveError('not_a_zip', `Ce chemin ne désigne pas un fichier d’archive. ${NOTHING_CHANGED}`, `${source}: ${describe(error)}`);
  }

  let zip: ZipReader;
  try {
    zip = await yauzl.openPromise(source, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true, decodeStrings: true });
  } catch (error) {
    throw notAZip(error);
  }
  let staging: string | null = null;
  try {
    const entries = await listEntries(zip);
    const manifest = await readManifest(zip, entries.manifest, options.knownSchemaVersion ?? latestSchemaVersion());
    checkEntriesAgainstManifest(entries, manifest);
    const total = manifest.entries.reduce((sum, entry) => sum + entry.size, 0);
    const databaseSize = manifest.entries.find((entry) => entry.name === DATABASE_ENTRY)?.size ?? 0;
    // the extraction, then the restore's own verified copy of the database
    await ensureFreeSpace(options.workDir, total + databaseSize + FREE_SPACE_MARGIN_BYTES, options.freeBytes);
    staging = await makeWorkDir(options.workDir, 'import');
    const databasePath = join(staging, DATABASE_ENTRY);
    const documentsDir = join(staging, 'documents');
    await mkdir(documentsDir, { recursive: true, mode: 0o700 });
    const expected = new Map(manifest.entries.map((entry) => [entry.name, entry]));
    for (const [name, entry] of entries.files) {
      const announced = expected.get(name) as TransferManifestEntry;
      const target = name === DATABASE_ENTRY ? databasePath : join(documentsDir, ...name.slice(DOCUMENTS_PREFIX.length).split('/'));
      await extractEntry(zip, entry, announced, target);
    }
    checkDatabase(databasePath, manifest, options.knownSchemaVersion ?? latestSchemaVersion(), options.nativeBinding);
    return { archivePath: source, archiveBytes, dir: staging, databasePath, documentsDir, manifest };
  } catch (error) {
    if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw importFailure(error);
  } finally {
    zip.close();
  }
}

function latestSchemaVersion(): number {
  return migrations.at(-1)?.version ?? 0;
}

function notAZip(error: unknown): TransferArchiveError {
  return new TransferArchiveError(
    'not_a_zip',
    `Ce fichier n’est pas une archive de transfert lisible : ce n’est pas un fichier .zip, ou il est incomplet (copie interrompue ?). ${NOTHING_CHANGED}`,
    `zip: ${describe(error)}`,
  );
}

function unsafe(name: string, detail: string): TransferArchiveError {
  return new TransferArchiveError(
    'unsafe_entry',
    `Cette archive contient un fichier au chemin interdit (${name.slice(0, 80)}) : elle a été refusée. ${NOTHING_CHANGED}`,
    detail,
  );
}

function notTransfer(detail: string): TransferArchiveError {
  return new TransferArchiveError('not_a_transfer_archive', `Ce fichier .zip n’est pas une archive de transfert de Vigie. ${NOTHING_CHANGED}`, detail);
}

function tooNew(detail: string): TransferArchiveError {
  return new TransferArchiveError(
    'too_new',
    `Cette archive a été faite par une version plus récente de Vigie : mettez Vigie à jour sur ce poste, puis recommencez. ${NOTHING_CHANGED}`,
    detail,
  );
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The central directory only (no data read yet): every name and kind checked. */
async function listEntries(zip: ZipReader): Promise<ArchiveEntries> {
  let manifest: ZipEntry | null = null;
  const files = new Map<string, ZipEntry>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const type = mode & S_IFMT;
      if (hasControlCharacter(name) || name.includes(':') || name.split('/').some((part) => part === '.' || part === '..')) {
        throw unsafe(name, `entry name refused: ${JSON.stringify(name.slice(0, 200))}`);
      }
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
        throw unsafe(name, `entry ${JSON.stringify(name.slice(0, 200))} is not a regular file (mode ${mode.toString(8)})`);
      }
      if (name.endsWith('/')) {
        if (DIRECTORY_ENTRY.test(name)) continue;
        throw notTransfer(`unexpected folder ${JSON.stringify(name.slice(0, 200))}`);
      }
      if (type === S_IFDIR) throw unsafe(name, `entry ${JSON.stringify(name.slice(0, 200))} is a folder`);
      if (entry.isEncrypted()) throw notTransfer(`entry ${name} is encrypted`);
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw notTransfer(`entry ${name} uses compression method ${entry.compressionMethod}`);
      const known = name === MANIFEST_ENTRY || name === DATABASE_ENTRY || (name.startsWith(DOCUMENTS_PREFIX) && parseStoredPath(name.slice(DOCUMENTS_PREFIX.length)) !== null);
      if (!known) throw notTransfer(`unexpected entry ${JSON.stringify(name.slice(0, 200))}`);
      if (name === MANIFEST_ENTRY) {
        if (manifest) throw damaged(name, 'two manifests');
        manifest = entry;
        continue;
      }
      if (files.has(name)) throw damaged(name, `entry ${name} appears twice`);
      files.set(name, entry);
    }
  } catch (error) {
    if (error instanceof TransferArchiveError) throw error;
    // yauzl's own name checks (strictFileNames): absolute paths, `..`, backslashes
    const message = error instanceof Error ? error.message : String(error);
    if (/absolute path|invalid relative path|invalid characters in fileName/.test(message)) throw unsafe(message.replace(/^[^:]*:\s*/, ''), `zip: ${message.slice(0, 300)}`);
    throw notAZip(error);
  }
  if (!manifest) throw notTransfer('no manifest.json');
  return { manifest, files };
}

async function openEntry(zip: ZipReader, entry: ZipEntry): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw damaged(entry.fileName, `opening ${entry.fileName}: ${describe(error)}`);
  }
}

async function readManifest(zip: ZipReader, entry: ZipEntry, knownSchemaVersion: number): Promise<TransferManifest> {
  if (entry.uncompressedSize > MANIFEST_MAX_BYTES) throw notTransfer(`manifest of ${entry.uncompressedSize} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of await openEntry(zip, entry)) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MANIFEST_MAX_BYTES) throw notTransfer('manifest larger than announced');
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof TransferArchiveError) throw error;
    throw damaged(MANIFEST_ENTRY, `reading the manifest: ${describe(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw notTransfer(`manifest is not JSON: ${describe(error)}`);
  }
  const head = z.object({ format: z.string(), formatVersion: z.number() }).safeParse(raw);
  if (!head.success || head.data.format !== TRANSFER_FORMAT) throw notTransfer('manifest format is not vigie-transfert');
  // a newer format may have another shape: say "newer" before trying to read the rest
  if (head.data.formatVersion > TRANSFER_FORMAT_VERSION) throw tooNew(`archive format ${head.data.formatVersion} > ${TRANSFER_FORMAT_VERSION}`);
  const parsed = transferManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw notTransfer(`manifest does not match the format: ${issue?.path.join('.') ?? '?'} ${issue?.message ?? ''}`.slice(0, 300));
  }
  if (parsed.data.schemaVersion > knownSchemaVersion) throw tooNew(`database schema ${parsed.data.schemaVersion} > known ${knownSchemaVersion}`);
  // the same rule as Paramètres: the token is only ever sent to API Entreprise or to this computer
  const localApiUrl = parsed.data.settings.localApiUrl;
  if (localApiUrl !== undefined && (!isAllowedApiBaseUrl(localApiUrl) || !localApiUrl.startsWith('http://'))) {
    throw notTransfer(`manifest settings name a local API outside this computer: ${localApiUrl.slice(0, 100)}`);
  }
  return parsed.data;
}

function checkEntriesAgainstManifest(entries: ArchiveEntries, manifest: TransferManifest): void {
  const announced = new Set<string>();
  for (const item of manifest.entries) {
    if (announced.has(item.name)) throw damaged(item.name, `manifest lists ${item.name} twice`);
    announced.add(item.name);
    const entry = entries.files.get(item.name);
    if (!entry) throw damaged(item.name, `manifest lists ${item.name}, absent from the zip`);
    if (entry.uncompressedSize !== item.size) throw damaged(item.name, `${item.name}: zip says ${entry.uncompressedSize} bytes, manifest ${item.size}`);
  }
  for (const name of entries.files.keys()) {
    if (!announced.has(name)) throw damaged(name, `${name} is in the zip but not in the manifest`);
  }
  if (!announced.has(DATABASE_ENTRY)) throw notTransfer('no vigie.sqlite3');
  const documents = [...announced].filter((name) => name.startsWith(DOCUMENTS_PREFIX)).length;
  if (documents !== manifest.documents) throw damaged(MANIFEST_ENTRY, `manifest counts ${manifest.documents} documents, lists ${documents}`);
}

async function ensureFreeSpace(dir: string, needed: number, freeBytes?: (dir: string) => Promise<number | null>): Promise<void> {
  const free = await (freeBytes ?? defaultFreeBytes)(dir);
  if (free !== null && free < needed) {
    throw new TransferArchiveError(
      'disk_full',
      `Il n’y a pas assez de place sur le disque pour importer cette archive : il faut environ ${frenchSize(needed)} libres, il en reste ${frenchSize(free)}. ${NOTHING_CHANGED}`,
      `need ${needed} bytes, ${free} free in ${dir}`,
    );
  }
}

async function defaultFreeBytes(dir: string): Promise<number | null> {
  try {
    const info = await statfs(dir);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
}

async function extractEntry(zip: ZipReader, entry: ZipEntry, announced: TransferManifestEntry, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const counter = new HashingCounter(announced.size, announced.name);
  try {
    await pipeline(await openEntry(zip, entry), counter, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof TransferArchiveError) throw error;
    const errno = errnoOf(error);
    if (errno === 'ENOSPC' || errno === 'EDQUOT' || errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS' || errno === 'EIO') throw error;
    // inflate errors, sizes that differ from the headers, a file cut short
    throw damaged(announced.name, `extracting ${announced.name}: ${describe(error)}`);
  }
  if (counter.bytes !== announced.size) throw damaged(announced.name, `${announced.name}: ${counter.bytes} bytes, manifest ${announced.size}`);
  const sha256 = counter.digest();
  if (sha256 !== announced.sha256) throw damaged(announced.name, `${announced.name}: SHA-256 ${sha256}, manifest ${announced.sha256}`);
}

/** The full integrity check, the register's table, a known schema version, the counts the manifest gives. */
function checkDatabase(path: string, manifest: TransferManifest, knownSchemaVersion: number, nativeBinding?: string): void {
  const corrupt = (detail: string) =>
    new TransferArchiveError('database_corrupt', `La base de données contenue dans l’archive est endommagée : elle ne peut pas être importée. ${NOTHING_CHANGED}`, detail);
  inspectDatabaseCopy(
    path,
    { readonly: true, nativeBinding },
    (db) => {
      const userVersion = db.pragma('user_version', { simple: true }) as number;
      if (userVersion > knownSchemaVersion) throw tooNew(`database schema ${userVersion} > known ${knownSchemaVersion}`);
      const problems = runCheck(db, 'integrity_check');
      if (problems.length > 0) throw corrupt(`integrity_check: ${problems.join(' | ').slice(0, 300)}`);
      if (!hasRegisterTable(db) || userVersion < 1) throw notTransfer(`database without a register (user_version ${userVersion})`);
      if (userVersion !== manifest.schemaVersion) throw damaged(DATABASE_ENTRY, `database user_version ${userVersion}, manifest ${manifest.schemaVersion}`);
      const suppliers = db.prepare('SELECT count(*) FROM suppliers').pluck().get() as number;
      if (suppliers !== manifest.suppliers) throw damaged(DATABASE_ENTRY, `database holds ${suppliers} suppliers, manifest ${manifest.suppliers}`);
    },
    corrupt,
  );
}

function importFailure(error: unknown): TransferArchiveError {
  if (error instanceof TransferArchiveError) return error;
  const errno = errnoOf(error);
  if (errno === 'ENOSPC' || errno === 'EDQUOT' || classifySqliteError(error).kind === 'disk_full') {
    return new TransferArchiveError('disk_full', `Le disque est plein : l’archive n’a pas pu être importée. ${NOTHING_CHANGED}`, describe(error));
  }
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
    return new TransferArchiveError('access_denied', `Vigie n’a pas le droit d’écrire dans son dossier : l’archive n’a pas pu être importée. ${NOTHING_CHANGED}`, describe(error));
  }
  return new TransferArchiveError('io_error', `L’archive n’a pas pu être lue (erreur de lecture ou d’écriture). ${NOTHING_CHANGED}`, describe(error));
}

/** Removes a staged import the user did not confirm. */
export function discardStagedTransfer(staged: StagedTransfer): void {
  rmSync(staged.dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Import, second half: with the register closed, swap it for the staged one

export interface InstallTransferOptions {
  databasePath: string;
  /** The document store's root (`<userData>/documents`). */
  documentsRoot: string;
  now?: () => Date;
  nativeBinding?: string;
}

export interface TransferImportResult {
  /** Where the replaced database now is (its -wal beside it), or null when there was none. */
  keptAsideDatabase: string | null;
  /** Where the replaced documents folder now is, or null when there was none. */
  keptAsideDocuments: string | null;
}

/**
 * Replaces the register at `databasePath` and the documents at `documentsRoot` with a staged
 * archive; call it with the app's connection CLOSED. The database goes through the backup
 * restore (verified copy, the current database renamed `<db>.before-restore-<instant>`), then
 * the documents folder is renamed `documents.before-transfer-<instant>` and the staged one put in
 * its place. Nothing is deleted; if a step fails, what was moved is moved back.
 */
export function importTransferArchive(staged: StagedTransfer, options: InstallTransferOptions): TransferImportResult {
  const restored = restoreBackup(staged.databasePath, options.databasePath, { now: options.now, nativeBinding: options.nativeBinding });
  return completeTransferImport(staged, restored, options);
}

/**
 * The documents half of `importTransferArchive`, once `restoreBackup` has put the staged database
 * in place (the desktop shell runs the restore itself, then this). On failure the previous
 * database is put back, so database and documents always belong together.
 */
export function completeTransferImport(staged: StagedTransfer, restored: RestoreResult, options: InstallTransferOptions): TransferImportResult {
  const now = options.now ?? (() => new Date());
  const root = resolve(options.documentsRoot);
  let keptAsideDocuments: string | null = null;
  try {
    if (existsSync(root)) {
      keptAsideDocuments = freeName(`${root}.before-transfer-${fileStamp(now())}`);
      renameSync(root, keptAsideDocuments);
    }
    try {
      if (existsSync(staged.documentsDir)) renameSync(staged.documentsDir, root);
      else mkdirSync(root, { recursive: true, mode: 0o700 });
    } catch (error) {
      if (keptAsideDocuments) renameSync(keptAsideDocuments, root);
      keptAsideDocuments = null;
      throw error;
    }
  } catch (error) {
    putDatabaseBack(restored, options.databasePath);
    throw new TransferArchiveError(
      errnoOf(error) === 'ENOSPC' ? 'disk_full' : errnoOf(error) === 'EACCES' || errnoOf(error) === 'EPERM' ? 'access_denied' : 'io_error',
      `Les documents n’ont pas pu être mis en place (un document est peut-être ouvert dans un autre programme) : l’import a été annulé. ${NOTHING_CHANGED}`,
      `swapping the documents folder: ${describe(error)}`,
    );
  }
  syncPath(dirname(root), 'folder');
  rmSync(staged.dir, { recursive: true, force: true });
  return { keptAsideDatabase: restored.keptAside, keptAsideDocuments };
}

/** Undoes a restore: the imported copy (the staged file still exists) is removed and the kept-aside database renamed back. */
function putDatabaseBack(restored: RestoreResult, databasePath: string): void {
  const target = resolve(databasePath);
  rmSync(target, { force: true });
  removeSideFiles(target);
  if (restored.keptAside) moveDatabaseFiles(restored.keptAside, target);
}
