import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { nextNightStart } from '../../src-main/node/app/refresh-service';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';

let api: FakeApiHandle;
let dir: string;
let core: VigieCore;
const notifications: string[] = [];
const awake: boolean[] = [];

async function ok<C extends IpcChannel>(channel: C, request: unknown): Promise<IpcResponse<C>> {
  const envelope = await core.dispatch(channel, request);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
  return envelope.value as IpcResponse<C>;
}

async function waitUntilIdle(): Promise<IpcResponse<'refresh.status'>> {
  for (let i = 0; i < 300; i += 1) {
    const status = await ok('refresh.status', {});
    if (!status.running) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the run did not finish');
}

beforeAll(async () => {
  api = await startFakeApi({ seed: 'refresh-service', companyCount: 300 });
  dir = mkdtempSync(join(tmpdir(), 'vigie-refresh-service-'));
  const inner = new LocalKeyCipher(join(dir, 'k'));
  core = createVigieCore({
    databasePath: join(dir, 'vigie.sqlite3'),
    userDataDir: dir,
    cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
    dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
    logger: silentLogger,
    desktop: {
      openExternal: () => Promise.resolve(),
      notify: (_title, body) => notifications.push(body),
      keepAwake: (active) => awake.push(active),
    },
  });
  await ok('settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
});

afterAll(async () => {
  core.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('refreshing the register from the app', () => {
  it('refuses to start without a token, in French', async () => {
    const status = await ok('refresh.start', {});
    expect(status).toMatchObject({ running: false, message: expect.stringContaining('Aucun jeton') });
  });

  it('runs, reports, notifies once, keeps the computer awake meanwhile, and feeds the dashboard and the supplier screen', async () => {
    await ok('token.submit', { token: api.mintToken() });
    const refused = api.companies.example('active', 'urssaf_refused');
    const fine = api.companies.example('active', 'urssaf_ok', 'dgfip_known');
    const created = [];
    for (const company of [refused, fine]) {
      created.push(await ok('supplier.create', { identifier: company.establishments[0]?.siret as string, name: company.name ?? 'X' }));
    }
    const started = await ok('refresh.start', {});
    expect(started.message).toBeNull();
    const done = await waitUntilIdle();
    expect(done.lastRun).toMatchObject({ state: 'completed', trigger: 'manual' });
    expect(done.lastRun?.summary).toMatch(/\S/);
    expect(done.changes.some((c) => /URSSAF|refus/i.test(c.description))).toBe(true);
    expect(notifications).toEqual([done.lastRun?.summary]);
    expect(awake).toEqual([true, false]);
    const dashboard = await ok('dashboard.summary', {});
    expect(dashboard.lastRun?.id).toBe(done.lastRun?.id);
    expect(dashboard.compliance.refus).toBe(1);
    expect(dashboard.compliance.a_jour).toBe(1);
    const detail = await ok('supplier.detail', { id: created[1]?.id ?? 0 });
    expect(detail?.freshness?.dataAsOf).toMatch(/^données au \d{2}\/\d{2}\/\d{4}$/);
    expect(detail?.attestations.some((a) => a.kind === 'urssaf_vigilance' && a.document !== null)).toBe(true);
    expect(detail?.company).not.toBeNull();
    const history = await ok('refresh.history', {});
    expect(history[0]?.id).toBe(done.lastRun?.id);
  });

  it('refreshes one supplier on demand', async () => {
    const before = api.stats.apiCalls;
    const status = await ok('supplier.refreshNow', { id: 1 });
    expect(status.message).toBeNull();
    await waitUntilIdle();
    expect(api.stats.apiCalls).toBeGreaterThan(before);
  });

  it('never shows an English technical error when a run cannot start', async () => {
    const start = vi.spyOn(core.refresh.engine, 'start').mockImplementation(() => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    try {
      const status = await ok('refresh.start', {});
      expect(status.message).toBe('La mise à jour n’a pas pu démarrer : le détail est dans le journal de Vigie.');
      expect(status.message).not.toMatch(/locked/);
    } finally {
      start.mockRestore();
    }
  });

  it('plans the night at 1 a.m. local time', () => {
    const evening = new Date(2026, 10, 28, 22, 30).getTime();
    expect(new Date(nextNightStart(evening))).toEqual(new Date(2026, 10, 29, 1, 0));
    const earlyMorning = new Date(2026, 10, 28, 0, 15).getTime();
    expect(new Date(nextNightStart(earlyMorning))).toEqual(new Date(2026, 10, 28, 1, 0));
  });
});
