import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { DEMO_DATABASE_NAME, DEMO_FOLDER_NAME, DemoModeSwitcher } from '../../src-main/node/app/demo-mode';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { complianceCounts, complianceParams, COMPLIANCE_STATES } from '../../src-main/node/register/compliance';
import { createConfStore } from '../../src-main/node/settings/conf-store';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';
import { validIdentifiers } from '../harness/fixtures';

const dialogs = { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) };
const COMMUNE = validIdentifiers(74).siret;

let dir: string;
let switcher: DemoModeSwitcher;
let realApi: FakeApiHandle;

async function ok<C extends IpcChannel>(channel: C, request: unknown = {}): Promise<IpcResponse<C>> {
  const envelope = await switcher.dispatch(channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as IpcResponse<C>;
}

/** As the shell does it: the switcher first, then the real core given the switcher's handlers. */
function openSwitcher(userDataDir: string): DemoModeSwitcher {
  let real: VigieCore | null = null;
  const opened = new DemoModeSwitcher({ userDataDir, logger: silentLogger, realCore: () => real, demoCore: { dialogs } });
  real = createVigieCore({
    databasePath: join(userDataDir, 'vigie.sqlite3'),
    userDataDir,
    store: createConfStore(userDataDir),
    cipher: new LocalKeyCipher(join(userDataDir, 'token.key')),
    dialogs,
    logger: silentLogger,
    demoMode: opened.handlers,
  });
  return opened;
}

/** Every file the user's own data is made of, by path, with its SHA-256. */
function realFiles(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = join(folder, name);
      if (full === join(dir, DEMO_FOLDER_NAME)) continue;
      if (statSync(full).isDirectory()) walk(full);
      // SQLite's shared-memory index is rewritten by every reader; it holds no data
      else if (!name.endsWith('-shm')) found.set(relative(dir, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return found;
}

/** Listening sockets of this process, once the handles closed by the last step are released. */
async function listeningServers(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function counts(core: VigieCore) {
  return complianceCounts(core.db, complianceParams(new Date().toISOString().slice(0, 10), true));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-demo-mode-'));
  realApi = await startFakeApi({ seed: 'demo-mode-real', companyCount: 50 });
  switcher = openSwitcher(dir);
});

afterAll(async () => {
  await switcher.close();
  await realApi.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demonstration mode', () => {
  it('is offered on a first launch only: no token and an empty register', async () => {
    expect(await ok('demo.status')).toEqual({ active: false, offered: true });
    // the user's own start: a token and two suppliers, against another API
    await ok('settings.update', { communeSiret: COMMUNE, apiEnvironment: 'local', localApiUrl: realApi.url });
    expect(await ok('token.submit', { token: realApi.mintToken(), consentToWeakProtection: true })).toMatchObject({ status: 'stored' });
    expect(await ok('demo.status')).toEqual({ active: false, offered: false });
    for (const company of realApi.companies.find(['active'], 2)) {
      await ok('supplier.create', { identifier: company.establishments[0]?.siret ?? '', name: company.name });
    }
  });

  it('a core opened without the switcher offers none and says so in French', async () => {
    const other = mkdtempSync(join(tmpdir(), 'vigie-demo-none-'));
    const core = createVigieCore({ databasePath: join(other, 'v.sqlite3'), userDataDir: other, dialogs, logger: silentLogger });
    try {
      expect(await core.dispatch('demo.status', {})).toEqual({ ok: true, value: { active: false, offered: false } });
      const refused = await core.dispatch('demo.enter', {});
      expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('démonstration') } });
    } finally {
      core.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('enters on a separate database of a few hundred suppliers in every state, with their documents, and leaves the real data byte for byte', async () => {
    const before = realFiles();
    expect(before.has('vigie.sqlite3')).toBe(true);
    expect([...before.keys()].some((name) => name.startsWith('vigie-settings'))).toBe(true);
    const realSettings = await ok('settings.get');
    const realToken = await ok('token.summary');
    const serversBefore = await listeningServers();

    const started = Date.now();
    expect(await ok('demo.enter')).toEqual({ active: true, offered: false });
    const buildMs = Date.now() - started;
    expect(buildMs).toBeLessThan(30_000);
    expect(switcher.active).toBe(true);
    expect(switcher.current).not.toBe(switcher.real);
    expect(await listeningServers()).toBe(serversBefore + 1);
    expect(existsSync(join(dir, DEMO_FOLDER_NAME, DEMO_DATABASE_NAME))).toBe(true);

    // the demonstration's own register, settings and token
    const demo = switcher.current;
    const stats = await ok('register.stats');
    expect(stats.suppliers).toBeGreaterThanOrEqual(200);
    expect(stats.suppliers).toBeLessThan(1_000);
    const state = counts(demo);
    for (const compliance of COMPLIANCE_STATES.filter((s) => s !== 'non_habilite')) expect(state[compliance], compliance).toBeGreaterThan(0);
    // « non habilité » is the state of every unknown supplier when the token lacks the URSSAF
    // privilege: with the demonstration token, which has it, those suppliers are « inconnue »
    expect(state.non_habilite).toBe(0);
    const dashboard = await ok('dashboard.summary');
    expect(dashboard.compliance).toEqual(state);
    expect(dashboard.token.state).toBe('valide');
    expect(dashboard.lastRun).toMatchObject({ state: 'completed', trigger: 'night' });
    const demoSettings = await ok('settings.get');
    expect(demoSettings).toMatchObject({ apiEnvironment: 'local', localApiUrl: switcher.demoApiUrl });
    expect(demoSettings.communeSiret).not.toBe(COMMUNE);

    // documents on disk, readable offline: the attestations' PDFs
    const documents = demo.db.prepare(`SELECT id FROM documents`).pluck().all() as number[];
    expect(documents.length).toBeGreaterThan(100);
    expect(filesUnder(join(dir, DEMO_FOLDER_NAME, 'documents')).length).toBeGreaterThanOrEqual(documents.length);
    const urssafDocument = demo.db
      .prepare(`SELECT document_id FROM attestations WHERE kind = 'urssaf_vigilance' AND document_id IS NOT NULL LIMIT 1`)
      .pluck()
      .get() as number;
    const pdf = await ok('documents.read', { id: urssafDocument });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // using the demonstration: edits, settings, a refresh
    const first = (await ok('register.search', { text: '' })).rows[0];
    await ok('supplier.update', { id: first?.id ?? 0, notes: 'Annoté pendant la démonstration' });
    await ok('settings.update', { defaultObject: 'Essai de démonstration' });
    await ok('supplier.refreshNow', { id: first?.id ?? 0 });
    for (let i = 0; i < 100 && (await ok('refresh.status')).running; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));

    expect(await ok('demo.leave')).toEqual({ active: false, offered: false });
    expect(switcher.current).toBe(switcher.real);
    expect(await listeningServers()).toBe(serversBefore);
    // the real core again: its register, its settings, its token
    expect((await ok('register.stats')).suppliers).toBe(2);
    expect(await ok('settings.get')).toEqual(realSettings);
    expect(await ok('token.summary')).toEqual({ ...realToken, lifetimeUsed: expect.any(Number) });
    expect(realFiles()).toEqual(before);
  }, 60_000);

  it('stops the fake API when leaving: its address answers no more', async () => {
    await ok('demo.enter');
    const url = switcher.demoApiUrl as string;
    expect((await fetch(`${url}/privileges`)).status).toBe(401);
    await ok('demo.leave');
    await expect(fetch(`${url}/privileges`)).rejects.toThrow();
    expect(switcher.demoApiUrl).toBeNull();
  }, 60_000);

  it('keeps the demonstration register for the same day, and rebuilds one from an earlier day', async () => {
    const started = Date.now();
    await ok('demo.enter');
    expect(Date.now() - started).toBeLessThan(5_000);
    const notes = () => switcher.current.db.prepare(`SELECT count(*) FROM suppliers WHERE notes = 'Annoté pendant la démonstration'`).pluck().get();
    expect(notes()).toBe(1);
    await ok('demo.leave');

    const marker = join(dir, DEMO_FOLDER_NAME, 'demonstration.json');
    const stale = { ...(JSON.parse(readFileSync(marker, 'utf8')) as object), builtOn: '2000-01-01' };
    writeFileSync(marker, JSON.stringify(stale));
    await ok('demo.enter');
    expect(notes()).toBe(0);
    expect(counts(switcher.current).expiree).toBeGreaterThan(0);
    await ok('demo.leave');
  }, 60_000);

  it('two « Essayer » at once open one demonstration; closing the app stops it', async () => {
    const servers = await listeningServers();
    const [a, b] = await Promise.all([ok('demo.enter'), ok('demo.enter')]);
    expect(a).toEqual(b);
    expect(await listeningServers()).toBe(servers + 1);
    await switcher.stopDemonstration();
    expect(await listeningServers()).toBe(servers);
    expect(switcher.active).toBe(false);
    await expect(switcher.enter()).rejects.toThrow();
  }, 60_000);
});
