// The night schedule as the user sets it: the timer at the window's start (in local time, through
// changes of time), re-armed when the settings change; a night missed while Vigie was closed or
// the computer asleep, caught up at once or asked about; the user's freshness rules as the
// engine's policy, and the French errors of invalid settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcChannel, IpcResponse } from '../../src-main/common/ipc-contract';
import { nightWindowProblem } from '../../src-main/common/refresh-settings';
import { nextNightStart } from '../../src-main/node/app/refresh-service';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import type { Clock } from '../../src-main/node/clock';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { silentLogger } from '../../src-main/node/logger';
import { DEFAULT_FRESHNESS_POLICY, freshnessPolicySchema } from '../../src-main/node/refresh/freshness-policy';
import { MemoryKeyValueStore } from '../../src-main/node/settings/key-value-store';
import {
  DEFAULT_REFRESH_SETTINGS,
  latestNightWindow,
  REFRESH_DAY_LIMITS,
  REFRESH_SETTINGS_KEY,
  RefreshSettingsRepository,
  toFreshnessPolicy,
  validateRefreshSettings,
} from '../../src-main/node/settings/refresh-settings';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';
import { ManualClock } from '../support/manual-clock';

// the town hall's time zone, with its changes of time, whatever the machine running the tests says
const previousTz = process.env.TZ;
process.env.TZ = 'Europe/Paris';

const HOUR = 3_600_000;
const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min).getTime();

/**
 * The manual clock, plus sleep: the wall clock moves while timers stand still, as a computer's
 * timers do while it sleeps (they fire that much later once it wakes).
 */
class SleepyClock implements Clock {
  readonly inner: ManualClock;
  private slept = 0;

  constructor(start: number) {
    this.inner = new ManualClock(start);
  }

  now(): number {
    return this.inner.now() + this.slept;
  }

  setTimer(callback: () => void, ms: number): () => void {
    return this.inner.setTimer(callback, ms);
  }

  advance(ms: number): Promise<void> {
    return this.inner.advance(ms);
  }

  /** Advances to a local wall-clock instant, firing the timers on the way. */
  advanceTo(at: number): Promise<void> {
    return this.inner.advance(at - this.now());
  }

  sleep(ms: number): void {
    this.slept += ms;
  }
}

afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('night window arithmetic (Europe/Paris)', () => {
  it('plans the next start at the configured local time, today or tomorrow', () => {
    expect(nextNightStart(local(2027, 1, 12, 20, 0), { nightStart: '22:30' })).toBe(local(2027, 1, 12, 22, 30));
    expect(nextNightStart(local(2027, 1, 12, 22, 30), { nightStart: '22:30' })).toBe(local(2027, 1, 13, 22, 30));
    // the default stays at 1 a.m.
    expect(nextNightStart(local(2027, 1, 12, 23, 0))).toBe(local(2027, 1, 13, 1, 0));
  });

  it('handles a window that crosses midnight', () => {
    const window = { nightStart: '23:00', nightEnd: '02:00' };
    expect(latestNightWindow(local(2027, 1, 13, 0, 30), window)).toEqual({ start: local(2027, 1, 12, 23, 0), end: local(2027, 1, 13, 2, 0) });
    expect(latestNightWindow(local(2027, 1, 13, 23, 30), window)).toEqual({ start: local(2027, 1, 13, 23, 0), end: local(2027, 1, 14, 2, 0) });
    expect(latestNightWindow(local(2027, 1, 13, 12, 0), window)).toEqual({ start: local(2027, 1, 12, 23, 0), end: local(2027, 1, 13, 2, 0) });
  });

  it('keeps local times through the changes of time (DST): 01:00 stays 01:00, the night is shorter or longer', () => {
    const window = { nightStart: '01:00', nightEnd: '05:00' };
    // 28/03/2027: 02:00 CET becomes 03:00 CEST
    const spring = latestNightWindow(Date.UTC(2027, 2, 28, 6, 0), window);
    expect(new Date(spring.start).toISOString()).toBe('2027-03-28T00:00:00.000Z');
    expect(new Date(spring.end).toISOString()).toBe('2027-03-28T03:00:00.000Z');
    expect(nextNightStart(Date.UTC(2027, 2, 28, 12, 0), window)).toBe(Date.UTC(2027, 2, 28, 23, 0));
    // 31/10/2027: 03:00 CEST becomes 02:00 CET
    const autumn = latestNightWindow(Date.UTC(2027, 9, 31, 8, 0), window);
    expect(new Date(autumn.start).toISOString()).toBe('2027-10-30T23:00:00.000Z');
    expect(autumn.end - autumn.start).toBe(5 * HOUR);
    expect(nextNightStart(Date.UTC(2027, 9, 31, 12, 0), window)).toBe(Date.UTC(2027, 10, 1, 0, 0));
  });
});

