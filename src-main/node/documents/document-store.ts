// The content-addressed folder where downloaded documents live (BRIEF §5). A document is named by
// the SHA-256 of its bytes: `ab/cd/<sha256>.pdf` under the store root. Bytes go to a temporary
// file in the final folder, are flushed to disk, then renamed into place, so a final name only
// ever holds a complete document: a full disk or an I/O error leaves the previous documents as
// they were and no half-written file under a final name.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { ApiEntrepriseError } from '../api-entreprise/api-error';
import type { DocumentMediaType } from '../api-entreprise/endpoint-catalogue';

/** An open file, as much of `fs.promises.FileHandle` as the store uses. */
export interface StoreFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreFileStat {
  size: number;
  mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

/** The file-system calls the store makes, injected so tests can fail any of them. */
export interface DocumentStoreFs {
  /** Resolves to the first folder created, or undefined when all existed (as `fs.promises.mkdir`). */
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<string | undefined>;
  /** `'wx'` creates a new file (fails if it exists); `'r'` opens a file or a folder for fsync. */
  open(path: string, flags: 'wx' | 'r', mode?: number): Promise<StoreFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<StoreFileStat>;
}

export const nodeStoreFs: DocumentStoreFs = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readFile: (path) => fsp.readFile(path),
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.stat(path),
};

export interface StoredDocument {
  /** Lower-case hex SHA-256 of the bytes: the `documents.sha256` column. */
  sha256: string;
  sizeBytes: number;
  mediaType: DocumentMediaType;
  /** Relative to the store root, always with `/`: `ab/cd/<sha256>.pdf` (the `documents.stored_path` column). */
  storedPath: string;
}

export interface PutResult extends StoredDocument {
  /** True when the same bytes were already stored: nothing was written. */
  alreadyStored: boolean;
}

export type DocumentCheck =
  | { status: 'ok'; sizeBytes: number }
  | { status: 'missing' }
  | { status: 'corrupt'; actualSha256: string; sizeBytes: number };

const DISK_FULL_MESSAGE =
  'Le disque est plein : le document n’a pas pu être enregistré et le document précédent est conservé. Libérez de la place.';

export type DocumentStoreFailure = 'invalid_path' | 'missing' | 'corrupt' | 'disk_full' | 'not_writable' | 'io_error';

/**
 * Every failure of the store: kind `document_storage`, so callers that only know ApiEntrepriseError
 * keep the previous document; `reason` and `errno` say more. Messages name the stored path
 * (relative), never the store's absolute location.
 */
export class DocumentStoreError extends ApiEntrepriseError {
  readonly reason: DocumentStoreFailure;
  /** The system error code behind it (`ENOSPC`, `EIO`...), when there is one. */
  readonly errno: string | null;

  constructor(reason: DocumentStoreFailure, detail: string, errno: string | null = null) {
    super({
      kind: 'document_storage',
      endpoint: null,
      status: null,
      code: null,
      provider: null,
      retryInSeconds: null,
      retryAfterMs: null,
      detail,
      userMessage: reason === 'disk_full' ? DISK_FULL_MESSAGE : undefined,
    });
    this.name = 'DocumentStoreError';
    this.reason = reason;
    this.errno = errno;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, errno: this.errno };
  }
}

const EXTENSIONS: Record<DocumentMediaType, string> = { 'application/pdf': 'pdf', 'application/zip': 'zip' };
const MEDIA_TYPES: Record<string, DocumentMediaType> = { pdf: 'application/pdf', zip: 'application/zip' };

