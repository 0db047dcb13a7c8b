// The Electron shell: creates the window, wires the adapters only Electron has, and hands
// every request to the core. Everything it calls is plain Node code tested without Electron.
import { app, BrowserWindow, dialog, ipcMain, net, powerMonitor, powerSaveBlocker, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_INVOKE_CHANNEL } from '../common/ipc-channels';
import { createVigieCore, type VigieCore } from '../node/app/vigie-core';
import { DemoModeSwitcher } from '../node/app/demo-mode';
import { stderrLogger } from '../node/logger';
import { APP_ORIGIN, isTrustedSenderUrl } from '../node/ipc/trusted-sender';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { electronFileDialogs } from './file-dialogs-electron';
import { denyAllPermissions, lockDownWebContents, secureWebPreferences } from './window-security';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { createElectronKeyValueStore } from './electron-key-value-store';
import { TOKEN_CHECK_INTERVAL_MS, TokenWatch } from '../node/token/token-watch';
import { RotatingLog, redactingLogger, teeLogger } from '../node/logging/rotating-log';
import { BACKUPS_FOLDER_NAME } from '../node/safety/database-backup';
import { prepareDatabase, quitNow } from './database-startup';
import { harmlessDesktopActions, shellDesktopActions } from './desktop-actions-electron';
import { REFRESH_EXIT, runHeadlessRefresh } from '../node/app/headless-refresh';
import { isHeadlessRefresh, launchRequest, relaunchArguments, secondInstanceAction } from '../node/app/second-instance';
import { checkDatabaseAtStartup } from '../node/safety/database-integrity';
import {
  applicationMenuModel,
  launchRefreshFromTray,
  quitWhenAllWindowsClosed,
  startsHidden,
  takeFirstHideNotice,
  windowCloseDecision,
  type CloseContext,
} from '../node/app/desktop-lifecycle';
import { aboutDialog, describeApp } from '../node/app/app-about';
import { openExternalSafely } from '../node/safety/external-links';
import type { KeyValueStore } from '../node/settings/key-value-store';
import { createVigieTray, type VigieTray } from './tray-electron';
import { installApplicationMenu, showAboutDialog } from './app-menu-electron';
import { wasOpenedAtLogin } from './login-item-electron';
import { DataFolder } from '../node/safety/data-folder';
import type { Logger } from '../node/logger';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
let mainWindow: BrowserWindow | null = null;
let core: VigieCore | null = null;
// the notification-area icon (null where the desktop has none) and whether the user asked to quit
let tray: VigieTray | null = null;
let quitRequested = false;
let desktopStore: KeyValueStore | null = null;

registerAppScheme();
// the interface is French only: Chromium's own widgets (date and time fields) follow it too
app.commandLine.appendSwitch('lang', 'fr-FR');
// defence in depth: every renderer sandboxed, whatever a window's options say
app.enableSandbox();
// `Vigie --headless-refresh` (Task Scheduler, cron): one refresh run, no window, no icon, an exit code
const headless = isHeadlessRefresh(process.argv);

// one Vigie per session: two would share one database and run the same night twice
if (!app.requestSingleInstanceLock(launchRequest(process.argv))) {
  // a scheduled refresh while Vigie is open: the open Vigie runs it (its second-instance handler)
  if (headless) app.exit(REFRESH_EXIT.handedOver);
  else app.quit();
} else {
  app.on('second-instance', (_event, argv, _workingDirectory, additionalData) => {
    const action = secondInstanceAction(argv, additionalData, { headless });
    if (action === 'ignore') return;
    if (action === 'start-refresh') {
      // the same request as the Mises à jour screen's « Lancer maintenant »
      void core?.dispatch('refresh.start', {});
      return;
    }
    if (action === 'reopen-as-app') {
      // a user opens Vigie during a scheduled refresh: the usual app takes the run over and resumes it
      core?.close();
      core = null;
      app.relaunch({ args: relaunchArguments(process.argv) });
      app.exit(REFRESH_EXIT.paused);
      return;
    }
    // the window may be hidden in the notification area, or not created yet (a start with the session)
    showWindow();
  });
}

