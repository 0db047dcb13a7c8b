// With a real token stored through the core, nothing the app produces may contain it: IPC
// answers, log lines, errors, files under the user-data folder (clear, base64 or URL-encoded),
// the call journal.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type IpcChannel } from '../../src-main/common/ipc-channels';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { lookupSupplier } from '../../src-main/node/api-entreprise/supplier-lookup';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import type { Logger } from '../../src-main/node/logger';
import { createConfStore } from '../../src-main/node/settings/conf-store';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';
import { leakForms } from '../support/test-tokens';

let api: FakeApiHandle;
let dir: string;
let core: VigieCore;
let token: string;
const logLines: string[] = [];
const texts: string[] = [];
const opened: string[] = [];

const logger: Logger = {
  info: (message, fields) => logLines.push(JSON.stringify({ message, fields })),
  warn: (message, fields) => logLines.push(JSON.stringify({ message, fields })),
  error: (message, fields) => logLines.push(JSON.stringify({ message, fields })),
};

const REQUESTS: Record<IpcChannel, unknown> = {
  'register.search': { text: 'a' },
  'register.stats': {},
  'register.get': { id: 1 },
  'csv.chooseImportFile': {},
  'csv.previewImport': { fileId: 'a'.repeat(32) },
  'csv.commitImport': { fileId: 'a'.repeat(32), mapping: {} },
  'csv.exportRegister': {},
  'token.summary': {},
  'token.submit': { token: 'not.a.token' },
  'token.remove': null, // would wipe the token under test: called last, separately
  'token.reminder': {},
  'token.acknowledgeReminder': { thresholdDays: 90 },
  'token.openAccountPage': {},
  'settings.get': {},
  'settings.update': { defaultObject: 'Contrôle annuel' },
  'app.about': {},
  'app.restartNotice': {},
  'dashboard.summary': {},
  'supplier.create': { identifier: '55212022200013', name: 'Créé pendant le test' },
  'supplier.detail': { id: 1 },
  'supplier.update': { id: 1, notes: 'Revu' },
  'supplier.lookup': { identifier: '55212022200013' },
  'documents.read': { id: 1 },
  'documents.saveAs': { id: 1 },
  'journal.search': {},
  'journal.export': {},
  'refresh.status': {},
  'refresh.start': {},
  'refresh.pause': {},
  'refresh.resume': {},
  'refresh.cancel': {},
  'refresh.history': {},
  'refresh.settings.get': {},
  'refresh.settings.update': { companyMaxAgeDays: 10 },
  'refresh.answerCatchUp': { start: false },
  'supplier.refreshNow': { id: 1 },
  'backups.list': {},
  'backups.create': {},
  'backups.restore': { fileName: 'absent.sqlite3' },
  'connection.test': {},
  'dataFolder.get': {},
  'dataFolder.move': { to: 'default' },
  'dataFolder.cancelMove': {},
  'demo.status': {},
  'demo.enter': {},
  'demo.leave': {},
  'transfer.export': {},
  'transfer.previewImport': {},
  'transfer.commitImport': { importId: 'a'.repeat(32) },
  'transfer.discardImport': { importId: 'a'.repeat(32) },
};

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

beforeAll(async () => {
  api = await startFakeApi({ seed: 'secrecy', companyCount: 300 });
  dir = mkdtempSync(join(tmpdir(), 'vigie-secrecy-'));
  const inner = new LocalKeyCipher(join(dir, 'keychain-stand-in.key'));
  core = createVigieCore({
    databasePath: join(dir, 'vigie.sqlite3'),
    userDataDir: dir,
    store: createConfStore(dir),
    cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
    dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
    logger,
    desktop: { openExternal: (url) => Promise.resolve(void opened.push(url)) },
  });
  const settings = await core.dispatch('settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
  expect(settings.ok).toBe(true);
  token = api.mintToken();
  const stored = await core.dispatch('token.submit', { token });
  texts.push(JSON.stringify(stored));
  expect(stored).toMatchObject({ ok: true, value: { status: 'stored' } });

  // real calls: successes, a 404, a provider failure, a document download
  const client = core.api.client();
  const ok = api.companies.example('active', 'urssaf_ok', 'dgfip_known');
  const unknownToDgfip = api.companies.example('dgfip_unknown');
  api.faults.forceNext('provider_error', 5, { endpoint: 'insee.unite_legale' });
  for (const company of [ok, unknownToDgfip]) {
    const result = await lookupSupplier(client, company.establishments[0]?.siret as string);
    texts.push(JSON.stringify(result));
  }
  try {
    await client.call('insee.unite_legale', '000000000');
  } catch (error) {
    if (error instanceof ApiEntrepriseError) texts.push(String(error), error.stack ?? '', JSON.stringify(error), error.userMessage);
  }
  for (const channel of IPC_CHANNELS) {
    if (channel === 'token.remove') continue;
    texts.push(JSON.stringify(await core.dispatch(channel, REQUESTS[channel])));
  }
}, 60_000);

afterAll(async () => {
  core.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the token never leaves the main process', () => {
  it('is absent from every IPC answer, error and lookup result', () => {
    expect(texts.length).toBeGreaterThan(IPC_CHANNELS.length);
    const all = texts.join('\n');
    for (const form of leakForms(token)) expect(all).not.toContain(form);
  });

  it('is absent from every log line, and so are Authorization headers', () => {
    expect(logLines.length).toBeGreaterThan(3);
    const all = logLines.join('\n');
    for (const form of leakForms(token)) expect(all).not.toContain(form);
    expect(all).not.toMatch(/authorization|bearer/i);
  });

  it('is absent from every file under the user-data folder, in clear, base64 or URL-encoded form', () => {
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
    expect(files.some((f) => f.endsWith('vigie-settings.json'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const form of leakForms(token)) expect(bytes.includes(Buffer.from(form)), `${file} contains the token`).toBe(false);
    }
  });

  it('never appears in the call journal, nor does any header', () => {
    const rows = core.db.prepare('SELECT * FROM call_journal').all();
    expect(rows.length).toBeGreaterThan(5);
    const all = JSON.stringify(rows);
    for (const form of leakForms(token)) expect(all).not.toContain(form);
    expect(all).not.toMatch(/authorization|bearer/i);
  });

  it('opens only the fixed account page in the system browser', () => {
    expect(opened).toEqual(['https://entreprise.api.gouv.fr/compte']);
  });

  it('stops every call once API Entreprise blacklists it, and the state says so', async () => {
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { jti: string };
    api.blacklist(jti.jti);
    const client = core.api.client();
    const company = api.companies.example('active');
    await expect(client.call('insee.unite_legale', company.siren)).rejects.toMatchObject({ kind: 'token_blacklisted' });
    const before = api.stats.apiCalls;
    await expect(client.call('urssaf.attestation_vigilance', company.siren)).rejects.toMatchObject({ kind: 'token_blacklisted' });
    expect(api.stats.apiCalls).toBe(before);
    const summary = await core.dispatch('token.summary', {});
    expect(summary).toMatchObject({ ok: true, value: { state: 'revoque' } });
  });

  it('is wiped from disk on removal', async () => {
    const removed = await core.dispatch('token.remove', {});
    expect(removed).toMatchObject({ ok: true, value: { state: 'absent' } });
    const settingsFile = filesUnder(dir).find((f) => f.endsWith('vigie-settings.json')) as string;
    expect(readFileSync(settingsFile, 'utf8')).not.toContain('ciphertext');
  });
});
