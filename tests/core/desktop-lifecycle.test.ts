// The desktop lifecycle's decisions, without Electron: closing the window, the first-hide notice,
// the notification-area menu, the French menu bar, the start with the session and « À propos ».
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshStatus } from '../../src-main/common/ipc-contract';
import { aboutDialog, describeApp } from '../../src-main/node/app/app-about';
import {
  API_ENTREPRISE_SITE_URL,
  applicationMenuModel,
  applyLoginItem,
  HIDDEN_START_FLAG,
  launchRefreshFromTray,
  quitWhenAllWindowsClosed,
  startsHidden,
  takeFirstHideNotice,
  trayModel,
  trayRefreshDelayMs,
  trayStatusText,
  windowCloseDecision,
  xdgAutostartFolder,
  type AppMenu,
  type AppMenuItem,
  type CloseContext,
  type LoginItemPort,
  type LoginItemSettingsModel,
  type TrayInput,
} from '../../src-main/node/app/desktop-lifecycle';
import type { DesktopActions } from '../../src-main/node/app/token-handlers';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { silentLogger } from '../../src-main/node/logger';
import { isAllowedExternalUrl } from '../../src-main/node/safety/external-links';
import { DEFAULT_SETTINGS, SettingsRepository } from '../../src-main/node/settings/app-settings';
import { createConfStore } from '../../src-main/node/settings/conf-store';
import { MemoryKeyValueStore } from '../../src-main/node/settings/key-value-store';
import { tempRegister } from '../support/temp-register';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('settings: keepRunningInTray and openAtLogin', () => {
  it('defaults to staying in the notification area, not starting with the session', () => {
    expect(DEFAULT_SETTINGS.keepRunningInTray).toBe(true);
    expect(DEFAULT_SETTINGS.openAtLogin).toBe(false);
  });

  it('loads settings stored before these two existed, and saves them', () => {
    const store = new MemoryKeyValueStore();
    store.set('settings', {
      communeSiret: '13002526500013',
      defaultContext: 'Marchés publics',
      defaultObject: 'Contrôle',
      apiEnvironment: 'staging',
      localApiUrl: 'http://127.0.0.1:8750',
      notifications: false,
    });
    const repository = new SettingsRepository(store);
    expect(repository.get()).toMatchObject({ communeSiret: '13002526500013', notifications: false, keepRunningInTray: true, openAtLogin: false });
    repository.update({ keepRunningInTray: false, openAtLogin: true });
    expect(new SettingsRepository(store).get()).toMatchObject({ defaultContext: 'Marchés publics', keepRunningInTray: false, openAtLogin: true });
  });
});

describe('closing the window', () => {
  const base: CloseContext = { platform: 'win32', keepRunningInTray: true, hasTray: true, quitRequested: false };

  it('hides to the notification area when Vigie stays running there and the icon exists', () => {
    expect(windowCloseDecision(base)).toBe('hide');
    expect(quitWhenAllWindowsClosed(base)).toBe(false);
    expect(windowCloseDecision({ ...base, platform: 'linux' })).toBe('hide');
  });

  it('closes (and quits) when the user asked to quit, whatever the setting', () => {
    expect(windowCloseDecision({ ...base, quitRequested: true })).toBe('close');
    expect(quitWhenAllWindowsClosed({ ...base, quitRequested: true })).toBe(true);
    expect(windowCloseDecision({ ...base, platform: 'darwin', quitRequested: true })).toBe('close');
  });

  it('closes and quits when the setting is off', () => {
    expect(windowCloseDecision({ ...base, keepRunningInTray: false })).toBe('close');
    expect(quitWhenAllWindowsClosed({ ...base, keepRunningInTray: false })).toBe(true);
  });

  it('closes and quits when there is no notification area to come back from', () => {
    expect(windowCloseDecision({ ...base, hasTray: false })).toBe('close');
    expect(quitWhenAllWindowsClosed({ ...base, platform: 'linux', hasTray: false })).toBe(true);
  });

  it('follows macOS: closing the window never quits, the app comes back from the Dock', () => {
    for (const keepRunningInTray of [true, false]) {
      for (const hasTray of [true, false]) {
        const mac = { platform: 'darwin' as const, keepRunningInTray, hasTray, quitRequested: false };
        expect(windowCloseDecision(mac)).toBe('hide');
        expect(quitWhenAllWindowsClosed(mac)).toBe(false);
      }
    }
  });
});