/** The only names the store gives: anything else is refused before touching the disk. */
const STORED_PATH = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})\.(pdf|zip)$/;
const TEMP_NAME = /^\.vigie-[0-9a-f]{16}\.tmp$/;
const HEX_PAIR = /^[0-9a-f]{2}$/;
/** Windows: an antivirus or the search indexer may hold a new file for a moment. */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_RETRY_DELAYS_MS = [20, 60, 150];

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `ab/cd/<sha256>.<ext>` for a hash and a media type. */
export function storedPathFor(sha256: string, mediaType: DocumentMediaType): string {
  const extension = EXTENSIONS[mediaType];
  if (!/^[0-9a-f]{64}$/.test(sha256) || extension === undefined) {
    throw new DocumentStoreError('invalid_path', 'Not a SHA-256 and a document media type');
  }
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.${extension}`;
}

/** The hash and media type a stored path names, or null when it is not one of the store's own names. */
export function parseStoredPath(storedPath: string): { sha256: string; mediaType: DocumentMediaType } | null {
  if (typeof storedPath !== 'string') return null;
  const match = STORED_PATH.exec(storedPath);
  if (!match) return null;
  const [, first, second, sha256, extension] = match as unknown as [string, string, string, string, string];
  if (sha256.slice(0, 2) !== first || sha256.slice(2, 4) !== second) return null;
  const mediaType = MEDIA_TYPES[extension];
  return mediaType ? { sha256, mediaType } : null;
}

function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : null;
}

function failureOf(errno: string | null): DocumentStoreFailure {
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return 'disk_full';
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') return 'not_writable';
  return 'io_error';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface DocumentStoreOptions {
  /** Absolute folder; created on the first write. */
  root: string;
  fs?: DocumentStoreFs;
  /** 8 random bytes, hex: the temporary file's name. Injected by tests that need to know it. */
  randomId?: () => string;
}

export class DocumentStore {
  readonly root: string;
  private readonly fs: DocumentStoreFs;
  private readonly randomId: () => string;
  /** One write per document at a time, so two downloads of the same attestation write once. */
  private readonly pending = new Map<string, Promise<PutResult>>();
  /** Temporary files this instance is writing: a sweep must not remove them. */
  private readonly ownTemporaryFiles = new Set<string>();

  constructor(options: DocumentStoreOptions) {
    this.root = options.root;
    this.fs = options.fs ?? nodeStoreFs;
    this.randomId = options.randomId ?? (() => randomBytes(8).toString('hex'));
  }

  /**
   * Stores the bytes under their hash and returns where. The same bytes give the same path and
   * are not written again (a damaged copy is replaced). Throws a DocumentStoreError, with no
   * temporary file left behind and no document changed, when the disk refuses.
   */
  async put(bytes: Uint8Array, mediaType: DocumentMediaType): Promise<PutResult> {
    const sha256 = sha256Hex(bytes);
    const storedPath = storedPathFor(sha256, mediaType);
    const running = this.pending.get(storedPath);
    if (running) {
      const result = await running;
      return { ...result, alreadyStored: true };
    }
    const write = this.write(bytes, { sha256, sizeBytes: bytes.length, mediaType, storedPath });
    this.pending.set(storedPath, write);
    try {
      return await write;
    } finally {
      this.pending.delete(storedPath);
    }
  }

  /** The bytes of a stored document, checked against the hash in its name. */
  async read(storedPath: string): Promise<Uint8Array> {
    const { sha256 } = this.parse(storedPath);
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(this.absolute(storedPath));
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'ENOENT') throw new DocumentStoreError('missing', `Stored document ${storedPath} is missing`, errno);
      throw new DocumentStoreError(failureOf(errno), `Stored document ${storedPath} could not be read (${errno ?? 'error'})`, errno);
    }
    if (sha256Hex(bytes) !== sha256) {
      throw new DocumentStoreError('corrupt', `Stored document ${storedPath} does not match its hash (damaged on disk)`);
    }
    return bytes;
  }

  /** Recomputes the hash of a stored document. */
  async verify(storedPath: string): Promise<DocumentCheck> {
    this.parse(storedPath);
    try {
      const bytes = await this.read(storedPath);
      return { status: 'ok', sizeBytes: bytes.length };
    } catch (error) {
      if (!(error instanceof DocumentStoreError)) throw error;
      if (error.reason === 'missing') return { status: 'missing' };
      if (error.reason === 'corrupt') {
        const bytes = await this.fs.readFile(this.absolute(storedPath));
        return { status: 'corrupt', actualSha256: sha256Hex(bytes), sizeBytes: bytes.length };
      }
      throw error;
    }
  }

  /**
   * Removes the temporary files a crash or a power cut left behind (at start-up). Files younger
   * than `olderThanMs` are kept: another process (the CLI) may be writing them. Returns how many
   * were removed.
   */
  async sweepTemporaryFiles(options: { olderThanMs?: number; now?: number } = {}): Promise<number> {
    const olderThanMs = options.olderThanMs ?? 10 * 60_000;
    const now = options.now ?? Date.now();
    let removed = 0;
    for (const first of await this.list(this.root)) {
      if (!HEX_PAIR.test(first)) continue;
      for (const second of await this.list(join(this.root, first))) {
        if (!HEX_PAIR.test(second)) continue;
        const folder = join(this.root, first, second);
        for (const name of await this.list(folder)) {
          const path = join(folder, name);
          if (!TEMP_NAME.test(name) || this.ownTemporaryFiles.has(path)) continue;
          try {
            const stat = await this.fs.stat(path);
            if (!stat.isFile() || now - stat.mtimeMs < olderThanMs) continue;
            await this.fs.unlink(path);
            removed++;
          } catch {
            // gone meanwhile, or not removable now: the next sweep will try again
          }
        }
      }
    }
    return removed;
  }

  /** Absolute path of a stored document, for a viewer; the path is validated first. */
  absolutePath(storedPath: string): string {
    this.parse(storedPath);
    return this.absolute(storedPath);
  }

  private parse(storedPath: string): { sha256: string; mediaType: DocumentMediaType } {
    const parsed = parseStoredPath(storedPath);
    if (!parsed) {
      // the refused value is not echoed: it may be anything, of any length
      throw new DocumentStoreError('invalid_path', 'Refused a stored path that is not one of the store’s own names');
    }
    return parsed;
  }

  /** Only called with a validated path: hex segments, no separator, no `..`. */
  private absolute(storedPath: string): string {
    return join(this.root, ...storedPath.split('/'));
  }

  private async list(folder: string): Promise<string[]> {
    try {
      return await this.fs.readdir(folder);
    } catch {
      return [];
    }
  }

  private async write(bytes: Uint8Array, document: StoredDocument): Promise<PutResult> {
    const { storedPath } = document;
    const finalPath = this.absolute(storedPath);
    if (await this.holds(finalPath, document.sha256)) return { ...document, alreadyStored: true };

    const [first, second] = storedPath.split('/') as [string, string];
    const folder = join(this.root, first, second);
    const fail = (step: string, error: unknown) => {
      const errno = errnoOf(error);
      return new DocumentStoreError(
        failureOf(errno),
        `Could not store document ${storedPath}: ${errno ?? 'error'} while ${step}`,
        errno,
      );
    };

    let created: string | undefined;
    try {
      created = await this.fs.mkdir(folder, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw fail('creating its folder', error);
    }

    const temporary = join(folder, `.vigie-${this.randomId()}.tmp`);
    this.ownTemporaryFiles.add(temporary);
    try {
      await this.writeFlushed(temporary, bytes, fail);
      const outcome = await this.renameIntoPlace(temporary, finalPath, document.sha256, fail);
      if (outcome === 'already_there') {
        await this.fs.unlink(temporary).catch(() => undefined);
        return { ...document, alreadyStored: true };
      }
    } catch (error) {
      await this.fs.unlink(temporary).catch(() => undefined);
      throw error;
    } finally {
      this.ownTemporaryFiles.delete(temporary);
    }

    // the new name must survive a power cut too: flush the folder entries, where the system allows it
    await this.syncFolder(folder);
    if (created !== undefined) {
      await this.syncFolder(join(this.root, first));
      await this.syncFolder(this.root);
    }
    return { ...document, alreadyStored: false };
  }

  private async writeFlushed(path: string, bytes: Uint8Array, fail: (step: string, error: unknown) => Error): Promise<void> {
    let handle: StoreFileHandle;
    try {
      handle = await this.fs.open(path, 'wx', 0o600);
    } catch (error) {
      throw fail('creating its temporary file', error);
    }
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
        if (bytesWritten <= 0) throw Object.assign(new Error('no progress'), { code: 'EIO' });
        offset += bytesWritten;
      }
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fail('writing', error);
    }
    try {
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fail('flushing to disk', error);
    }
    try {
      await handle.close();
    } catch (error) {
      throw fail('closing', error);
    }
  }

  private async renameIntoPlace(
    temporary: string,
    finalPath: string,
    sha256: string,
    fail: (step: string, error: unknown) => Error,
  ): Promise<'renamed' | 'already_there'> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.fs.rename(temporary, finalPath);
        return 'renamed';
      } catch (error) {
        // another process stored the same bytes meanwhile (or holds the file open, on Windows): fine
        if (await this.holds(finalPath, sha256)) return 'already_there';
        const errno = errnoOf(error);
        const delay = RENAME_RETRY_DELAYS_MS[attempt];
        if (delay === undefined || errno === null || !RENAME_RETRY_CODES.has(errno)) throw fail('renaming into place', error);
        await sleep(delay);
      }
    }
  }

  /** Whether the final name already holds exactly these bytes. */
  private async holds(finalPath: string, sha256: string): Promise<boolean> {
    try {
      return sha256Hex(await this.fs.readFile(finalPath)) === sha256;
    } catch {
      return false;
    }
  }

  private async syncFolder(folder: string): Promise<void> {
    let handle: StoreFileHandle | undefined;
    try {
      handle = await this.fs.open(folder, 'r');
      await handle.sync();
    } catch {
      // Windows cannot fsync a folder (EPERM/EISDIR); the rename itself is already durable on NTFS
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
}
