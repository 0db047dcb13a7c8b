import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import {
  DocumentStore,
  DocumentStoreError,
  nodeStoreFs,
  parseStoredPath,
  sha256Hex,
  type DocumentStoreFs,
  type StoreFileHandle,
} from '../../src-main/node/documents/document-store';

let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), 'vigie-docs-')), 'documents');
});
afterEach(() => rmSync(join(root, '..'), { recursive: true, force: true }));

/** Every file under the store, relative, with `/`. */
function listFiles(): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((entry) => entry.split('\\').join('/'))
    .filter((entry) => statSync(join(root, entry)).isFile())
    .sort();
}

const fakePdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

type Failure = { code: string; afterBytes?: number };

/** The real file system, with chosen calls failing the way a full or dying disk fails them. */
function failingFs(plan: { write?: Failure; sync?: Failure; rename?: Failure[]; mkdir?: Failure; open?: Failure }) {
  const calls = { writes: 0, creates: 0, renames: 0 };
  const error = (f: Failure) => Object.assign(new Error(`${f.code}: simulated`), { code: f.code });
  const fs: DocumentStoreFs = {
    ...nodeStoreFs,
    async mkdir(path, options) {
      if (plan.mkdir) throw error(plan.mkdir);
      return nodeStoreFs.mkdir(path, options);
    },
    async open(path, flags, mode) {
      if (flags === 'wx') {
        calls.creates++;
        if (plan.open) throw error(plan.open);
      }
      const real = await nodeStoreFs.open(path, flags, mode);
      if (flags !== 'wx') return real;
      let written = 0;
      const handle: StoreFileHandle = {
        async write(buffer, offset, length, position) {
          calls.writes++;
          const failure = plan.write;
          if (failure) {
            const room = Math.max(0, (failure.afterBytes ?? 0) - written);
            if (room === 0) throw error(failure);
            // a partial write: some bytes reach the disk, then the disk is full
            const partial = await real.write(buffer, offset, Math.min(length, room), position);
            written += partial.bytesWritten;
            return partial;
          }
          return real.write(buffer, offset, length, position);
        },
        async sync() {
          if (plan.sync) throw error(plan.sync);
          return real.sync();
        },
        close: () => real.close(),
      };
      return handle;
    },
    async rename(from, to) {
      const failure = plan.rename?.[calls.renames++];
      if (failure) throw error(failure);
      return nodeStoreFs.rename(from, to);
    },
  };
  return { fs, calls };
}

async function rejection(promise: Promise<unknown>): Promise<DocumentStoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentStoreError);
    return error as DocumentStoreError;
  }
  throw new Error('expected a rejection');
}

describe('put', () => {
  it('stores the bytes under ab/cd/<sha256>.pdf and reads them back', async () => {
    const store = new DocumentStore({ root });
    const bytes = fakePdf('attestation');
    const stored = await store.put(bytes, 'application/pdf');
    const sha256 = sha256Hex(bytes);
    expect(stored).toEqual({
      sha256,
      sizeBytes: bytes.length,
      mediaType: 'application/pdf',
      storedPath: `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.pdf`,
      alreadyStored: false,
    });
    expect(listFiles()).toEqual([stored.storedPath]);
    expect(readFileSync(join(root, stored.storedPath))).toEqual(bytes);
    expect(Buffer.from(await store.read(stored.storedPath))).toEqual(bytes);
    expect(store.absolutePath(stored.storedPath)).toBe(join(root, ...stored.storedPath.split('/')));
    if (process.platform !== 'win32') expect(statSync(join(root, stored.storedPath)).mode & 0o777).toBe(0o600);
  });

  it('names a ZIP .zip', async () => {
    const stored = await new DocumentStore({ root }).put(Buffer.from('PK\x03\x04 zip'), 'application/zip');
    expect(stored.storedPath).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.zip$/);
    expect(parseStoredPath(stored.storedPath)).toEqual({ sha256: stored.sha256, mediaType: 'application/zip' });
  });

  it('deduplicates: the same bytes twice give one file, the same path, and no second write', async () => {
    const { fs, calls } = failingFs({});
    const store = new DocumentStore({ root, fs });
    const first = await store.put(fakePdf('same'), 'application/pdf');
    const mtime = statSync(join(root, first.storedPath)).mtimeMs;
    const second = await store.put(fakePdf('same'), 'application/pdf');
    expect(second).toEqual({ ...first, alreadyStored: true });
    expect(calls.creates).toBe(1);
    expect(statSync(join(root, first.storedPath)).mtimeMs).toBe(mtime);
    expect(listFiles()).toEqual([first.storedPath]);
  });

  it('writes once when the same document is stored twice at the same time', async () => {
    const { fs, calls } = failingFs({});
    const store = new DocumentStore({ root, fs });
    const [a, b] = await Promise.all([store.put(fakePdf('twin'), 'application/pdf'), store.put(fakePdf('twin'), 'application/pdf')]);
    expect(a.storedPath).toBe(b.storedPath);
    expect([a.alreadyStored, b.alreadyStored].sort()).toEqual([false, true]);
    expect(calls.creates).toBe(1);
    expect(listFiles()).toEqual([a.storedPath]);
  });

  it('replaces a damaged copy of the same document', async () => {
    const store = new DocumentStore({ root });
    const bytes = fakePdf('damaged later');
    const stored = await store.put(bytes, 'application/pdf');
    writeFileSync(join(root, stored.storedPath), bytes.subarray(0, 10));
    expect(await store.verify(stored.storedPath)).toMatchObject({ status: 'corrupt', sizeBytes: 10 });
    const again = await store.put(bytes, 'application/pdf');
    expect(again.alreadyStored).toBe(false);
    expect(await store.verify(stored.storedPath)).toEqual({ status: 'ok', sizeBytes: bytes.length });
    expect(listFiles()).toEqual([stored.storedPath]);
  });
});

