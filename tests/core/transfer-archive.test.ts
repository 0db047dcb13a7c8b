// « Changer de poste »: the whole register, its documents and settings go from one computer to
// another in one .zip. Round trip through the IPC channels (the shell's restart emulated), every
// kind of bad archive refused with nothing changed, a full disk during the export leaving no
// file, the token never in the archive, and a large document streamed rather than held in memory.
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { transferArchiveFileName } from '../../src-main/node/app/transfer-handlers';
import { DocumentStore, storedPathFor } from '../../src-main/node/documents/document-store';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { restoreBackup } from '../../src-main/node/safety/database-backup';
import {
  DATABASE_ENTRY,
  MANIFEST_ENTRY,
  TransferArchiveError,
  exportTransferArchive,
  readTransferArchive,
  transferManifestSchema,
  type TransferManifest,
} from '../../src-main/node/safety/transfer-archive';
import { createConfStore } from '../../src-main/node/settings/conf-store';
import type { KeyValueStore } from '../../src-main/node/settings/key-value-store';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';
import { fakeDialogs, type FakeDialogs } from '../harness/fake-dialogs';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { leakForms } from '../support/test-tokens';

const COMMUNE_SIRET = '13002526500013';

// V8's collector, reachable without a command-line flag: memory measured after it is live memory
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const SUPPLIERS = 240;

let api: FakeApiHandle;
const folders: string[] = [];

function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vigie-transfer-${prefix}-`));
  folders.push(dir);
  return dir;
}

/** One computer: its user-data folder, its core, and a restart that works as the Electron shell's. */
interface Computer {
  dir: string;
  core: VigieCore;
  store: KeyValueStore;
  dialogs: FakeDialogs;
  restarts: number;
}

function computer(name: string): Computer {
  const dir = tempFolder(name);
  const store = createConfStore(dir);
  const keyFile = new LocalKeyCipher(join(dir, 'keychain-stand-in.key'));
  const dialogs = fakeDialogs();
  const databasePath = join(dir, 'vigie.sqlite3');
  const open = (): VigieCore =>
    createVigieCore({
      databasePath,
      userDataDir: dir,
      store,
      cipher: { protection: () => 'os', encrypt: (plain) => keyFile.encrypt(plain), decrypt: (ciphertext) => keyFile.decrypt(ciphertext) },
      dialogs,
      logger: silentLogger,
      desktop: {
        openExternal: () => Promise.resolve(),
        // what src-main/electron-main/main.ts does: close, restore, run the follow-up, start again
        restoreAndRestart: async (backupPath, afterRestore) => {
          machine.core.close();
          try {
            const restored = restoreBackup(backupPath, databasePath);
            afterRestore?.(restored);
          } finally {
            machine.restarts += 1;
            machine.core = open();
          }
        },
      },
    });
  const machine: Computer = { dir, core: open(), store, dialogs, restarts: 0 };
  return machine;
}

async function call<T>(machine: Computer, channel: string, request: unknown = {}): Promise<T> {
  const answer = await machine.core.dispatch(channel, request);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
  return answer.value as T;
}

function pdfBytes(label: string): Buffer {
  return Buffer.from(`%PDF-1.7\n% Attestation de vigilance ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
}

/** Stores a document as a download would, and its row. */
async function addDocument(machine: Computer, bytes: Buffer, mediaType: 'application/pdf' | 'application/zip' = 'application/pdf'): Promise<number> {
  const store = new DocumentStore({ root: join(machine.dir, 'documents') });
  const put = await store.put(bytes, mediaType);
  return Number(
    machine.core.db
      .prepare('INSERT INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(put.sha256, put.sizeBytes, mediaType, put.storedPath, '2026-11-20T02:00:00.000Z').lastInsertRowid,
  );
}

function addSuppliers(machine: Computer, count: number, name: (i: number) => string, from = 0): void {
  const repository = new SupplierRepository(machine.core.db);
  machine.core.db.transaction(() => {
    for (let i = from; i < from + count; i++) repository.upsert({ siren: makeSiren(i), siret: makeSiret(i), name: name(i), city: i % 2 ? 'Annecy' : 'Thônes' });
  })();
}

/** Every file under `dir` with its hash (the SQLite shared-memory index excepted): « nothing changed » is this, before and after. */
function stateOf(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        state[`${relative(dir, path)}/`] = 'folder';
        walk(path);
      } else if (!name.endsWith('-shm')) {
        state[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
      }
    }
  };
  walk(dir);
  return state;
}

