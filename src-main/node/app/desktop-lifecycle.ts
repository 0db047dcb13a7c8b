// The desktop app's lifecycle as plain decisions: what closing the window does, what the
// notification-area icon and the menus offer, and how Vigie starts with the user's session.
// The Electron adapters only translate these models; every rule lives (and is tested) here.
import type { AppSettings } from '../settings/app-settings';
import type { KeyValueStore } from '../settings/key-value-store';
import { ipcContract, type RefreshStatus, type TokenSummary } from '../../common/ipc-contract';
import type { IpcDispatch } from '../ipc/ipc-dispatcher';
import { frenchDate, frenchNumber } from '../refresh/french-format';

/** The command-line flag of a start with the session: straight to the notification area, no window. */
export const HIDDEN_START_FLAG = '--hidden';

/** The public site of API Entreprise, opened from Aide (allow-listed in safety/external-links.ts). */
export const API_ENTREPRISE_SITE_URL = 'https://entreprise.api.gouv.fr/';

// ---------------------------------------------------------------------------------------------
// Closing the window

export interface CloseContext {
  platform: NodeJS.Platform;
  keepRunningInTray: boolean;
  /** Whether the notification-area icon exists (some Linux desktops have no such area). */
  hasTray: boolean;
  /** The user asked to quit (menu « Quitter », Cmd+Q, system shutdown): never hide then. */
  quitRequested: boolean;
}

/**
 * What the window's close button does. 'hide' keeps the app (and the night's refresh) running
 * with the window out of sight; 'close' lets it close and the app quit.
 */
export function windowCloseDecision(context: CloseContext): 'hide' | 'close' {
  if (context.quitRequested) return 'close';
  // macOS: closing the last window never quits an app; it comes back from the Dock
  if (context.platform === 'darwin') return 'hide';
  // without an icon to come back from, a hidden window would be a process nobody can reach
  return context.keepRunningInTray && context.hasTray ? 'hide' : 'close';
}

/** Whether `window-all-closed` quits: everywhere but macOS, unless the tray keeps the app alive. */
export function quitWhenAllWindowsClosed(context: CloseContext): boolean {
  if (context.quitRequested) return true;
  if (context.platform === 'darwin') return false;
  return !(context.keepRunningInTray && context.hasTray);
}

// ---------------------------------------------------------------------------------------------
// The first hide: say once where Vigie went

export const TRAY_NOTICE_SHOWN_KEY = 'desktop.trayNoticeShown';

export interface DesktopNotice {
  title: string;
  body: string;
}

/**
 * The notice for the first time the window is hidden instead of closed, then null for ever after
 * (remembered in the store, so a restart does not repeat it).
 */
export function takeFirstHideNotice(store: KeyValueStore, platform: NodeJS.Platform): DesktopNotice | null {
  if (store.get(TRAY_NOTICE_SHOWN_KEY) === true) return null;
  store.set(TRAY_NOTICE_SHOWN_KEY, true);
  const place = platform === 'darwin' ? 'dans la barre des menus' : 'dans la zone de notification';
  return { title: 'Vigie', body: `Vigie reste actif ${place} pour la mise à jour de nuit.` };
}

// ---------------------------------------------------------------------------------------------
// The notification-area icon

export type TrayAction = 'open' | 'refresh' | 'quit';

export type TrayMenuItem =
  | { type: 'action'; action: TrayAction; label: string; enabled: boolean }
  /** An information line: shown, never clickable. */
  | { type: 'status'; label: string }
  | { type: 'separator' };

export interface TrayModel {
  tooltip: string;
  items: TrayMenuItem[];
}

export interface TrayInput {
  refresh: Pick<RefreshStatus, 'running' | 'paused' | 'progress' | 'lastRun'>;
  token: Pick<TokenSummary, 'state'>;
}

const NBSP = '\u00a0';

const LAST_RUN_WORDS: Readonly<Record<string, string>> = {
  completed: 'terminée',
  cancelled: 'annulée',
  interrupted: 'interrompue',
  paused: 'en pause',
  stopped_token: 'arrêtée, jeton refusé',
  running: 'en cours',
};

const TOKEN_PROBLEMS: Readonly<Partial<Record<TokenSummary['state'], string>>> = {
  absent: 'Aucun jeton enregistré',
  expire: 'Jeton expiré',
  revoque: 'Jeton révoqué',
  refuse: 'Jeton refusé par API Entreprise',
};

