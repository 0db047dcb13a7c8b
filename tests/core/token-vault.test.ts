import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { silentLogger } from '../../src-main/node/logger';
import { MemoryKeyValueStore } from '../../src-main/node/settings/key-value-store';
import { checkTokenShape } from '../../src-main/node/token/jwt-claims';
import { LocalKeyCipher, type SecretCipher } from '../../src-main/node/token/secret-cipher';
import { REMINDER_THRESHOLDS_DAYS, TokenVault } from '../../src-main/node/token/token-vault';
import { ManualClock } from '../support/manual-clock';
import { leakForms, mintTestToken } from '../support/test-tokens';

const DAY = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-vault-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stands for safeStorage with a system keychain. */
function osCipher(): SecretCipher {
  const inner = new LocalKeyCipher(join(dir, 'os-key'));
  return { protection: () => 'os', encrypt: (p) => inner.encrypt(p), decrypt: (c) => inner.decrypt(c) };
}

function apiError(kind: ApiEntrepriseError['kind']) {
  return new ApiEntrepriseError({ kind, endpoint: 'privileges', status: 401, code: null, provider: null, retryInSeconds: null, retryAfterMs: null, detail: kind });
}

function setup(options: { cipher?: SecretCipher; check?: (t: string) => Promise<string[]>; clock?: ManualClock; store?: MemoryKeyValueStore } = {}) {
  const clock = options.clock ?? new ManualClock();
  const store = options.store ?? new MemoryKeyValueStore();
  const onChange = vi.fn();
  const checkPrivileges = vi.fn(options.check ?? (() => Promise.resolve(['unites_legales_etablissements_insee', 'attestations_sociales'])));
  const vault = new TokenVault({ store, cipher: options.cipher ?? osCipher(), checkPrivileges, clock, logger: silentLogger, onChange });
  return { vault, clock, store, onChange, checkPrivileges };
}

const tokenFor = (clock: ManualClock, daysLeft: number, lifetimeDays = 548) => {
  const now = Math.floor(clock.now() / 1000);
  return mintTestToken({ iat: now - (lifetimeDays - daysLeft) * 86_400, exp: now + daysLeft * 86_400 });
};

describe('checking what the user pasted', () => {
  it('refuses anything that is not a token shaped like API Entreprise’s, in French', () => {
    const now = Date.now();
    expect(checkTokenShape('', now)).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkTokenShape('abc.def', now)).toMatchObject({ ok: false, reason: 'shape' });
    expect(checkTokenShape('a.b.c d', now)).toMatchObject({ ok: false, reason: 'shape' });
    expect(checkTokenShape('###.$$$.%%%', now)).toMatchObject({ ok: false, reason: 'shape' });
    const noScopes = `${Buffer.from('{}').toString('base64url')}.${Buffer.from(JSON.stringify({ iat: 1, exp: 9e9, jti: 'x' })).toString('base64url')}.sig`;
    expect(checkTokenShape(noScopes, now)).toMatchObject({ ok: false, reason: 'claims' });
    const expired = mintTestToken({ iat: 1_600_000_000, exp: 1_700_000_000 });
    const check = checkTokenShape(expired, now);
    expect(check).toMatchObject({ ok: false, reason: 'expired' });
    expect(check.ok === false && check.message).toContain('a expiré le 14/11/2023');
  });

  it('accepts a token pasted with spaces, line breaks or a Bearer prefix', () => {
    const token = mintTestToken({ iat: 1_700_000_000, exp: 2_000_000_000 });
    const messy = ` Bearer ${token.slice(0, 20)}\n${token.slice(20)} `;
    expect(checkTokenShape(messy, Date.now())).toMatchObject({ ok: true, token });
  });
});

describe('storing and replacing', () => {
  it('stores only ciphertext, gives the token back to the main process, and summarises without any part of it', async () => {
    const { vault, store, clock, onChange } = setup();
    const token = tokenFor(clock, 400);
    const result = await vault.submit(token);
    expect(result.status).toBe('stored');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(vault.tokenForRequest()).toBe(token);
    const persisted = JSON.stringify(store.get('apiToken'));
    const summary = JSON.stringify(vault.summary());
    for (const form of leakForms(token)) {
      expect(persisted).not.toContain(form);
      expect(summary).not.toContain(form);
    }
    expect(vault.summary()).toMatchObject({ state: 'valide', daysLeft: 400, protection: 'os', title: 'Commune de Testville – registre des tiers' });
    const endpoints = vault.summary().endpoints;
    expect(endpoints.find((e) => e.id === 'urssaf.attestation_vigilance')?.allowed).toBe(true);
    expect(endpoints.find((e) => e.id === 'dgfip.attestation_fiscale')?.allowed).toBe(false);
  });

  it('keeps the previous token when the new one is refused by the API or cannot be checked', async () => {
    const { vault, clock, checkPrivileges } = setup();
    const first = tokenFor(clock, 300);
    await vault.submit(first);
    checkPrivileges.mockRejectedValueOnce(apiError('token_invalid'));
    const refused = await vault.submit(tokenFor(clock, 500));
    expect(refused).toMatchObject({ status: 'refused', message: expect.stringContaining('refuse ce jeton') });
    checkPrivileges.mockRejectedValueOnce(apiError('network'));
    const offline = await vault.submit(tokenFor(clock, 500));
    expect(offline).toMatchObject({ status: 'refused', message: expect.stringContaining('précédent reste en place') });
    expect(vault.tokenForRequest()).toBe(first);
  });

  it('asks for consent before storing with a weak protection', async () => {
    const weak = new LocalKeyCipher(join(dir, 'key'));
    const { vault, clock, checkPrivileges } = setup({ cipher: weak });
    const token = tokenFor(clock, 200);
    const first = await vault.submit(token);
    expect(first).toMatchObject({ status: 'needs-consent', message: expect.stringContaining('coffre-fort') });
    expect(checkPrivileges).not.toHaveBeenCalled();
    expect(vault.summary().state).toBe('absent');
    const second = await vault.submit(token, true);
    expect(second.status).toBe('stored');
    expect(vault.summary().protection).toBe('weak');
  });

  it('wipes the ciphertext on removal', async () => {
    const { vault, store, clock } = setup();
    await vault.submit(tokenFor(clock, 200));
    vault.remove();
    expect(store.get('apiToken')).toBeUndefined();
    expect(vault.tokenForRequest()).toBeNull();
    expect(vault.summary().state).toBe('absent');
  });
});