/** Every entry of a zip, decompressed (small archives only). */
async function entriesOf(path: string): Promise<Map<string, { data: Buffer; mode: number }>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  const entries = new Map<string, { data: Buffer; mode: number }>();
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      entries.set(entry.fileName, { data: Buffer.concat(chunks), mode: entry.externalFileAttributes >>> 16 });
    }
  } finally {
    zip.close();
  }
  return entries;
}

interface RebuildEntry {
  name: string;
  data: Buffer;
  mode?: number;
}

/**
 * A new zip from a good archive's entries, as a forger would make it: `change` edits the entries,
 * then the manifest is recomputed from them (sizes and hashes) unless `manifest` overrides it.
 */
async function rebuild(
  goodArchive: string,
  target: string,
  change: (entries: RebuildEntry[]) => RebuildEntry[],
  manifest?: (recomputed: TransferManifest) => unknown,
): Promise<string> {
  const original = await entriesOf(goodArchive);
  const before = transferManifestSchema.parse(JSON.parse((original.get(MANIFEST_ENTRY)?.data ?? Buffer.alloc(0)).toString('utf8')));
  const entries = change([...original].filter(([name]) => name !== MANIFEST_ENTRY).map(([name, { data }]) => ({ name, data })));
  const recomputed: TransferManifest = {
    ...before,
    entries: entries.map((entry) => ({ name: entry.name, size: entry.data.length, sha256: createHash('sha256').update(entry.data).digest('hex') })),
  };
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, entry.mode === undefined ? {} : { mode: entry.mode });
  zip.addBuffer(Buffer.from(JSON.stringify(manifest ? manifest(recomputed) : recomputed)), MANIFEST_ENTRY);
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(target);
    out.on('error', reject);
    out.on('close', resolve);
    zip.outputStream.pipe(out);
  });
  return target;
}

beforeAll(async () => {
  api = await startFakeApi({ seed: 'transfer', companyCount: 20 });
});