describe('a failing disk', () => {
  it('disk full in the middle of a write: typed error, no temporary file, the previous document intact', async () => {
    const previous = await new DocumentStore({ root }).put(fakePdf('previous attestation'), 'application/pdf');
    const { fs, calls } = failingFs({ write: { code: 'ENOSPC', afterBytes: 7 } });
    const store = new DocumentStore({ root, fs });
    const next = fakePdf('next attestation '.repeat(1000));
    const error = await rejection(store.put(next, 'application/pdf'));
    expect(calls.writes).toBeGreaterThanOrEqual(2); // a partial write happened before the failure
    expect(error).toBeInstanceOf(ApiEntrepriseError);
    expect(error).toMatchObject({ kind: 'document_storage', reason: 'disk_full', errno: 'ENOSPC', retryable: false });
    expect(error.userMessage).toContain('document précédent est conservé');
    expect(error.message).not.toContain(root);
    expect(listFiles()).toEqual([previous.storedPath]);
    expect(await store.verify(previous.storedPath)).toEqual({ status: 'ok', sizeBytes: previous.sizeBytes });
    expect(Buffer.from(await store.read(previous.storedPath)).toString()).toContain('previous attestation');
  });

  it('disk full on the very first byte', async () => {
    const { fs } = failingFs({ write: { code: 'ENOSPC' } });
    const error = await rejection(new DocumentStore({ root, fs }).put(fakePdf('x'), 'application/pdf'));
    expect(error.reason).toBe('disk_full');
    expect(listFiles()).toEqual([]);
  });

  it('an I/O error while flushing: nothing is renamed into place', async () => {
    const previous = await new DocumentStore({ root }).put(fakePdf('previous'), 'application/pdf');
    const { fs, calls } = failingFs({ sync: { code: 'EIO' } });
    const error = await rejection(new DocumentStore({ root, fs }).put(fakePdf('next'), 'application/pdf'));
    expect(error).toMatchObject({ kind: 'document_storage', reason: 'io_error', errno: 'EIO' });
    expect(error.message).toContain('flushing');
    expect(calls.renames).toBe(0);
    expect(listFiles()).toEqual([previous.storedPath]);
  });

  it('a failed rename leaves no temporary file and no final file', async () => {
    const { fs } = failingFs({ rename: [{ code: 'EIO' }] });
    const error = await rejection(new DocumentStore({ root, fs }).put(fakePdf('x'), 'application/pdf'));
    expect(error).toMatchObject({ reason: 'io_error', errno: 'EIO' });
    expect(listFiles()).toEqual([]);
  });

  it('retries a rename that Windows refuses for a moment (antivirus), then succeeds', async () => {
    const { fs, calls } = failingFs({ rename: [{ code: 'EPERM' }, { code: 'EBUSY' }] });
    const stored = await new DocumentStore({ root, fs }).put(fakePdf('x'), 'application/pdf');
    expect(calls.renames).toBe(3);
    expect(listFiles()).toEqual([stored.storedPath]);
  });

  it('a rename refused because the same document is already there and held open counts as stored', async () => {
    const bytes = fakePdf('open in a viewer');
    const stored = await new DocumentStore({ root }).put(bytes, 'application/pdf');
    // the copy on disk is damaged, so put rewrites it; the rename then fails but a sound copy is back
    writeFileSync(join(root, stored.storedPath), 'broken');
    const { fs } = failingFs({});
    const racing: DocumentStoreFs = {
      ...fs,
      async rename() {
        writeFileSync(join(root, stored.storedPath), bytes); // another process stored it meanwhile
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      },
    };
    const result = await new DocumentStore({ root, fs: racing }).put(bytes, 'application/pdf');
    expect(result).toMatchObject({ storedPath: stored.storedPath, alreadyStored: true });
    expect(listFiles()).toEqual([stored.storedPath]);
  });

  it('a folder that cannot be created, a temporary file that cannot be opened', async () => {
    const mkdir = await rejection(new DocumentStore({ root, fs: failingFs({ mkdir: { code: 'EACCES' } }).fs }).put(fakePdf('x'), 'application/pdf'));
    expect(mkdir).toMatchObject({ reason: 'not_writable', errno: 'EACCES' });
    const open = await rejection(new DocumentStore({ root, fs: failingFs({ open: { code: 'EROFS' } }).fs }).put(fakePdf('x'), 'application/pdf'));
    expect(open).toMatchObject({ reason: 'not_writable', errno: 'EROFS' });
    expect(listFiles()).toEqual([]);
  });
});