describe('refresh settings and the freshness policy', () => {
  it('maps the settings onto the engine’s policy, keeping what the user does not edit', () => {
    const policy = toFreshnessPolicy({
      ...DEFAULT_REFRESH_SETTINGS,
      nightStart: '22:00',
      nightEnd: '06:30',
      enabledEndpoints: ['insee.unite_legale', 'urssaf.attestation_vigilance'],
      companyMaxAgeDays: 14,
      establishmentMaxAgeDays: 21,
      attestationRenewDaysBeforeExpiry: 45,
      attestationMaxAgeDays: 60,
      certificationsMaxAgeDays: 90,
      ceasedMaxAgeDays: 180,
    });
    expect(policy.nightWindowHours).toBe(8.5);
    expect(policy.enabledEndpoints).toEqual(['insee.unite_legale', 'urssaf.attestation_vigilance']);
    expect(policy.company).toEqual({ maxAgeDays: 14, graceDays: DEFAULT_FRESHNESS_POLICY.company.graceDays });
    expect(policy.establishment.maxAgeDays).toBe(21);
    expect(policy.attestations).toMatchObject({ renewDaysBeforeExpiry: 45, maxAgeDays: 60, graceDays: DEFAULT_FRESHNESS_POLICY.attestations.graceDays });
    expect(policy.certifications.maxAgeDays).toBe(90);
    expect(policy.ceased).toEqual({ maxAgeDays: 180, refreshDocuments: false });
    expect(policy.callObject).toBe(DEFAULT_FRESHNESS_POLICY.callObject);
    // the defaults are the engine's
    expect(toFreshnessPolicy(DEFAULT_REFRESH_SETTINGS)).toEqual(DEFAULT_FRESHNESS_POLICY);
  });

  it('takes the day bounds from the engine’s schema', () => {
    const maxAge = freshnessPolicySchema.shape.company.unwrap().shape.maxAgeDays.unwrap();
    expect(REFRESH_DAY_LIMITS.companyMaxAgeDays).toEqual({ min: Math.ceil(maxAge.minValue ?? 0), max: maxAge.maxValue });
    expect(REFRESH_DAY_LIMITS.ceasedMaxAgeDays).toEqual({ min: 1, max: 3_650 });
  });

  it('refuses invalid settings with a French message naming the field', () => {
    const check = (patch: Record<string, unknown>) => validateRefreshSettings({ ...DEFAULT_REFRESH_SETTINGS, ...patch });
    expect(check({ nightStart: '01:00', nightEnd: '01:10' })).toMatchObject({ ok: false, field: 'nightEnd', message: expect.stringContaining('au moins 15 minutes') });
    expect(check({ nightStart: '20:00', nightEnd: '09:00' })).toMatchObject({ ok: false, field: 'nightEnd', message: expect.stringContaining('au plus 12 heures') });
    expect(check({ nightStart: '25:00' })).toMatchObject({ ok: false, field: 'nightStart', message: expect.stringContaining('HH:MM') });
    expect(check({ companyMaxAgeDays: 0 })).toMatchObject({ ok: false, field: 'companyMaxAgeDays', message: expect.stringContaining('entre 1 et 3\u00a0650 jours') });
    expect(check({ attestationMaxAgeDays: 4_000 })).toMatchObject({ ok: false, field: 'attestationMaxAgeDays' });
    expect(check({ certificationsMaxAgeDays: 7.5 })).toMatchObject({ ok: false, field: 'certificationsMaxAgeDays', message: expect.stringContaining('nombre entier') });
    expect(check({ enabledEndpoints: [] })).toMatchObject({ ok: false, field: 'enabledEndpoints', message: expect.stringContaining('au moins une') });
    expect(check({ enabledEndpoints: ['privileges'] })).toMatchObject({ ok: false, field: 'enabledEndpoints' });
    expect(check({ catchUp: 'never' })).toMatchObject({ ok: false, field: 'catchUp' });
    expect(check({ nightStart: '23:30', nightEnd: '00:00' })).toMatchObject({ ok: true });
    expect(nightWindowProblem('22:00', '10:00')).toBeNull();
  });

  it('persists under its own key; a damaged field falls back to its default alone', () => {
    const store = new MemoryKeyValueStore();
    store.set('settings', { communeSiret: '' });
    const repository = new RefreshSettingsRepository(store);
    expect(repository.get()).toEqual(DEFAULT_REFRESH_SETTINGS);
    repository.update({ nightStart: '22:00', nightEnd: '03:00', companyMaxAgeDays: 10 });
    expect(store.get(REFRESH_SETTINGS_KEY)).toMatchObject({ nightStart: '22:00', nightEnd: '03:00', companyMaxAgeDays: 10 });
    expect(store.get('settings')).toEqual({ communeSiret: '' });
    expect(() => repository.update({ ceasedMaxAgeDays: -1 })).toThrow(/jours/);
    store.set(REFRESH_SETTINGS_KEY, { ...(store.get(REFRESH_SETTINGS_KEY) as object), establishmentMaxAgeDays: 'beaucoup' });
    expect(new RefreshSettingsRepository(store).get()).toMatchObject({
      nightStart: '22:00',
      companyMaxAgeDays: 10,
      establishmentMaxAgeDays: DEFAULT_REFRESH_SETTINGS.establishmentMaxAgeDays,
    });
  });
});