afterAll(async () => {
  await api.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('the transfer archive between two computers', () => {
  let oldPc: Computer;
  let archive: string;
  let token: string;
  let ciphertext: string;
  const documents: { id: number; bytes: Buffer }[] = [];

  beforeAll(async () => {
    oldPc = computer('old');
    await call(oldPc, 'settings.update', {
      communeSiret: COMMUNE_SIRET,
      defaultContext: 'Marchés publics',
      defaultObject: 'Marché 2026-14 voirie',
      apiEnvironment: 'local',
      localApiUrl: api.url,
    });
    token = api.mintToken();
    expect(await call(oldPc, 'token.submit', { token })).toMatchObject({ status: 'stored' });
    ciphertext = (oldPc.store.get('apiToken') as { ciphertext: string }).ciphertext;
    expect(ciphertext.length).toBeGreaterThan(20);
    addSuppliers(oldPc, SUPPLIERS, (i) => (i === 42 ? 'Boulangerie Dupré' : `Entreprise n° ${i}`));
    for (let i = 0; i < 5; i++) {
      const bytes = pdfBytes(`fournisseur ${i}`);
      documents.push({ id: await addDocument(oldPc, bytes), bytes });
    }
    const zipDocument = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('statuts de l’association')]);
    documents.push({ id: await addDocument(oldPc, zipDocument, 'application/zip'), bytes: zipDocument });

    archive = join(tempFolder('usb'), transferArchiveFileName(new Date()));
    oldPc.dialogs.transferExportAnswers.push(archive);
    const report = await call<{ fileName: string; suppliers: number; documents: number; bytes: number }>(oldPc, 'transfer.export');
    expect(report).toEqual({ fileName: transferArchiveFileName(new Date()), suppliers: SUPPLIERS, documents: 6, bytes: statSync(archive).size });
  }, 60_000);

  afterAll(() => oldPc.core.close());

  it('proposes vigie-transfert-AAAA-MM-JJ.zip and leaves no work folder behind', () => {
    expect(oldPc.dialogs.proposedTransferNames[0]).toMatch(/^vigie-transfert-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(transferArchiveFileName(new Date('2026-12-31T23:30:00Z'))).toBe('vigie-transfert-2027-01-01.zip'); // Paris time
    expect(readdirSync(oldPc.dir).filter((name) => name.startsWith('.vigie-transfer-'))).toEqual([]);
    expect(readdirSync(join(archive, '..'))).toEqual([transferArchiveFileName(new Date())]);
  });

  it('holds a manifest with the hash of every entry, the database and the documents, and the settings without the token', async () => {
    const entries = await entriesOf(archive);
    const manifest = transferManifestSchema.parse(JSON.parse((entries.get(MANIFEST_ENTRY)?.data as Buffer).toString('utf8')));
    expect(manifest).toMatchObject({ format: 'vigie-transfert', formatVersion: 1, suppliers: SUPPLIERS, documents: 6, schemaVersion: oldPc.core.db.pragma('user_version', { simple: true }) });
    expect(manifest.settings).toEqual({
      communeSiret: COMMUNE_SIRET,
      defaultContext: 'Marchés publics',
      defaultObject: 'Marché 2026-14 voirie',
      apiEnvironment: 'local',
      localApiUrl: api.url,
    });
    expect([...entries.keys()].sort()).toEqual([MANIFEST_ENTRY, DATABASE_ENTRY, ...manifest.entries.filter((e) => e.name.startsWith('documents/')).map((e) => e.name)].sort());
    for (const item of manifest.entries) {
      const data = entries.get(item.name)?.data as Buffer;
      expect(data.length).toBe(item.size);
      expect(createHash('sha256').update(data).digest('hex')).toBe(item.sha256);
    }
    for (const document of documents) {
      const sha = createHash('sha256').update(document.bytes).digest('hex');
      expect(entries.has(`documents/${storedPathFor(sha, document.bytes[0] === 0x25 ? 'application/pdf' : 'application/zip')}`)).toBe(true);
    }
  });

  it('never carries the token, in clear or encrypted, in the archive nor in any entry', async () => {
    const raw = readFileSync(archive);
    const texts = [raw, ...[...(await entriesOf(archive)).values()].map((entry) => entry.data)];
    const secrets = [...leakForms(token), ciphertext, Buffer.from(ciphertext, 'base64').toString('latin1')];
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(Buffer.from(secret, secret === secrets.at(-1) ? 'latin1' : 'utf8'))).toBe(false);
    }
    const manifestText = (await entriesOf(archive)).get(MANIFEST_ENTRY)?.data.toString('utf8') ?? '';
    expect(manifestText).not.toMatch(/token|jeton|ciphertext/i);
  });

  it('replaces the register of the new computer after a preview and a confirmation: suppliers, search, identical documents, settings', async () => {
    const newPc = computer('new');
    try {
      await call(newPc, 'settings.update', { communeSiret: '', defaultObject: 'Autre objet', apiEnvironment: 'production' });
      addSuppliers(newPc, 1, () => 'Ancien fournisseur du nouveau poste', 900);
      const ownDocument = pdfBytes('du nouveau poste');
      await addDocument(newPc, ownDocument);

      newPc.dialogs.transferImportAnswers.push(archive);
      const preview = await call<{ importId: string; suppliers: number; documents: number; createdAt: string; communeSiret: string; tokenStoredHere: boolean; fileName: string }>(
        newPc,
        'transfer.previewImport',
      );
      expect(preview).toMatchObject({ suppliers: SUPPLIERS, documents: 6, communeSiret: COMMUNE_SIRET, tokenStoredHere: false, fileName: transferArchiveFileName(new Date()) });
      expect(Math.abs(Date.parse(preview.createdAt) - Date.now())).toBeLessThan(120_000);
      // the preview checked and staged the archive: the register is still the old one
      expect(await call(newPc, 'register.stats')).toMatchObject({ suppliers: 1 });

      expect(await call(newPc, 'transfer.commitImport', { importId: preview.importId })).toBeNull();
      expect(newPc.restarts).toBe(1);

      expect(await call(newPc, 'register.stats')).toMatchObject({ suppliers: SUPPLIERS });
      const found = await call<{ total: number; rows: { name: string }[] }>(newPc, 'register.search', { text: 'dupre' });
      expect(found.total).toBe(1);
      expect(found.rows[0]?.name).toBe('Boulangerie Dupré');
      expect((await call<{ total: number }>(newPc, 'register.search', { text: 'Ancien fournisseur' })).total).toBe(0);
      for (const document of documents) {
        const read = await call<{ base64: string }>(newPc, 'documents.read', { id: document.id });
        expect(Buffer.from(read.base64, 'base64').equals(document.bytes)).toBe(true);
      }
      expect(await call(newPc, 'settings.get')).toMatchObject({
        communeSiret: COMMUNE_SIRET,
        defaultContext: 'Marchés publics',
        defaultObject: 'Marché 2026-14 voirie',
        apiEnvironment: 'local',
      });
      expect(await call(newPc, 'token.summary')).toMatchObject({ state: 'absent' });

      // what was there is kept aside, not deleted
      const names = readdirSync(newPc.dir);
      const asideDb = names.find((name) => /^vigie\.sqlite3\.before-restore-/.test(name) && !/-(wal|shm|journal)$/.test(name));
      const asideDocuments = names.find((name) => name.startsWith('documents.before-transfer-'));
      expect(asideDb).toBeDefined();
      expect(asideDocuments).toBeDefined();
      const kept = new Database(join(newPc.dir, asideDb as string), { readonly: true });
      expect(kept.prepare('SELECT name FROM suppliers').pluck().all()).toEqual(['Ancien fournisseur du nouveau poste']);
      kept.close();
      const ownSha = createHash('sha256').update(ownDocument).digest('hex');
      expect(readFileSync(join(newPc.dir, asideDocuments as string, ...storedPathFor(ownSha, 'application/pdf').split('/'))).equals(ownDocument)).toBe(true);
      expect(names.filter((name) => name.startsWith('.vigie-transfer-'))).toEqual([]);
    } finally {
      newPc.core.close();
    }
  }, 60_000);

  it('tells the renderer in French that the import needs the installed app when no shell can restart, and discards the staged archive', async () => {
    const dir = tempFolder('harness');
    const dialogs = fakeDialogs({ transferImports: [archive] });
    const core = createVigieCore({ databasePath: join(dir, 'vigie.sqlite3'), userDataDir: dir, dialogs, logger: silentLogger });
    try {
      const preview = await core.dispatch('transfer.previewImport', {});
      expect(preview.ok).toBe(true);
      const importId = (preview as { value: { importId: string } }).value.importId;
      expect(readdirSync(dir).filter((name) => name.startsWith('.vigie-transfer-import-'))).toHaveLength(1);
      expect(await core.dispatch('transfer.commitImport', { importId })).toEqual({
        ok: false,
        error: { code: 'bad-input', message: 'L’import depuis un autre poste se fait depuis l’application installée.' },
      });
      expect(await core.dispatch('transfer.discardImport', { importId })).toEqual({ ok: true, value: null });
      expect(readdirSync(dir).filter((name) => name.startsWith('.vigie-transfer-'))).toEqual([]);
      expect(await core.dispatch('transfer.commitImport', { importId })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      core.close();
    }
  });

  describe('a bad archive is refused with a French message and nothing changed', () => {
    let target: Computer;
    let before: Record<string, string>;
    let forged: string;

    beforeAll(async () => {
      target = computer('target');
      addSuppliers(target, 3, (i) => `Fournisseur du poste ${i}`, 500);
      await addDocument(target, pdfBytes('du poste cible'));
      target.core.db.pragma('wal_checkpoint(TRUNCATE)');
      forged = tempFolder('forged');
    });
    afterAll(() => target.core.close());

    afterEach(async () => {
      // nothing in the user-data folder changed, no staging folder left, the register is the same
      expect(stateOf(target.dir)).toEqual(before);
      expect(await call(target, 'register.stats')).toMatchObject({ suppliers: 3 });
    });

    const refuse = async (path: string, reason: TransferArchiveError['reason'], message: RegExp) => {
      before = stateOf(target.dir);
      const failure = await readTransferArchive(path, { workDir: target.dir }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(TransferArchiveError);
      expect((failure as TransferArchiveError).reason).toBe(reason);
      expect((failure as TransferArchiveError).message).toMatch(message);
      expect((failure as TransferArchiveError).message).toMatch(/Le registre de ce poste n’a pas été modifié\.$/);
    };

    it('not a zip (through the IPC channel: the message reaches the screen)', async () => {
      const path = join(forged, 'notes.zip');
      writeFileSync(path, 'Ceci est un compte rendu de conseil municipal, pas une archive.\n');
      before = stateOf(target.dir);
      target.dialogs.transferImportAnswers.splice(0, Infinity, path);
      const answer = await target.core.dispatch('transfer.previewImport', {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/^Ce fichier n’est pas une archive de transfert lisible/) } });
    });

    it('truncated (a copy cut short)', async () => {
      const path = join(forged, 'coupee.zip');
      const bytes = readFileSync(archive);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await refuse(path, 'not_a_zip', /incomplet/);
    });

    it('a document altered inside the archive (its SHA-256 no longer matches)', async () => {
      const bytes = Buffer.from(readFileSync(archive));
      const marker = Buffer.from('fournisseur 3');
      const at = bytes.indexOf(marker);
      expect(at).toBeGreaterThan(0); // documents are stored, not deflated
      bytes[at] = 'F'.charCodeAt(0);
      const path = join(forged, 'modifiee.zip');
      writeFileSync(path, bytes);
      await refuse(path, 'damaged', /abîmée ou a été modifiée/);
    });

    it('a manifest whose hash does not match the database', async () => {
      const path = await rebuild(archive, join(forged, 'empreinte.zip'), (entries) => entries, (manifest) => ({
        ...manifest,
        entries: manifest.entries.map((entry) => (entry.name === DATABASE_ENTRY ? { ...entry, sha256: 'f'.repeat(64) } : entry)),
      }));
      await refuse(path, 'damaged', /« vigie\.sqlite3 »/);
    });

    it('an entry larger than the manifest says (sizes are capped by the manifest)', async () => {
      const path = await rebuild(archive, join(forged, 'taille.zip'), (entries) => entries, (manifest) => ({
        ...manifest,
        entries: manifest.entries.map((entry) => (entry.name === DATABASE_ENTRY ? { ...entry, size: 4096 } : entry)),
      }));
      await refuse(path, 'damaged', /vigie\.sqlite3/);
    });

    it('a file in the zip that the manifest does not list, or a name Vigie never writes', async () => {
      const extra = pdfBytes('glissé en plus');
      const extraName = `documents/${storedPathFor(createHash('sha256').update(extra).digest('hex'), 'application/pdf')}`;
      const path = await rebuild(archive, join(forged, 'en-plus.zip'), (entries) => entries, (manifest) => manifest);
      const withExtra = await rebuild(path, join(forged, 'en-plus-2.zip'), (entries) => [...entries, { name: extraName, data: extra }], (manifest) => ({
        ...manifest,
        entries: manifest.entries.filter((entry) => entry.name !== extraName),
      }));
      await refuse(withExtra, 'damaged', /abîmée ou a été modifiée/);
      const unexpected = await rebuild(archive, join(forged, 'inattendu.zip'), (entries) => [...entries, { name: 'documents/lisez-moi.exe', data: Buffer.from('MZ') }]);
      await refuse(unexpected, 'not_a_transfer_archive', /n’est pas une archive de transfert de Vigie/);
    });

    it('path traversal (zip-slip): `..`, an absolute path, a Windows drive or backslashes in an entry name', async () => {
      const good = readFileSync(archive);
      const manifest = transferManifestSchema.parse(JSON.parse((await entriesOf(archive)).get(MANIFEST_ENTRY)?.data.toString('utf8') ?? ''));
      const victim = manifest.entries.find((entry) => entry.name.startsWith('documents/'))?.name as string;
      const escape = tempFolder('escape');
      const evilNames = [
        `${'../'.repeat(12)}${escape.slice(1)}/`.padEnd(victim.length - 4, 'x') + '.pdf',
        `${escape}/`.padEnd(victim.length - 4, 'x') + '.pdf',
        'C:/Windows/'.padEnd(victim.length - 4, 'x') + '.pdf',
        'documents\\..\\..\\'.padEnd(victim.length - 4, 'x') + '.pdf',
      ];
      for (const [index, evil] of evilNames.entries()) {
        expect(evil.length).toBe(victim.length);
        // same length: every offset in the zip stays right, only the names differ
        const bytes = Buffer.from(good);
        let from = 0;
        let replaced = 0;
        for (let at = bytes.indexOf(victim, from); at !== -1; at = bytes.indexOf(victim, from)) {
          bytes.write(evil, at, 'latin1');
          from = at + victim.length;
          replaced++;
        }
        expect(replaced).toBe(2); // local header and central directory
        const path = join(forged, `evasion-${index}.zip`);
        writeFileSync(path, bytes);
        await refuse(path, 'unsafe_entry', /chemin interdit/);
      }
      expect(readdirSync(escape)).toEqual([]);
    });

    it('a symbolic link posing as a document', async () => {
      const path = await rebuild(archive, join(forged, 'lien.zip'), (entries) =>
        entries.map((entry) => (entry.name.startsWith('documents/') ? { ...entry, mode: 0o120777, data: Buffer.from('/etc/passwd') } : entry)),
      );
      await refuse(path, 'unsafe_entry', /chemin interdit/);
    });

    it('made by a newer Vigie: a newer archive format, or a database schema this version does not know', async () => {
      const newerFormat = await rebuild(archive, join(forged, 'format.zip'), (entries) => entries, (manifest) => ({ ...manifest, formatVersion: 2, somethingNew: true }));
      await refuse(newerFormat, 'too_new', /version plus récente de Vigie/);
      const newerSchema = await rebuild(archive, join(forged, 'schema.zip'), (entries) => entries, (manifest) => ({ ...manifest, schemaVersion: 999 }));
      await refuse(newerSchema, 'too_new', /version plus récente de Vigie/);
      // the manifest lies about the database: the database's own version is what counts
      const database = join(forged, 'newer.sqlite3');
      const original = (await entriesOf(archive)).get(DATABASE_ENTRY)?.data as Buffer;
      writeFileSync(database, original);
      const db = new Database(database);
      db.pragma('user_version = 999');
      db.close();
      const lying = await rebuild(archive, join(forged, 'schema-cache.zip'), (entries) =>
        entries.map((entry) => (entry.name === DATABASE_ENTRY ? { ...entry, data: readFileSync(database) } : entry)),
      );
      await refuse(lying, 'too_new', /version plus récente de Vigie/);
    });

    it('settings that would send the token elsewhere than API Entreprise or this computer', async () => {
      const path = await rebuild(archive, join(forged, 'parametres.zip'), (entries) => entries, (manifest) => ({
        ...manifest,
        settings: { ...manifest.settings, apiEnvironment: 'local', localApiUrl: 'http://collecte.example.org:8750' },
      }));
      await refuse(path, 'not_a_transfer_archive', /n’est pas une archive de transfert de Vigie/);
    });

    it('a damaged database (hashes recomputed so that only the integrity check can tell)', async () => {
      const original = (await entriesOf(archive)).get(DATABASE_ENTRY)?.data as Buffer;
      const broken = Buffer.from(original);
      // page 2 onwards overwritten: the header still says SQLite, the b-trees are garbage
      broken.fill(0x5a, 4096, Math.min(broken.length, 4096 * 4));
      const path = await rebuild(archive, join(forged, 'base-abimee.zip'), (entries) =>
        entries.map((entry) => (entry.name === DATABASE_ENTRY ? { ...entry, data: broken } : entry)),
      );
      await refuse(path, 'database_corrupt', /base de données contenue dans l’archive est endommagée/);
    });

    it('not enough free space for the extraction', async () => {
      before = stateOf(target.dir);
      const failure = await readTransferArchive(archive, { workDir: target.dir, freeBytes: () => Promise.resolve(1024 * 1024) }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransferArchiveError);
      expect((failure as TransferArchiveError).message).toMatch(/^Il n’y a pas assez de place sur le disque pour importer cette archive : il faut environ \d+ Mo libres, il en reste 1 Mo\./);
    });
  });

  describe('a full disk during the export', () => {
    it('leaves no archive, no temporary file and no work folder, and says so in French', async () => {
      const usb = tempFolder('full-usb');
      const destination = join(usb, 'vigie-transfert.zip');
      let written = 0;
      // a disk that fills up after 8 KiB: the first writes land in the temporary file, then ENOSPC
      const createOutput = (path: string) => {
        const file = createWriteStream(path, { flags: 'wx' });
        return new Writable({
          write(chunk: Buffer, _encoding, callback) {
            written += chunk.length;
            if (written > 8192) callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
            else file.write(chunk, callback);
          },
          final(callback) {
            file.end(callback);
          },
          destroy(error, callback) {
            file.destroy();
            if (file.closed) callback(error);
            else file.once('close', () => callback(error));
          },
        });
      };
      const failure = await exportTransferArchive({
        db: oldPc.core.db,
        documentsRoot: join(oldPc.dir, 'documents'),
        destination,
        workDir: oldPc.dir,
        settings: { communeSiret: COMMUNE_SIRET },
        appVersion: 'test',
        createOutput,
      } as Parameters<typeof exportTransferArchive>[0]).catch((error: unknown) => error);
      expect(written).toBeGreaterThan(8192);
      expect(failure).toBeInstanceOf(TransferArchiveError);
      expect((failure as TransferArchiveError).reason).toBe('disk_full');
      expect((failure as TransferArchiveError).message).toBe('Le disque est plein : l’archive n’a pas été créée. Libérez de la place puis recommencez.');
      expect(readdirSync(usb)).toEqual([]);
      expect(readdirSync(oldPc.dir).filter((name) => name.startsWith('.vigie-transfer-'))).toEqual([]);
    });
  });
});