describe('read and verify', () => {
  const traversals = [
    '../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    '..',
    '',
    'ab/cd/../../../outside.pdf',
    'ab\\cd\\x.pdf',
    `ab/cd/${'a'.repeat(64)}.pdf`, // the folders do not match the hash
    `AA/AA/${'A'.repeat(64)}.pdf`,
    `aa/aa/${'a'.repeat(64)}.exe`,
    `aa/aa/${'a'.repeat(64)}.pdf\n`,
    `aa/aa/${'a'.repeat(64)}.pdf\0.txt`,
    `./aa/aa/${'a'.repeat(64)}.pdf`,
    `aa/aa/../aa/${'a'.repeat(64)}.pdf`,
    `%2e%2e/aa/${'a'.repeat(64)}.pdf`,
    `/aa/aa/${'a'.repeat(64)}.pdf`,
  ];

  it.each(traversals)('refuses the stored path %j without touching the disk', async (path) => {
    const touched: string[] = [];
    const spying: DocumentStoreFs = {
      ...nodeStoreFs,
      readFile: async (p) => {
        touched.push(p);
        return nodeStoreFs.readFile(p);
      },
    };
    const store = new DocumentStore({ root, fs: spying });
    const error = await rejection(store.read(path));
    expect(error).toMatchObject({ kind: 'document_storage', reason: 'invalid_path' });
    await expect(store.verify(path)).rejects.toMatchObject({ reason: 'invalid_path' });
    expect(() => store.absolutePath(path)).toThrow(DocumentStoreError);
    expect(touched).toEqual([]);
  });

  it('reports a missing document and a damaged one', async () => {
    const store = new DocumentStore({ root });
    const stored = await store.put(fakePdf('x'), 'application/pdf');
    writeFileSync(join(root, stored.storedPath), fakePdf('tampered'));
    await expect(store.read(stored.storedPath)).rejects.toMatchObject({ reason: 'corrupt' });
    expect(await store.verify(stored.storedPath)).toEqual({
      status: 'corrupt',
      actualSha256: sha256Hex(fakePdf('tampered')),
      sizeBytes: fakePdf('tampered').length,
    });
    rmSync(join(root, stored.storedPath));
    await expect(store.read(stored.storedPath)).rejects.toMatchObject({ reason: 'missing', errno: 'ENOENT' });
    expect(await store.verify(stored.storedPath)).toEqual({ status: 'missing' });
  });
});

describe('sweepTemporaryFiles', () => {
  it('removes temporary files left by a crash, keeps recent ones and every document', async () => {
    const store = new DocumentStore({ root });
    const stored = await store.put(fakePdf('keep me'), 'application/pdf');
    const folder = join(root, ...stored.storedPath.split('/').slice(0, 2));
    const stale = join(folder, '.vigie-0123456789abcdef.tmp');
    const fresh = join(folder, '.vigie-fedcba9876543210.tmp');
    const foreign = join(folder, 'notes.txt');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'half');
    writeFileSync(foreign, 'not ours');
    const hourAgo = (Date.now() - 3_600_000) / 1_000;
    utimesSync(stale, hourAgo, hourAgo);
    expect(await store.sweepTemporaryFiles()).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    expect(await store.verify(stored.storedPath)).toMatchObject({ status: 'ok' });
    expect(await store.sweepTemporaryFiles({ olderThanMs: 0 })).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });

  it('does nothing on a store that does not exist yet', async () => {
    expect(await new DocumentStore({ root }).sweepTemporaryFiles()).toBe(0);
  });
});