describe('the first hide', () => {
  it('says once where Vigie went, and remembers it in the store', () => {
    const store = new MemoryKeyValueStore();
    expect(takeFirstHideNotice(store, 'win32')).toEqual({
      title: 'Vigie',
      body: 'Vigie reste actif dans la zone de notification pour la mise à jour de nuit.',
    });
    expect(takeFirstHideNotice(store, 'win32')).toBeNull();
    expect(takeFirstHideNotice(store, 'win32')).toBeNull();
  });

  it('is not repeated after a restart (the store is on disk)', () => {
    const register = tempRegister();
    try {
      expect(takeFirstHideNotice(createConfStore(register.dir), 'linux')).not.toBeNull();
      expect(takeFirstHideNotice(createConfStore(register.dir), 'linux')).toBeNull();
    } finally {
      register.dispose();
    }
  });

  it('speaks of the menu bar on macOS', () => {
    expect(takeFirstHideNotice(new MemoryKeyValueStore(), 'darwin')?.body).toBe(
      'Vigie reste actif dans la barre des menus pour la mise à jour de nuit.',
    );
  });
});

function progress(done: number, failed: number, skipped: number, total: number): NonNullable<RefreshStatus['progress']> {
  return { runId: 3, state: 'running', total, done, failed, skipped, etaMs: null, elapsedMs: 1000, perPool: [], errors: [] };
}

const idle: TrayInput['refresh'] = { running: false, paused: false, progress: null, lastRun: null };
const validToken: TrayInput['token'] = { state: 'valide' };

function lastRun(state: string, finishedAt: string | null, startedAt = '2026-11-28T00:00:00Z'): NonNullable<RefreshStatus['lastRun']> {
  return { id: 2, state, trigger: 'night', startedAt, finishedAt, summary: '' };
}