/** « Mise à jour en cours : 120 / 400 », « Dernière mise à jour : 28/11/2026, terminée », « Aucun jeton enregistré ». */
export function trayStatusText({ refresh, token }: TrayInput): string {
  const progress = refresh.progress;
  if ((refresh.running || refresh.paused) && progress) {
    const processed = progress.done + progress.failed + progress.skipped;
    const what = refresh.paused ? 'Mise à jour en pause' : 'Mise à jour en cours';
    return `${what}${NBSP}: ${frenchNumber(processed)} / ${frenchNumber(progress.total)}`;
  }
  const tokenProblem = TOKEN_PROBLEMS[token.state];
  if (tokenProblem) return tokenProblem;
  const last = refresh.lastRun;
  if (!last) return 'Aucune mise à jour pour l’instant';
  const when = Date.parse(last.finishedAt ?? last.startedAt);
  const day = Number.isFinite(when) ? frenchDate(when) : '';
  const words = LAST_RUN_WORDS[last.state] ?? last.state;
  return `Dernière mise à jour${NBSP}: ${day ? `${day}, ` : ''}${words}`;
}

/** Whether « Lancer la mise à jour » can do anything: a usable token and no run going or paused. */
export function canLaunchRefresh({ refresh, token }: TrayInput): boolean {
  const tokenUsable = token.state === 'valide' || token.state === 'expire_bientot';
  return tokenUsable && !refresh.running && !refresh.paused;
}

export function trayModel(input: TrayInput): TrayModel {
  const status = trayStatusText(input);
  return {
    tooltip: `Vigie — ${status}`,
    items: [
      { type: 'action', action: 'open', label: 'Ouvrir Vigie', enabled: true },
      { type: 'action', action: 'refresh', label: 'Lancer la mise à jour', enabled: canLaunchRefresh(input) },
      { type: 'separator' },
      // « État : mise à jour en cours : … » — lower case after the colon, as French writes it
      { type: 'status', label: `État${NBSP}: ${status.charAt(0).toLowerCase()}${status.slice(1)}` },
      { type: 'separator' },
      { type: 'action', action: 'quit', label: 'Quitter', enabled: true },
    ],
  };
}

/**
 * « Lancer la mise à jour » from the icon: the very request the Mises à jour screen sends, through
 * the same dispatcher. Resolves to the French message to show when the run did not start.
 */
export async function launchRefreshFromTray(dispatch: IpcDispatch): Promise<string | null> {
  const answer = await dispatch('refresh.start', {});
  if (!answer.ok) return answer.error.message;
  return ipcContract['refresh.start'].response.parse(answer.value).message;
}

/** How often the icon's menu is rebuilt: every few seconds while a run goes, otherwise now and then. */
export function trayRefreshDelayMs(refresh: Pick<RefreshStatus, 'running'>): number {
  return refresh.running ? 3_000 : 30_000;
}

// ---------------------------------------------------------------------------------------------
// The application menu

/** Electron's built-in roles that Vigie's menu uses (the adapter passes them through). */
export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetZoom'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'close'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit';

export type AppMenuAction = 'about';

export type AppMenuItem =
  | { type: 'role'; role: MenuRole; label: string }
  | { type: 'action'; action: AppMenuAction; label: string }
  /** Opened in the system browser; only allow-listed https addresses. */
  | { type: 'link'; url: string; label: string }
  | { type: 'separator' };

export interface AppMenu {
  label: string;
  items: AppMenuItem[];
}

export interface AppMenuContext {
  platform: NodeJS.Platform;
  /** Packaged installs get no developer tools. */
  isPackaged: boolean;
}

const ABOUT: AppMenuItem = { type: 'action', action: 'about', label: 'À propos de Vigie' };
const SEPARATOR: AppMenuItem = { type: 'separator' };

/** The French menu bar. Items that would need the renderer to act are left out rather than shown dead. */
export function applicationMenuModel({ platform, isPackaged }: AppMenuContext): AppMenu[] {
  const mac = platform === 'darwin';
  const menus: AppMenu[] = [];
  if (mac) {
    // macOS: the application menu first, named after the app, with « À propos » and « Quitter »
    menus.push({
      label: 'Vigie',
      items: [
        ABOUT,
        SEPARATOR,
        { type: 'role', role: 'hide', label: 'Masquer Vigie' },
        { type: 'role', role: 'hideOthers', label: 'Masquer les autres' },
        { type: 'role', role: 'unhide', label: 'Tout afficher' },
        SEPARATOR,
        { type: 'role', role: 'quit', label: 'Quitter Vigie' },
      ],
    });
  }
  menus.push({
    label: 'Fichier',
    items: mac ? [{ type: 'role', role: 'close', label: 'Fermer la fenêtre' }] : [{ type: 'role', role: 'quit', label: 'Quitter' }],
  });
  menus.push({
    label: 'Édition',
    items: [
      { type: 'role', role: 'undo', label: 'Annuler' },
      { type: 'role', role: 'redo', label: 'Rétablir' },
      SEPARATOR,
      { type: 'role', role: 'cut', label: 'Couper' },
      { type: 'role', role: 'copy', label: 'Copier' },
      { type: 'role', role: 'paste', label: 'Coller' },
      { type: 'role', role: 'selectAll', label: 'Tout sélectionner' },
    ],
  });
  menus.push({
    label: 'Affichage',
    items: [
      { type: 'role', role: 'zoomIn', label: 'Zoom avant' },
      { type: 'role', role: 'zoomOut', label: 'Zoom arrière' },
      { type: 'role', role: 'resetZoom', label: 'Taille réelle' },
      SEPARATOR,
      { type: 'role', role: 'togglefullscreen', label: 'Plein écran' },
      ...(isPackaged ? [] : [SEPARATOR, { type: 'role', role: 'toggleDevTools', label: 'Outils de développement' } as const]),
    ],
  });
  menus.push({
    label: 'Aide',
    items: [...(mac ? [] : [ABOUT, SEPARATOR]), { type: 'link', url: API_ENTREPRISE_SITE_URL, label: 'Site d’API Entreprise' }],
  });
  return menus;
}