describe('the nightly schedule in the app', () => {
  let api: FakeApiHandle;
  let dir: string;
  let token: string;
  const open: VigieCore[] = [];

  beforeAll(async () => {
    api = await startFakeApi({ seed: 'refresh-schedule', companyCount: 20 });
    token = api.mintToken();
  });

  afterEach(() => {
    for (const core of open.splice(0)) core.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await api.close();
  });

  /** A fresh installation: one register, one settings store, reopened as the app restarts. */
  function installation() {
    dir = mkdtempSync(join(tmpdir(), 'vigie-refresh-schedule-'));
    const store = new MemoryKeyValueStore();
    const inner = new LocalKeyCipher(join(dir, 'k'));
    let configured = false;
    /** Opens Vigie at the clock's time, as the Electron shell does (core, then refresh.start()). */
    const launch = async (clock: Clock) => {
      const core = createVigieCore({
        databasePath: join(dir, 'vigie.sqlite3'),
        userDataDir: dir,
        store,
        clock,
        cipher: { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) },
        dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
        logger: silentLogger,
      });
      open.push(core);
      if (!configured) {
        await call(core, 'settings.update', { communeSiret: '13002526500013', apiEnvironment: 'local', localApiUrl: api.url });
        await call(core, 'token.submit', { token });
        configured = true;
      }
      core.refresh.start();
      return core;
    };
    const quit = (core: VigieCore) => {
      core.close();
      open.splice(open.indexOf(core), 1);
    };
    return { store, launch, quit };
  }

  async function call<C extends IpcChannel>(core: VigieCore, channel: C, request: unknown): Promise<IpcResponse<C>> {
    const envelope = await core.dispatch(channel, request);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.message}`);
    return envelope.value as IpcResponse<C>;
  }

  function runs(core: VigieCore): { trigger: string; startedAt: number; deadlineAt: number }[] {
    return (
      core.db.prepare('SELECT trigger, started_at, deadline_at FROM refresh_runs ORDER BY id').all() as {
        trigger: string;
        started_at: string;
        deadline_at: string;
      }[]
    ).map((row) => ({ trigger: row.trigger, startedAt: Date.parse(row.started_at), deadlineAt: Date.parse(row.deadline_at) }));
  }

  it('fires at the configured start, until the configured end, and re-arms when the window changes', async () => {
    const { launch } = installation();
    const clock = new SleepyClock(local(2027, 1, 12, 12, 0));
    const core = await launch(clock);
    let status = await call(core, 'refresh.status', {});
    expect(status.nightWindow).toEqual({ start: '01:00', end: '05:00' });
    expect(status.catchUp).toBe('ask');
    expect(status.pendingCatchUp).toBeNull();
    expect(Date.parse(status.nextRunAt ?? '')).toBe(local(2027, 1, 13, 1, 0));

    const page = await call(core, 'refresh.settings.update', { nightStart: '22:30', nightEnd: '04:00' });
    expect(page.settings).toMatchObject({ nightStart: '22:30', nightEnd: '04:00' });
    expect(Date.parse(page.nextRunAt ?? '')).toBe(local(2027, 1, 12, 22, 30));
    expect(core.refresh.engine.currentPolicy.nightWindowHours).toBe(5.5);
    status = await call(core, 'refresh.status', {});
    expect(status.nightWindow).toEqual({ start: '22:30', end: '04:00' });

    await clock.advanceTo(local(2027, 1, 12, 22, 29));
    expect(runs(core)).toEqual([]);
    await clock.advanceTo(local(2027, 1, 12, 22, 31));
    expect(runs(core)).toEqual([{ trigger: 'night', startedAt: local(2027, 1, 12, 22, 30), deadlineAt: local(2027, 1, 13, 4, 0) }]);
    expect(Date.parse((await call(core, 'refresh.status', {})).nextRunAt ?? '')).toBe(local(2027, 1, 13, 22, 30));

    // the next day at noon, moved to 23:15: the timer of 22:30 is gone
    await clock.advanceTo(local(2027, 1, 13, 12, 0));
    const moved = await call(core, 'refresh.settings.update', { nightStart: '23:15', nightEnd: '05:15' });
    expect(Date.parse(moved.nextRunAt ?? '')).toBe(local(2027, 1, 13, 23, 15));
    await clock.advanceTo(local(2027, 1, 13, 23, 0));
    expect(runs(core)).toHaveLength(1);
    await clock.advanceTo(local(2027, 1, 13, 23, 20));
    expect(runs(core).slice(1)).toEqual([{ trigger: 'night', startedAt: local(2027, 1, 13, 23, 15), deadlineAt: local(2027, 1, 14, 5, 15) }]);
  });

  it('applies the freshness rules to the engine when they change, and refuses invalid ones in French', async () => {
    const { launch, store } = installation();
    const core = await launch(new SleepyClock(local(2027, 1, 12, 12, 0)));
    const page = await call(core, 'refresh.settings.get', {});
    expect(page.settings).toEqual(DEFAULT_REFRESH_SETTINGS);
    expect(page.limits.attestationMaxAgeDays).toEqual({ min: 1, max: 3_650 });
    expect(page.endpoints.find((e) => e.id === 'urssaf.attestation_vigilance')?.label).toBe('Attestation de vigilance (URSSAF)');
    expect(page.endpoints.some((e) => e.id === 'privileges')).toBe(false);

    await call(core, 'refresh.settings.update', { attestationRenewDaysBeforeExpiry: 20, enabledEndpoints: ['insee.unite_legale', 'qualibat.certification'] });
    expect(core.refresh.engine.currentPolicy.attestations.renewDaysBeforeExpiry).toBe(20);
    expect(core.refresh.engine.currentPolicy.enabledEndpoints).toEqual(['insee.unite_legale', 'qualibat.certification']);
    expect(store.get(REFRESH_SETTINGS_KEY)).toMatchObject({ attestationRenewDaysBeforeExpiry: 20 });

    const refused = await core.dispatch('refresh.settings.update', { companyMaxAgeDays: 0 });
    expect(refused).toEqual({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/entre 1 et 3\u00a0650 jours/) } });
    const tooShort = await core.dispatch('refresh.settings.update', { nightStart: '01:00', nightEnd: '01:05' });
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('15 minutes') } });
    expect(core.refresh.engine.currentPolicy.company.maxAgeDays).toBe(7);
    expect((await call(core, 'refresh.settings.get', {})).settings.nightEnd).toBe('05:00');
  });

  it('asks about a night missed while Vigie was closed, and runs it when the user says so', async () => {
    const { launch, quit } = installation();
    const first = await launch(new SleepyClock(local(2027, 1, 12, 12, 0)));
    expect((await call(first, 'refresh.status', {})).pendingCatchUp).toBeNull();
    quit(first);

    // closed from 12/01 at noon to 13/01 at 9: the night of the 12th passed without Vigie
    const clock = new SleepyClock(local(2027, 1, 13, 9, 0));
    const second = await launch(clock);
    const status = await call(second, 'refresh.status', {});
    expect(status.pendingCatchUp).toEqual({ missedNight: '2027-01-12', windowStart: new Date(local(2027, 1, 13, 1, 0)).toISOString() });
    expect(runs(second)).toEqual([]);

    const answered = await call(second, 'refresh.answerCatchUp', { start: true });
    expect(answered.message).toBeNull();
    expect(answered.pendingCatchUp).toBeNull();
    expect(runs(second).map((r) => [r.trigger, r.startedAt])).toEqual([['catch_up', local(2027, 1, 13, 9, 0)]]);
    await clock.advance(60_000);
    expect((await call(second, 'refresh.history', {}))[0]?.trigger).toBe('catch_up');
    quit(second);

    // reopened the same day: that night is settled
    const third = await launch(new SleepyClock(local(2027, 1, 13, 15, 0)));
    expect((await call(third, 'refresh.status', {})).pendingCatchUp).toBeNull();
  });

  it('« Plus tard » lets that night go; the next missed night is asked about again', async () => {
    const { launch, quit } = installation();
    quit(await launch(new SleepyClock(local(2027, 1, 12, 12, 0))));
    const second = await launch(new SleepyClock(local(2027, 1, 13, 9, 0)));
    expect((await call(second, 'refresh.status', {})).pendingCatchUp?.missedNight).toBe('2027-01-12');
    const later = await call(second, 'refresh.answerCatchUp', { start: false });
    expect(later.pendingCatchUp).toBeNull();
    expect(runs(second)).toEqual([]);
    quit(second);

    const third = await launch(new SleepyClock(local(2027, 1, 13, 18, 0)));
    expect((await call(third, 'refresh.status', {})).pendingCatchUp).toBeNull();
    quit(third);
    // closed over several nights: one question, about the latest
    const fourth = await launch(new SleepyClock(local(2027, 1, 16, 8, 0)));
    expect((await call(fourth, 'refresh.status', {})).pendingCatchUp?.missedNight).toBe('2027-01-15');
    expect(runs(fourth)).toEqual([]);
  });

  it('in automatic mode, catches up a missed night at start-up without asking', async () => {
    const { launch, quit } = installation();
    const first = await launch(new SleepyClock(local(2027, 1, 12, 12, 0)));
    await call(first, 'refresh.settings.update', { catchUp: 'auto' });
    quit(first);
    const second = await launch(new SleepyClock(local(2027, 1, 13, 8, 30)));
    const status = await call(second, 'refresh.status', {});
    expect(status.pendingCatchUp).toBeNull();
    expect(status.catchUp).toBe('auto');
    expect(runs(second).map((r) => [r.trigger, r.startedAt])).toEqual([['catch_up', local(2027, 1, 13, 8, 30)]]);
  });

  it('opened during the night window: tonight’s run starts at once, until the window’s end', async () => {
    const { launch, quit } = installation();
    quit(await launch(new SleepyClock(local(2027, 1, 12, 12, 0))));
    const core = await launch(new SleepyClock(local(2027, 1, 13, 2, 30)));
    expect((await call(core, 'refresh.status', {})).pendingCatchUp).toBeNull();
    expect(runs(core)).toEqual([{ trigger: 'night', startedAt: local(2027, 1, 13, 2, 30), deadlineAt: local(2027, 1, 13, 5, 0) }]);
  });

  it('after a sleep through the window, systemResumed re-arms the timer and applies the catch-up rule', async () => {
    const { launch } = installation();
    const clock = new SleepyClock(local(2027, 1, 12, 12, 0));
    const core = await launch(clock);
    await clock.advanceTo(local(2027, 1, 12, 23, 0));
    // asleep from 23:00 to 7:00: the 1 a.m. timer has not fired
    clock.sleep(8 * HOUR);
    core.refresh.systemResumed();
    let status = await call(core, 'refresh.status', {});
    expect(status.pendingCatchUp?.missedNight).toBe('2027-01-12');
    expect(Date.parse(status.nextRunAt ?? '')).toBe(local(2027, 1, 14, 1, 0));
    // the timer armed before the sleep was replaced: nothing fires late
    await clock.advanceTo(local(2027, 1, 13, 12, 0));
    expect(runs(core)).toEqual([]);

    // the next night runs on time, and with it the question goes
    await clock.advanceTo(local(2027, 1, 14, 1, 1));
    expect(runs(core).map((r) => [r.trigger, r.startedAt])).toEqual([['night', local(2027, 1, 14, 1, 0)]]);
    status = await call(core, 'refresh.status', {});
    expect(status.pendingCatchUp).toBeNull();
  });

  it('a timer that fires late after a sleep with no resume event does not start a night run outside the window', async () => {
    const { launch } = installation();
    const clock = new SleepyClock(local(2027, 1, 12, 12, 0));
    const core = await launch(clock);
    await call(core, 'refresh.settings.update', { catchUp: 'auto' });
    await clock.advanceTo(local(2027, 1, 12, 23, 0));
    clock.sleep(8 * HOUR);
    // the 1 a.m. timer fires two hours of awake time later, at 9:00 on the wall clock
    await clock.advance(2 * HOUR + 60_000);
    expect(runs(core).map((r) => [r.trigger, r.startedAt])).toEqual([['catch_up', local(2027, 1, 13, 9, 0)]]);
  });

  it('woken during the window: tonight’s run starts on waking, with the window’s end as deadline', async () => {
    const { launch } = installation();
    const clock = new SleepyClock(local(2027, 1, 12, 12, 0));
    const core = await launch(clock);
    await clock.advanceTo(local(2027, 1, 12, 23, 0));
    clock.sleep(3.5 * HOUR);
    core.refresh.systemResumed();
    expect(runs(core)).toEqual([{ trigger: 'night', startedAt: local(2027, 1, 13, 2, 30), deadlineAt: local(2027, 1, 13, 5, 0) }]);
  });

  it('keeps the night at 01:00 local time across the spring change of time', async () => {
    const { launch } = installation();
    const clock = new SleepyClock(local(2027, 3, 27, 12, 0));
    const core = await launch(clock);
    await clock.advanceTo(local(2027, 3, 28, 1, 1));
    expect(runs(core)).toEqual([{ trigger: 'night', startedAt: Date.UTC(2027, 2, 28, 0, 0), deadlineAt: Date.UTC(2027, 2, 28, 3, 0) }]);
    // 23 hours later on the clock, 01:00 CEST
    expect((await call(core, 'refresh.status', {})).nextRunAt).toBe('2027-03-28T23:00:00.000Z');
  });
});
