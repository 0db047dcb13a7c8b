import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { DocumentStore } from '../../src-main/node/documents/document-store';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';

let api: FakeApiHandle;
let dir: string;
let core: VigieCore;
const saves: { document: string | null; csv: string | null } = { document: null, csv: null };

async function ok<C extends IpcChannel>(channel: C, request: unknown): Promise<IpcResponse<C>> {
  const envelope = await core.dispatch(channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as IpcResponse<C>;
}

beforeAll(async () => {
  api = await startFakeApi({ seed: 'supplier-handlers', companyCount: 300 });
  dir = mkdtempSync(join(tmpdir(), 'vigie-supplier-'));
  const inner = new LocalKeyCipher(join(dir, 'k'));
  core = createVigieCore({
    databasePath: join(dir, 'vigie.sqlite3'),
    userDataDir: dir,
    cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
    dialogs: {
      chooseCsvToImport: () => Promise.resolve(null),
      chooseCsvExportPath: () => Promise.resolve(saves.csv),
      chooseDocumentSavePath: () => Promise.resolve(saves.document),
    },
    logger: silentLogger,
  });
  await ok('settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
  await ok('token.submit', { token: api.mintToken() });
});

afterAll(async () => {
  core.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adding a supplier', () => {
  it('prefills from INSEE, lets the agent correct every field, and refuses a duplicate', async () => {
    const company = api.companies.example('active');
    const siret = company.establishments[0]?.siret as string;
    const prefill = await ok('supplier.lookup', { identifier: siret });
    expect(prefill).toMatchObject({ siren: company.siren, siret, ceased: false, problems: [] });
    expect(prefill.name).toBeTruthy();
    const created = await ok('supplier.create', { identifier: siret, name: 'Nom corrigé par l’agent', city: prefill.city ?? '', tags: ['voirie'] });
    expect(created).toMatchObject({ siret, name: 'Nom corrigé par l’agent', tags: ['voirie'] });
    const again = await core.dispatch('supplier.create', { identifier: siret, name: 'x' });
    expect(again).toMatchObject({ ok: false, error: { message: expect.stringContaining('déjà dans le registre') } });
    const edited = await ok('supplier.update', { id: created.id, city: '', notes: 'Contrat 2026-12', active: false });
    expect(edited).toMatchObject({ city: null, notes: 'Contrat 2026-12', active: false });
  });

  it('explains an invalid identifier and a company unknown to INSEE in French', async () => {
    expect(await core.dispatch('supplier.lookup', { identifier: '552120223' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('clé de contrôle') },
    });
    const unknown = await ok('supplier.lookup', { identifier: '552120222' });
    expect(unknown.problems.join(' ')).toMatch(/Non trouvé/);
    expect(unknown.name).toBeNull();
  });
});

describe('supplier detail, documents and journal', () => {
  it('shows attestations with their state and history, and serves the PDF bytes', async () => {
    const company = api.companies.example('active', 'urssaf_ok');
    const supplier = await ok('supplier.create', { identifier: company.siren, name: company.name ?? 'X' });
    const store = new DocumentStore({ root: join(dir, 'documents') });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const stored = await store.put(pdf, 'application/pdf');
    const docId = core.db
      .prepare('INSERT INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(stored.sha256, stored.sizeBytes, stored.mediaType, stored.storedPath, '2026-11-28T02:00:00Z').lastInsertRowid as number;
    const insert = core.db.prepare(
      `INSERT INTO attestations (siren, kind, endpoint, status, valid_from, valid_until, security_code, document_id, fetched_at, raw_json)
       VALUES (?, 'urssaf_vigilance', 'urssaf.attestation_vigilance', ?, ?, ?, ?, ?, ?, '{}')`,
    );
    insert.run(company.siren, 'delivered', '2025-11-01', '2026-04-30', 'OLD1', null, '2025-11-02T02:00:00Z');
    insert.run(company.siren, 'delivered', '2026-11-01', '2027-05-31', 'NEW2', docId, '2026-11-28T02:00:00Z');
    const detail = await ok('supplier.detail', { id: supplier.id });
    const urssaf = detail?.attestations.filter((a) => a.kind === 'urssaf_vigilance') ?? [];
    expect(urssaf.map((a) => [a.securityCode, a.latest])).toEqual([
      ['NEW2', true],
      ['OLD1', false],
    ]);
    expect(urssaf[0]).toMatchObject({ label: 'Attestation de vigilance (URSSAF)', document: { id: docId, mediaType: 'application/pdf' } });
    expect(urssaf[1]?.state).toBe('expiree');
    const bytes = await ok('documents.read', { id: docId });
    expect(Buffer.from(bytes.base64, 'base64').equals(pdf)).toBe(true);
    expect(bytes.fileName).toMatch(/^urssaf-vigilance-[A-Za-z0-9-]+\.pdf$/);
    saves.document = join(dir, 'copie.pdf');
    expect(await ok('documents.saveAs', { id: docId })).toEqual({ fileName: 'copie.pdf', rows: 1 });
    expect(readFileSync(saves.document).equals(pdf)).toBe(true);
  });

  it('filters the call journal and exports it for an audit', async () => {
    const all = await ok('journal.search', {});
    expect(all.total).toBeGreaterThanOrEqual(3);
    const errors = await ok('journal.search', { outcome: 'error' });
    expect(errors.rows.every((r) => r.outcome !== 'ok')).toBe(true);
    expect(errors.rows.some((r) => r.outcome === 'not_found')).toBe(true);
    const insee = await ok('journal.search', { endpoint: 'insee.unite_legale', limit: 1 });
    expect(insee.rows).toHaveLength(1);
    expect(insee.rows[0]?.endpointLabel).toBe('Unité légale (INSEE)');
    saves.csv = join(dir, 'journal.csv');
    const exported = await ok('journal.export', { outcome: 'all' });
    expect(exported?.rows).toBe(all.total);
    const text = readFileSync(saves.csv, 'utf8');
    expect(text.startsWith('\ufeffDate;Point d’accès;Fournisseur')).toBe(true);
    expect(text).not.toMatch(/authorization|bearer/i);
  });
});