describe('a large document', () => {
  it('is streamed through the export and the import: memory does not grow with its size', async () => {
    const pc = computer('large');
    try {
      addSuppliers(pc, 2, (i) => `Grand dossier ${i}`);
      // 50 MB written in 1 MiB slices, hashed on the way: never in memory as a whole
      const size = 50 * 1024 * 1024;
      const partial = join(pc.dir, 'large.part');
      const hash = createHash('sha256');
      const fd = openSync(partial, 'w');
      const slice = Buffer.alloc(1024 * 1024);
      for (let offset = 0; offset < size; offset += slice.length) {
        for (let i = 0; i < slice.length; i += 4) slice.writeUInt32LE((offset + i) * 2654435761 >>> 0, i);
        if (offset === 0) slice.write('%PDF-1.7\n', 0, 'latin1');
        writeSync(fd, slice);
        hash.update(slice);
      }
      closeSync(fd);
      const sha256 = hash.digest('hex');
      const storedPath = storedPathFor(sha256, 'application/pdf');
      const finalPath = join(pc.dir, 'documents', ...storedPath.split('/'));
      mkdirSync(join(finalPath, '..'), { recursive: true });
      renameSync(partial, finalPath);
      pc.core.db
        .prepare('INSERT INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(sha256, size, 'application/pdf', storedPath, '2026-11-20T02:00:00.000Z');

      const peakGrowthDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> => {
        const used = () => {
          const memory = process.memoryUsage();
          return memory.heapUsed + memory.arrayBuffers;
        };
        collectGarbage();
        const baseline = used();
        let peak = baseline;
        // live memory: collected first, so that buffers already released do not count (every 100 ms:
        // a full collection is not cheap). Released buffers are freed in the background, so a few
        // MB of noise remain; a document held whole in memory would add its 50 MB.
        const sampler = setInterval(() => {
          collectGarbage();
          peak = Math.max(peak, used());
        }, 100);
        try {
          const result = await work();
          collectGarbage();
          peak = Math.max(peak, used());
          return { result, growth: peak - baseline };
        } finally {
          clearInterval(sampler);
        }
      };

      const usb = tempFolder('large-usb');
      const exported = await peakGrowthDuring(() =>
        exportTransferArchive({
          db: pc.core.db,
          documentsRoot: join(pc.dir, 'documents'),
          destination: join(usb, 'grand.zip'),
          workDir: pc.dir,
          settings: { communeSiret: '', defaultContext: 'Marchés publics', defaultObject: 'Essai', apiEnvironment: 'production', localApiUrl: 'http://127.0.0.1:8750' },
          appVersion: 'test',
        }),
      );
      expect(exported.result.documents).toBe(1);
      expect(exported.result.bytes).toBeGreaterThan(size);
      expect(exported.growth).toBeLessThan(size / 2);

      const other = tempFolder('large-target');
      const staged = await peakGrowthDuring(() => readTransferArchive(join(usb, 'grand.zip'), { workDir: other }));
      expect(staged.growth).toBeLessThan(size / 2);
      const extracted = join(staged.result.documentsDir, ...storedPath.split('/'));
      expect(statSync(extracted).size).toBe(size);
      const check = createHash('sha256');
      for await (const chunk of createReadStream(extracted)) check.update(chunk as Buffer);
      expect(check.digest('hex')).toBe(sha256);
      expect(existsSync(staged.result.databasePath)).toBe(true);
    } finally {
      pc.core.close();
    }
  }, 120_000);
});