// The data folder, before anything opens in it (electron-store, logs, database, Chromium's own
// files, all read from userData): a move asked for in Paramètres runs now, then userData points at
// the folder in use. The single-instance lock above stays in the default folder, read by every start.
const startupLog: [keyof Logger, string, Record<string, unknown> | undefined][] = [];
const dataFolder = new DataFolder({
  defaultDir: app.getPath('userData'),
  nativeBinding: electronSqliteBinding(),
  logger: {
    info: (message, fields) => startupLog.push(['info', message, fields]),
    warn: (message, fields) => startupLog.push(['warn', message, fields]),
    error: (message, fields) => startupLog.push(['error', message, fields]),
  },
});
const dataFolderStartup = app.hasSingleInstanceLock() ? dataFolder.prepareAtStartup() : null;
if (dataFolderStartup?.status === 'ready' && dataFolderStartup.dataDir !== app.getPath('userData')) app.setPath('userData', dataFolderStartup.dataDir);

const MAINTENANCE_INTERVAL_MS = 3_600_000;

/** better-sqlite3 built for Electron's ABI by `npm start` (scripts/electron-native-sqlite.mjs); packaged apps carry their own. */
function electronSqliteBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const candidate = join(app.getAppPath(), '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Vigie',
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    show: false,
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/preload.cjs')),
  });
  lockDownWebContents(mainWindow.webContents, (url) => isTrustedSenderUrl(url, devServerUrl));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', (event) => {
    if (windowCloseDecision(closeContext()) === 'close') return;
    // hidden, not closed: the night's refresh goes on and the icon brings the window back
    event.preventDefault();
    mainWindow?.hide();
    const notice = tray && desktopStore ? takeFirstHideNotice(desktopStore, process.platform) : null;
    if (notice) tray?.showNotice(notice);
  });
  // Windows ends the session without before-quit: never hold a logoff or a shutdown back
  mainWindow.on('query-session-end', () => {
    quitRequested = true;
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}

function closeContext(): CloseContext {
  return { platform: process.platform, keepRunningInTray: core?.settings.get().keepRunningInTray ?? false, hasTray: tray !== null, quitRequested };
}

/** Brings the window back from the notification area, or creates it after a start without one. */
function showWindow(): void {
  if (!core) return;
  if (!mainWindow) {
    createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

app.on('before-quit', () => {
  quitRequested = true;
});

void app.whenReady().then(async () => {
  if (dataFolderStartup?.status === 'unavailable') {
    if (!headless) dialog.showErrorBox('Vigie', dataFolderStartup.message);
    app.exit(headless ? REFRESH_EXIT.error : 1);
    return;
  }
  denyAllPermissions();
  serveRenderer(join(import.meta.dirname, '../renderer'));
  const userDataDir = app.getPath('userData');
  // redacted JSON lines in the user-data folder; the terminal too while developing
  const log = new RotatingLog({ dir: join(userDataDir, 'logs') });
  const logger = app.isPackaged ? log : teeLogger(log, redactingLogger(stderrLogger));
  app.on('will-quit', () => log.close());
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error: error.stack ?? error.message }));
  for (const [level, message, fields] of startupLog.splice(0)) logger[level](message, fields);
  const databasePath = join(userDataDir, 'vigie.sqlite3');
  const nativeBinding = electronSqliteBinding();
  // a scheduled refresh asks nothing: a register that needs a decision (damaged, missing) waits for the user
  if (headless && checkDatabaseAtStartup(databasePath, { backupDir: join(userDataDir, BACKUPS_FOLDER_NAME), nativeBinding }).status !== 'ok') {
    logger.error('headless refresh: the register needs the user, not refreshed');
    log.close();
    app.exit(REFRESH_EXIT.error);
    return;
  }
  if (!(await prepareDatabase(databasePath, join(userDataDir, BACKUPS_FOLDER_NAME), nativeBinding, logger))) {
    quitNow();
    return;
  }
  const store = createElectronKeyValueStore();
  desktopStore = store;
  const appInfo = { version: app.getVersion(), dataFolder: userDataDir, logsFolder: join(userDataDir, 'logs') };
  const notificationsEnabled = () => core?.settings.get().notifications ?? false;
  // the system browser and notifications: the same for the demonstration core and the token watch
  const harmless = harmlessDesktopActions(notificationsEnabled);
  // « Essayer avec des données de démonstration »: a second core beside this one, never its data (demo-mode.ts)
  const demo = new DemoModeSwitcher({
    userDataDir,
    logger,
    realCore: () => core,
    demoCore: {
      dialogs: electronFileDialogs(() => mainWindow),
      nativeBinding,
      desktop: harmless,
    },
  });
  app.on('will-quit', () => void demo.stopDemonstration());
  core = createVigieCore({
    databasePath,
    nativeBinding,
    dialogs: electronFileDialogs(() => mainWindow),
    logger,
    userDataDir,
    store,
    cipher: createSafeStorageCipher(userDataDir),
    // Chromium's network stack: the system proxy, PAC and certificate store apply
    transport: (url, init) => net.fetch(url, init),
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    dataFolder,
    appInfo,
    demoMode: demo.handlers,
    // CSV imports on a worker thread: a large file never freezes the window, the tray or the night's refresh
    importWorker: { path: join(import.meta.dirname, 'csv-import-worker.js') },
    desktop: shellDesktopActions({
      notificationsEnabled,
      closeCore: () => {
        core?.close();
        core = null;
      },
      databasePath,
      nativeBinding,
      logger,
    }),
  });
  // the register opened in the folder in use: a copy a move left in the previous folder can go
  dataFolder.confirmStarted(userDataDir);
  if (headless) {
    const headlessCore = core;
    app.dock?.hide();
    // the process lives for the run only: keep the computer awake until it exits
    powerSaveBlocker.start('prevent-app-suspension');
    await headlessCore.maintenance();
    const result = await runHeadlessRefresh(headlessCore, logger);
    headlessCore.close();
    core = null;
    log.close();
    app.exit(result.exitCode);
    return;
  }
  // resumes a run a crash or a shutdown interrupted, and arms the nightly schedule
  core.refresh.start();
  // timers drift while the computer sleeps: re-arm the night, catch up a window slept through
  powerMonitor.on('resume', () => core?.refresh.systemResumed());
  const vigie = core;
  const watch = new TokenWatch(core.vault, store, { notify: harmless.notify }, logger);
  void watch.check();
  setInterval(() => void watch.check(), TOKEN_CHECK_INTERVAL_MS).unref();
  void vigie.maintenance();
  setInterval(() => void vigie.maintenance(), MAINTENANCE_INTERVAL_MS).unref();
  const realDispatch = core.dispatch;
  // to the demonstration core while it is shown, else to this one: each validates against the contract
  const dispatch = demo.dispatch;
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) => {
    const frameUrl = event.senderFrame?.url;
    if (event.sender !== mainWindow?.webContents || !isTrustedSenderUrl(frameUrl, devServerUrl)) {
      logger.warn('ipc: message from an untrusted sender refused', { url: frameUrl?.slice(0, 200) });
      return { ok: false, error: { code: 'invalid-request', message: 'Demande refusée.' } };
    }
    return dispatch(channel, payload);
  });
  installApplicationMenu(applicationMenuModel({ platform: process.platform, isPackaged: app.isPackaged }), {
    actions: { about: () => void showAboutDialog(mainWindow, aboutDialog(describeApp(appInfo))) },
    openLink: (url) => void openExternalSafely(url, (allowed) => shell.openExternal(allowed)),
  });
  tray = createVigieTray({
    iconPath: join(import.meta.dirname, '../../resources/icon.png'),
    readInput: () => (core ? { refresh: core.refresh.status(), token: core.vault.summary() } : null),
    actions: {
      open: showWindow,
      // the same request as the Mises à jour screen's « Lancer maintenant »
      refresh: () =>
        void launchRefreshFromTray(realDispatch).then((refused) => {
          if (refused) tray?.showNotice({ title: 'Vigie', body: refused });
          tray?.update();
        }),
      quit: () => app.quit(),
    },
    logger,
  });
  // a start with the session goes straight to the notification area when Vigie stays running there
  const hasTray = tray !== null;
  if (!startsHidden({ argv: process.argv, openedAtLogin: wasOpenedAtLogin(), keepRunningInTray: vigie.settings.get().keepRunningInTray, hasTray })) {
    createWindow();
  }
  app.on('activate', () => showWindow());
});

app.on('web-contents-created', (_event, contents) => {
  lockDownWebContents(contents, (url) => isTrustedSenderUrl(url, devServerUrl));
});

app.on('window-all-closed', () => {
  // with the icon keeping Vigie running, the window is hidden, not closed: reaching here means quitting
  if (quitWhenAllWindowsClosed(closeContext())) app.quit();
});

app.on('will-quit', () => {
  tray?.destroy();
  tray = null;
  core?.close();
  core = null;
});