describe('the notification-area menu', () => {
  it('offers, in French: open, launch, a disabled status line, quit', () => {
    const model = trayModel({ refresh: { ...idle, lastRun: lastRun('completed', '2026-11-29T02:30:00Z') }, token: validToken });
    expect(model.items).toEqual([
      { type: 'action', action: 'open', label: 'Ouvrir Vigie', enabled: true },
      { type: 'action', action: 'refresh', label: 'Lancer la mise à jour', enabled: true },
      { type: 'separator' },
      { type: 'status', label: `État${NBSP}: dernière mise à jour${NBSP}: 29/11/2026, terminée` },
      { type: 'separator' },
      { type: 'action', action: 'quit', label: 'Quitter', enabled: true },
    ]);
    expect(model.tooltip).toBe(`Vigie — Dernière mise à jour${NBSP}: 29/11/2026, terminée`);
  });

  it('shows a run’s progress and disables « Lancer » while it runs', () => {
    const input: TrayInput = { refresh: { ...idle, running: true, progress: progress(100, 15, 5, 400) }, token: validToken };
    expect(trayStatusText(input)).toBe(`Mise à jour en cours${NBSP}: 120 / 400`);
    const launch = trayModel(input).items.find((item) => item.type === 'action' && item.action === 'refresh');
    expect(launch).toMatchObject({ enabled: false });
    expect(trayRefreshDelayMs(input.refresh)).toBeLessThanOrEqual(5_000);
    expect(trayRefreshDelayMs(idle)).toBeGreaterThan(trayRefreshDelayMs(input.refresh));
  });

  it('writes large counts the French way', () => {
    const input: TrayInput = { refresh: { ...idle, running: true, progress: progress(1200, 0, 0, 12500) }, token: validToken };
    expect(trayStatusText(input)).toBe(`Mise à jour en cours${NBSP}: 1${NNBSP}200 / 12${NNBSP}500`);
  });

  it('shows a paused run, and « Lancer » stays disabled (it is resumed from the Mises à jour screen)', () => {
    const input: TrayInput = { refresh: { ...idle, paused: true, progress: { ...progress(40, 0, 0, 400), state: 'paused' } }, token: validToken };
    expect(trayStatusText(input)).toBe(`Mise à jour en pause${NBSP}: 40 / 400`);
    expect(trayModel(input).items[1]).toMatchObject({ enabled: false });
  });

  it('says there is no token, and « Lancer » is disabled', () => {
    const input: TrayInput = { refresh: { ...idle, lastRun: lastRun('completed', '2026-11-29T02:30:00Z') }, token: { state: 'absent' } };
    expect(trayStatusText(input)).toBe('Aucun jeton enregistré');
    const model = trayModel(input);
    expect(model.items[1]).toMatchObject({ label: 'Lancer la mise à jour', enabled: false });
    expect(model.items[3]).toEqual({ type: 'status', label: `État${NBSP}: aucun jeton enregistré` });
  });

  it('says a refused token stops the refreshes', () => {
    for (const [state, words] of [
      ['expire', 'Jeton expiré'],
      ['revoque', 'Jeton révoqué'],
      ['refuse', 'Jeton refusé par API Entreprise'],
    ] as const) {
      const input: TrayInput = { refresh: idle, token: { state } };
      expect(trayStatusText(input)).toBe(words);
      expect(trayModel(input).items[1]).toMatchObject({ enabled: false });
    }
    // a token close to its end still works
    expect(trayModel({ refresh: idle, token: { state: 'expire_bientot' } }).items[1]).toMatchObject({ enabled: true });
  });

  it('names the last run’s outcome, dated in Paris', () => {
    const at = (state: string, finishedAt: string | null) => trayStatusText({ refresh: { ...idle, lastRun: lastRun(state, finishedAt) }, token: validToken });
    // 23:30 UTC on the 28th is already the 29th in Paris
    expect(at('completed', '2026-11-28T23:30:00Z')).toBe(`Dernière mise à jour${NBSP}: 29/11/2026, terminée`);
    expect(at('cancelled', '2026-11-28T10:00:00Z')).toBe(`Dernière mise à jour${NBSP}: 28/11/2026, annulée`);
    expect(at('interrupted', null)).toBe(`Dernière mise à jour${NBSP}: 28/11/2026, interrompue`);
    expect(at('stopped_token', '2026-11-28T10:00:00Z')).toBe(`Dernière mise à jour${NBSP}: 28/11/2026, arrêtée, jeton refusé`);
  });

  it('says when no refresh ran yet', () => {
    expect(trayStatusText({ refresh: idle, token: validToken })).toBe('Aucune mise à jour pour l’instant');
  });
});

function labels(menu: AppMenu | undefined): string[] {
  return (menu?.items ?? []).flatMap((item) => (item.type === 'separator' ? [] : [item.label]));
}

function allItems(menus: AppMenu[]): AppMenuItem[] {
  return menus.flatMap((menu) => menu.items);
}