describe('what API Entreprise says of the token', () => {
  it.each([
    ['token_expired', 'expire'],
    ['token_blacklisted', 'revoque'],
    ['token_invalid', 'refuse'],
  ] as const)('a 401 %s stops every call and shows the state %s', async (kind, state) => {
    const { vault, clock } = setup();
    await vault.submit(tokenFor(clock, 200));
    vault.markRefused(kind);
    expect(vault.summary().state).toBe(state);
    expect(() => vault.tokenForRequest()).toThrow(ApiEntrepriseError);
    expect(vault.summary().message).toMatch(/n’interroge plus/);
  });

  it('stops at the expiry date even before the API says so', async () => {
    const { vault, clock } = setup();
    await vault.submit(tokenFor(clock, 2));
    await clock.advance(3 * DAY);
    expect(vault.summary().state).toBe('expire');
    expect(() => vault.tokenForRequest()).toThrow(/token_expired/);
  });

  it('rechecks the privileges daily and records a refusal found then', async () => {
    const { vault, clock, checkPrivileges } = setup();
    await vault.submit(tokenFor(clock, 200));
    checkPrivileges.mockResolvedValueOnce(['attestations_fiscales']);
    await clock.advance(DAY);
    expect((await vault.recheck()).endpoints.find((e) => e.id === 'dgfip.attestation_fiscale')?.allowed).toBe(true);
    checkPrivileges.mockRejectedValueOnce(apiError('token_blacklisted'));
    expect((await vault.recheck()).state).toBe('revoque');
  });
});

describe('reminders', () => {
  it('reminds once at each threshold, 90 days down to the expiry day', async () => {
    const clock = new ManualClock();
    const { vault } = setup({ clock });
    await vault.submit(tokenFor(clock, 100));
    const seen: number[] = [];
    for (let day = 0; day <= 100; day += 1) {
      const reminder = vault.dueReminder();
      if (reminder) {
        seen.push(reminder.thresholdDays);
        expect(reminder.message).toMatch(/espace API Entreprise/);
        vault.acknowledgeReminder(reminder.thresholdDays);
        expect(vault.dueReminder()).toBeNull();
      }
      await clock.advance(DAY);
    }
    expect(seen).toEqual([...REMINDER_THRESHOLDS_DAYS]);
  });

  it('does not repeat a reminder after a restart, and after a long absence shows only the most urgent one', async () => {
    const clock = new ManualClock();
    const store = new MemoryKeyValueStore();
    const first = setup({ clock, store });
    await first.vault.submit(tokenFor(clock, 61));
    await clock.advance(DAY);
    expect(first.vault.dueReminder()?.thresholdDays).toBe(60);
    first.vault.acknowledgeReminder(60);
    // the app is restarted: a new vault over the same store
    const second = setup({ clock, store });
    expect(second.vault.dueReminder()).toBeNull();
    // switched off for seven weeks: the 30-day reminder was missed, only the more urgent 15-day one shows
    await clock.advance(49 * DAY);
    expect(second.vault.dueReminder()).toMatchObject({ thresholdDays: 15 });
    // not acknowledged (the app closed at once); five days later the 7-day threshold is the one due
    await clock.advance(5 * DAY);
    const third = setup({ clock, store });
    expect(third.vault.dueReminder()).toMatchObject({ thresholdDays: 7, daysLeft: 6 });
    third.vault.acknowledgeReminder(7);
    expect(third.vault.dueReminder()).toBeNull();
  });

  it('does not fire every earlier reminder for a token stored close to its expiry', async () => {
    const { vault, clock } = setup();
    await vault.submit(tokenFor(clock, 20));
    expect(vault.dueReminder()).toMatchObject({ thresholdDays: 30, daysLeft: 20 });
  });
});

describe('the daily watch', () => {
  it('notifies each threshold once, across restarts, and not again for the same token', async () => {
    const { TokenWatch } = await import('../../src-main/node/token/token-watch');
    const clock = new ManualClock();
    const store = new MemoryKeyValueStore();
    const { vault } = setup({ clock, store });
    await vault.submit(tokenFor(clock, 95));
    const notes: string[] = [];
    const watch = () => new TokenWatch(vault, store, { notify: (title) => notes.push(title) }, silentLogger);
    await watch().check();
    expect(notes).toEqual([]);
    await clock.advance(5 * DAY);
    await watch().check();
    await watch().check();
    expect(notes).toEqual(['Le jeton API Entreprise expire dans 90 jours']);
    await clock.advance(DAY);
    await watch().check();
    expect(notes).toHaveLength(1);
  });
});
