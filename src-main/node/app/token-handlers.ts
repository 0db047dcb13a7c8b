import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import { API_ENTREPRISE_ACCOUNT_URL, type TokenVault } from '../token/token-vault';
import { UserFacingError } from '../user-facing-error';
import type { RestoreResult } from '../safety/database-backup';

/** What only the desktop shell can do; tests and the harness record the calls. */
export interface DesktopActions {
  /** Opens an allow-listed https page in the system browser. */
  openExternal(url: string): Promise<void>;
  /** A system notification (the settings may turn them off). */
  notify?(title: string, body: string): void;
  /** Keeps the computer from sleeping while a refresh runs. */
  keepAwake?(active: boolean): void;
  /**
   * Closes the register, puts this backup in its place (the current one kept aside) and restarts.
   * `afterRestore` runs once the database is in place, before the restart, with the register
   * still closed: the transfer import swaps the documents folder and applies its settings there.
   */
  restoreAndRestart?(backupPath: string, afterRestore?: (restored: RestoreResult) => void): Promise<void>;
  /**
   * Starts Vigie with the user's session, or stops doing so; `startInTray` adds the hidden-start
   * flag so that such a start shows no window. Throws when the system refuses.
   */
  setOpenAtLogin?(enabled: boolean, options: { startInTray: boolean }): void;
  /** Closes the register and starts Vigie again (a data folder move runs at that start). */
  relaunch?(): void;
}

type TokenChannels =
  | 'token.summary'
  | 'token.submit'
  | 'token.remove'
  | 'token.reminder'
  | 'token.acknowledgeReminder'
  | 'token.openAccountPage';

export function tokenHandlers(vault: TokenVault, desktop?: DesktopActions): Pick<IpcHandlers, TokenChannels> {
  return {
    'token.summary': () => vault.summary(),
    'token.submit': ({ token, consentToWeakProtection }) => vault.submit(token, consentToWeakProtection),
    'token.remove': () => {
      vault.remove();
      return vault.summary();
    },
    'token.reminder': () => vault.dueReminder(),
    'token.acknowledgeReminder': ({ thresholdDays }) => {
      vault.acknowledgeReminder(thresholdDays);
      return null;
    },
    'token.openAccountPage': async () => {
      if (!desktop) throw new UserFacingError('bad-input', 'Ouvrez https://entreprise.api.gouv.fr/compte dans votre navigateur.');
      // a fixed address: the renderer never chooses what the system browser opens
      await desktop.openExternal(API_ENTREPRISE_ACCOUNT_URL);
      return null;
    },
  };
}