describe('the menu bar', () => {
  it('is French: Fichier, Édition, Affichage, Aide', () => {
    const menus = applicationMenuModel({ platform: 'win32', isPackaged: true });
    expect(menus.map((menu) => menu.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
    expect(labels(menus[0])).toEqual(['Quitter']);
    expect(menus[0]?.items[0]).toEqual({ type: 'role', role: 'quit', label: 'Quitter' });
    expect(labels(menus[1])).toEqual(['Annuler', 'Rétablir', 'Couper', 'Copier', 'Coller', 'Tout sélectionner']);
    expect(menus[1]?.items.flatMap((item) => (item.type === 'role' ? [item.role] : []))).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    expect(labels(menus[2])).toEqual(['Zoom avant', 'Zoom arrière', 'Taille réelle', 'Plein écran']);
    expect(labels(menus[3])).toEqual(['À propos de Vigie', 'Site d’API Entreprise']);
  });

  it('has the developer tools only when not packaged', () => {
    const devTools = (isPackaged: boolean) =>
      allItems(applicationMenuModel({ platform: 'linux', isPackaged })).filter((item) => item.type === 'role' && item.role === 'toggleDevTools');
    expect(devTools(true)).toEqual([]);
    expect(devTools(false)).toEqual([{ type: 'role', role: 'toggleDevTools', label: 'Outils de développement' }]);
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      expect(JSON.stringify(applicationMenuModel({ platform, isPackaged: true }))).not.toContain('Outils de développement');
    }
  });

  it('links only to allow-listed addresses', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const links = allItems(applicationMenuModel({ platform, isPackaged: false })).filter((item) => item.type === 'link');
      expect(links).toEqual([{ type: 'link', url: API_ENTREPRISE_SITE_URL, label: 'Site d’API Entreprise' }]);
      for (const link of links) expect(isAllowedExternalUrl(link.type === 'link' ? link.url : '')).toBe(true);
    }
  });

  it('follows macOS: a Vigie menu first with « À propos » and « Quitter Vigie »', () => {
    const menus = applicationMenuModel({ platform: 'darwin', isPackaged: true });
    expect(menus.map((menu) => menu.label)).toEqual(['Vigie', 'Fichier', 'Édition', 'Affichage', 'Aide']);
    expect(labels(menus[0])).toEqual(['À propos de Vigie', 'Masquer Vigie', 'Masquer les autres', 'Tout afficher', 'Quitter Vigie']);
    expect(menus[0]?.items.at(-1)).toEqual({ type: 'role', role: 'quit', label: 'Quitter Vigie' });
    expect(labels(menus[1])).toEqual(['Fermer la fenêtre']);
    expect(labels(menus[4])).toEqual(['Site d’API Entreprise']);
    // « À propos » once, in the Vigie menu
    expect(allItems(menus).filter((item) => item.type === 'action' && item.action === 'about')).toHaveLength(1);
  });
});

interface PortCall {
  method: keyof LoginItemPort;
  args: unknown[];
}

function fakePort(): LoginItemPort & { calls: PortCall[] } {
  const calls: PortCall[] = [];
  return {
    calls,
    setLoginItemSettings: (settings: LoginItemSettingsModel) => void calls.push({ method: 'setLoginItemSettings', args: [settings] }),
    writeAutostartEntry: (fileName, content) => void calls.push({ method: 'writeAutostartEntry', args: [fileName, content] }),
    removeAutostartEntry: (fileName) => void calls.push({ method: 'removeAutostartEntry', args: [fileName] }),
  };
}

