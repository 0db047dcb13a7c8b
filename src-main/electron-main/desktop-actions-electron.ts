// The desktop actions the core may ask of the shell (token-handlers.ts, DesktopActions), done with
// Electron: the system browser, notifications, sleep prevention, the login item, restarts.
import { app, Notification, powerSaveBlocker, shell } from 'electron';
import type { DesktopActions } from '../node/app/token-handlers';
import { applyLoginItem } from '../node/app/desktop-lifecycle';
import type { Logger } from '../node/logger';
import { restoreBackup } from '../node/safety/database-backup';
import { leaveRestartNotice, replacementNotice } from '../node/safety/restart-notice';
import { dirname } from 'node:path';
import { API_ENTREPRISE_ACCOUNT_URL } from '../node/token/token-vault';
import { electronLoginItemPort, electronLoginItemTarget } from './login-item-electron';

/** The two actions a demonstration core gets too: they touch nothing of the real register. */
export function harmlessDesktopActions(notificationsEnabled: () => boolean): Required<Pick<DesktopActions, 'openExternal' | 'notify'>> {
  return {
    openExternal: async (url) => {
      // a fixed address: the renderer never chooses what the system browser opens
      if (url !== API_ENTREPRISE_ACCOUNT_URL) throw new Error('external URL not allowed');
      await shell.openExternal(url);
    },
    // the user may turn system notifications off in the settings; the in-app banners stay
    notify: (title, body) => {
      if (notificationsEnabled() && Notification.isSupported()) new Notification({ title, body }).show();
    },
  };
}

export interface ShellDesktopOptions {
  notificationsEnabled: () => boolean;
  /** Closes the register before a restore or a restart. */
  closeCore: () => void;
  databasePath: string;
  nativeBinding: string | undefined;
  logger: Logger;
}

/** Everything the real core may ask; restarts close the register first. */
export function shellDesktopActions(options: ShellDesktopOptions): DesktopActions {
  const { closeCore, databasePath, nativeBinding, logger } = options;
  let blockerId: number | null = null;
  return {
    ...harmlessDesktopActions(options.notificationsEnabled),
    relaunch: () => {
      closeCore();
      app.relaunch();
      app.exit(0);
    },
    setOpenAtLogin: (enabled, { startInTray }) => {
      applyLoginItem({ openAtLogin: enabled, keepRunningInTray: startInTray }, electronLoginItemTarget(), electronLoginItemPort());
    },
    restoreAndRestart: async (backupPath, afterRestore) => {
      closeCore();
      try {
        const restored = restoreBackup(backupPath, databasePath, { nativeBinding });
        afterRestore?.(restored);
        logger.info('backup restored on request', { backup: backupPath });
        leaveRestartNotice(dirname(databasePath), replacementNotice(null, new Date()), logger);
      } catch (error) {
        // the restore put everything back; the restarted app opens the register it had, and says so
        logger.error('restore failed', { error: error instanceof Error ? error.message : String(error) });
        leaveRestartNotice(dirname(databasePath), replacementNotice(error, new Date()), logger);
      } finally {
        app.relaunch();
        app.exit(0);
      }
    },
    keepAwake: (active) => {
      if (active && blockerId === null) blockerId = powerSaveBlocker.start('prevent-app-suspension');
      if (!active && blockerId !== null) {
        powerSaveBlocker.stop(blockerId);
        blockerId = null;
      }
    },
  };
}