// ---------------------------------------------------------------------------------------------
// Starting with the user's session

export interface LoginItemTarget {
  platform: NodeJS.Platform;
  /** What the system starts: the installed executable (on Linux, the AppImage file when there is one). */
  executable: string;
  /** Arguments before Vigie's own (the app folder when running unpackaged). */
  leadingArgs: readonly string[];
}

/** What Electron's `app.setLoginItemSettings` receives (Windows and macOS). */
export interface LoginItemSettingsModel {
  openAtLogin: boolean;
  openAsHidden?: boolean;
  path?: string;
  args?: string[];
}

export type LoginItemPlan =
  | { kind: 'login-item'; settings: LoginItemSettingsModel }
  /** Linux has no login-item API: a desktop entry in the XDG autostart folder, or none. */
  | { kind: 'autostart-entry'; enabled: boolean; fileName: string; content: string };

export const AUTOSTART_FILE_NAME = 'vigie.desktop';

export function loginItemPlan(
  settings: Pick<AppSettings, 'openAtLogin' | 'keepRunningInTray'>,
  target: LoginItemTarget,
): LoginItemPlan {
  // with the tray keeping Vigie running, a start with the session needs no window
  const hidden = settings.openAtLogin && settings.keepRunningInTray;
  const args = [...target.leadingArgs, ...(hidden ? [HIDDEN_START_FLAG] : [])];
  if (target.platform === 'darwin') {
    // macOS passes no arguments to a login item; the app reads wasOpenedAtLogin instead
    return { kind: 'login-item', settings: { openAtLogin: settings.openAtLogin, openAsHidden: hidden } };
  }
  if (target.platform === 'win32') {
    return { kind: 'login-item', settings: { openAtLogin: settings.openAtLogin, path: target.executable, args } };
  }
  const exec = [target.executable, ...args].map(quoteExecArgument).join(' ');
  return {
    kind: 'autostart-entry',
    enabled: settings.openAtLogin,
    fileName: AUTOSTART_FILE_NAME,
    content: [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Vigie',
      'Comment=Registre des tiers de la commune, tenu à jour avec API Entreprise',
      `Exec=${exec}`,
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n'),
  };
}

/** Where Linux desktops look for entries to start with the session (XDG Autostart). */
export function xdgAutostartFolder(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const configHome = env['XDG_CONFIG_HOME'];
  // the specification says a relative XDG_CONFIG_HOME is invalid and must be ignored
  return `${configHome && configHome.startsWith('/') ? configHome : `${home}/.config`}/autostart`;
}

/** The Desktop Entry specification's quoting of an Exec argument. */
function quoteExecArgument(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument;
  return `"${argument.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/** What the shell does with a plan: Electron's login item, or a file in the autostart folder. */
export interface LoginItemPort {
  setLoginItemSettings(settings: LoginItemSettingsModel): void;
  writeAutostartEntry(fileName: string, content: string): void;
  removeAutostartEntry(fileName: string): void;
}

export function applyLoginItem(
  settings: Pick<AppSettings, 'openAtLogin' | 'keepRunningInTray'>,
  target: LoginItemTarget,
  port: LoginItemPort,
): LoginItemPlan {
  const plan = loginItemPlan(settings, target);
  if (plan.kind === 'login-item') port.setLoginItemSettings(plan.settings);
  else if (plan.enabled) port.writeAutostartEntry(plan.fileName, plan.content);
  else port.removeAutostartEntry(plan.fileName);
  return plan;
}

export interface StartContext {
  argv: readonly string[];
  /** macOS: `app.getLoginItemSettings().wasOpenedAtLogin` (no arguments reach a login item there). */
  openedAtLogin: boolean;
  keepRunningInTray: boolean;
  hasTray: boolean;
}

/** Whether this start shows no window: a start with the session while the tray keeps Vigie running. */
export function startsHidden(context: StartContext): boolean {
  const atLogin = context.openedAtLogin || context.argv.includes(HIDDEN_START_FLAG);
  return atLogin && context.keepRunningInTray && context.hasTray;
}