describe('starting with the session', () => {
  const windows = { platform: 'win32' as const, executable: 'C:\\Users\\agent\\AppData\\Local\\Programs\\Vigie\\Vigie.exe', leadingArgs: [] };

  it('Windows: registers the executable with --hidden when Vigie stays in the notification area', () => {
    const port = fakePort();
    applyLoginItem({ openAtLogin: true, keepRunningInTray: true }, windows, port);
    expect(port.calls).toEqual([
      { method: 'setLoginItemSettings', args: [{ openAtLogin: true, path: windows.executable, args: [HIDDEN_START_FLAG] }] },
    ]);
  });

  it('Windows: opens the window at login when Vigie does not stay in the notification area', () => {
    const port = fakePort();
    applyLoginItem({ openAtLogin: true, keepRunningInTray: false }, windows, port);
    expect(port.calls).toEqual([{ method: 'setLoginItemSettings', args: [{ openAtLogin: true, path: windows.executable, args: [] }] }]);
  });

  it('Windows: unregisters with the same path', () => {
    const port = fakePort();
    applyLoginItem({ openAtLogin: false, keepRunningInTray: true }, windows, port);
    expect(port.calls).toEqual([{ method: 'setLoginItemSettings', args: [{ openAtLogin: false, path: windows.executable, args: [] }] }]);
  });

  it('unpackaged: the app folder comes before the flag', () => {
    const port = fakePort();
    applyLoginItem({ openAtLogin: true, keepRunningInTray: true }, { ...windows, leadingArgs: ['C:\\dev\\vigie'] }, port);
    expect(port.calls[0]?.args[0]).toMatchObject({ args: ['C:\\dev\\vigie', HIDDEN_START_FLAG] });
  });

  it('macOS: a login item opened as hidden (no arguments reach it there)', () => {
    const port = fakePort();
    applyLoginItem({ openAtLogin: true, keepRunningInTray: true }, { platform: 'darwin', executable: '/Applications/Vigie.app', leadingArgs: [] }, port);
    expect(port.calls).toEqual([{ method: 'setLoginItemSettings', args: [{ openAtLogin: true, openAsHidden: true }] }]);
  });

  it('Linux: a desktop entry in the autostart folder, quoted as the specification says, removed when off', () => {
    const linux = { platform: 'linux' as const, executable: '/home/agent/Applications/Vigie 0.1.0.AppImage', leadingArgs: [] };
    const port = fakePort();
    applyLoginItem({ openAtLogin: true, keepRunningInTray: true }, linux, port);
    expect(port.calls).toHaveLength(1);
    expect(port.calls[0]?.method).toBe('writeAutostartEntry');
    const [fileName, content] = port.calls[0]?.args as [string, string];
    expect(fileName).toBe('vigie.desktop');
    expect(content.split('\n')).toContain('[Desktop Entry]');
    expect(content.split('\n')).toContain('Exec="/home/agent/Applications/Vigie 0.1.0.AppImage" --hidden');
    const off = fakePort();
    applyLoginItem({ openAtLogin: false, keepRunningInTray: true }, linux, off);
    expect(off.calls).toEqual([{ method: 'removeAutostartEntry', args: ['vigie.desktop'] }]);
  });

  it('Linux: the autostart folder follows XDG_CONFIG_HOME when it is absolute', () => {
    expect(xdgAutostartFolder({}, '/home/agent')).toBe('/home/agent/.config/autostart');
    expect(xdgAutostartFolder({ XDG_CONFIG_HOME: '/srv/conf' }, '/home/agent')).toBe('/srv/conf/autostart');
    expect(xdgAutostartFolder({ XDG_CONFIG_HOME: 'relative' }, '/home/agent')).toBe('/home/agent/.config/autostart');
  });

  it('a start with the session shows no window only when the tray keeps Vigie running', () => {
    const start = { argv: ['Vigie.exe', HIDDEN_START_FLAG], openedAtLogin: false, keepRunningInTray: true, hasTray: true };
    expect(startsHidden(start)).toBe(true);
    expect(startsHidden({ ...start, argv: ['Vigie.exe'] })).toBe(false);
    expect(startsHidden({ ...start, argv: ['Vigie'], openedAtLogin: true })).toBe(true);
    // the setting was turned off since the login item was registered
    expect(startsHidden({ ...start, keepRunningInTray: false })).toBe(false);
    // no icon to come back from: a window, or nobody could reach Vigie
    expect(startsHidden({ ...start, hasTray: false })).toBe(false);
  });
});

describe('through the core', () => {
  let register: ReturnType<typeof tempRegister>;
  let core: VigieCore;
  let loginCalls: [boolean, { startInTray: boolean }][];
  let refuse: boolean;

  const desktop: DesktopActions = {
    openExternal: () => Promise.resolve(),
    setOpenAtLogin: (enabled, options) => {
      if (refuse) throw new Error('registry write denied');
      loginCalls.push([enabled, options]);
    },
  };

  beforeEach(() => {
    register = tempRegister();
    register.db.close();
    loginCalls = [];
    refuse = false;
    core = createVigieCore({ databasePath: join(register.dir, 'vigie.sqlite3'), dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) }, logger: silentLogger, desktop });
  });
  afterEach(() => {
    core.close();
    register.dispose();
  });

  it('applies openAtLogin through the desktop adapter when it is saved', async () => {
    const saved = await core.dispatch('settings.update', { openAtLogin: true });
    expect(saved).toMatchObject({ ok: true, value: { openAtLogin: true, keepRunningInTray: true } });
    expect(loginCalls).toEqual([[true, { startInTray: true }]]);
    // another setting: the login item is left alone
    await core.dispatch('settings.update', { notifications: false });
    expect(loginCalls).toHaveLength(1);
    // leaving the tray changes what the start with the session does
    await core.dispatch('settings.update', { keepRunningInTray: false });
    expect(loginCalls.at(-1)).toEqual([true, { startInTray: false }]);
    await core.dispatch('settings.update', { openAtLogin: false });
    expect(loginCalls.at(-1)).toEqual([false, { startInTray: false }]);
    expect(core.settings.get()).toMatchObject({ openAtLogin: false, keepRunningInTray: false });
  });

  it('keeps the setting as it was, with a French message, when the system refuses', async () => {
    refuse = true;
    const answer = await core.dispatch('settings.update', { openAtLogin: true });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'bad-input',
        message: 'Le système n’a pas accepté de lancer Vigie à l’ouverture de la session : le réglage n’a pas été enregistré.',
      },
    });
    expect(core.settings.get().openAtLogin).toBe(false);
  });

  it('launches the refresh from the icon through the same request as the screen, and says why it did not start', async () => {
    const seen: unknown[] = [];
    const dispatch: typeof core.dispatch = (channel, payload) => {
      seen.push(channel);
      return core.dispatch(channel, payload);
    };
    // no token yet: the core refuses with the message the screen shows
    expect(await launchRefreshFromTray(dispatch)).toBe('Aucun jeton API Entreprise n’est enregistré : ajoutez-le dans l’écran Jeton.');
    expect(seen).toEqual(['refresh.start']);
    expect(await launchRefreshFromTray(() => Promise.resolve({ ok: false, error: { code: 'internal', message: 'Une erreur interne est survenue.' } }))).toBe(
      'Une erreur interne est survenue.',
    );
  });

  it('answers « À propos » with the package version, the folders and the runtimes', async () => {
    const answer = await core.dispatch('app.about', {});
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(answer).toEqual({
      ok: true,
      value: {
        name: 'Vigie',
        version,
        dataFolder: register.dir,
        logsFolder: join(register.dir, 'logs'),
        runtime: { electron: null, chrome: null, node: process.versions.node, v8: process.versions.v8 },
      },
    });
  });

  it('answers « À propos » with what the shell injected', async () => {
    const injected = createVigieCore({
      databasePath: join(register.dir, 'other.sqlite3'),
      dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
      logger: silentLogger,
      appInfo: { version: '2.3.4', dataFolder: 'C:\\Users\\agent\\AppData\\Roaming\\Vigie', logsFolder: 'C:\\Users\\agent\\AppData\\Roaming\\Vigie\\logs' },
    });
    try {
      expect(await injected.dispatch('app.about', {})).toMatchObject({
        ok: true,
        value: { version: '2.3.4', dataFolder: 'C:\\Users\\agent\\AppData\\Roaming\\Vigie', logsFolder: 'C:\\Users\\agent\\AppData\\Roaming\\Vigie\\logs' },
      });
    } finally {
      injected.close();
    }
  });
});

describe('« À propos » message box', () => {
  it('is French and names the version, the folders and the runtimes', () => {
    const about = describeApp(
      { version: '1.2.0', dataFolder: '/home/agent/.config/Vigie', logsFolder: '/home/agent/.config/Vigie/logs' },
      { node: '24.1.0', v8: '14.1', electron: '43.8.12', chrome: '148.0.1' },
    );
    const dialog = aboutDialog(about);
    expect(dialog.title).toBe('À propos de Vigie');
    expect(dialog.message).toBe('Vigie 1.2.0');
    expect(dialog.detail).toContain(`Dossier des données${NBSP}: /home/agent/.config/Vigie`);
    expect(dialog.detail).toContain(`Journaux techniques${NBSP}: /home/agent/.config/Vigie/logs`);
    expect(dialog.detail).toContain('Electron 43.8.12, Chromium 148.0.1, Node.js 24.1.0');
    expect(dialog.buttons).toEqual(['OK']);
  });
});
