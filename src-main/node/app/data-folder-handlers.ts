// « Dossier des données » in Paramètres: where the data is, and a move to another folder (or back
// to the default one) that runs at the next start, before anything is open.
import type { Clock } from '../clock';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { Logger } from '../logger';
import type { DataFolder } from '../safety/data-folder';
import { UserFacingError } from '../user-facing-error';
import type { FileDialogs } from './file-dialogs';

/** Long enough for the renderer to show that Vigie restarts before the window closes. */
const RELAUNCH_DELAY_MS = 1_500;

export interface DataFolderHandlerOptions {
  dataFolder: DataFolder;
  dialogs: FileDialogs;
  clock: Clock;
  logger: Logger;
  /** The shell's restart; without it the move waits for the next start the user makes. */
  relaunch?: () => void;
}

type DataFolderChannels = 'dataFolder.get' | 'dataFolder.move' | 'dataFolder.cancelMove';

export function dataFolderHandlers(options: DataFolderHandlerOptions): Pick<IpcHandlers, DataFolderChannels> {
  const { dataFolder, dialogs, clock, logger, relaunch } = options;
  return {
    'dataFolder.get': () => dataFolder.view(),
    'dataFolder.move': async ({ to }) => {
      let folder: string | 'default';
      if (to === 'default') {
        folder = 'default';
      } else {
        if (!dialogs.chooseDataFolder) throw new UserFacingError('bad-input', 'Le choix d’un dossier se fait depuis l’application installée.');
        const chosen = await dialogs.chooseDataFolder();
        if (chosen === null) return null;
        folder = chosen;
      }
      dataFolder.scheduleMove(folder);
      if (relaunch) {
        logger.info('data folder: restarting to move the data');
        clock.setTimer(relaunch, RELAUNCH_DELAY_MS);
      }
      return { view: dataFolder.view(), restarting: relaunch !== undefined };
    },
    'dataFolder.cancelMove': () => {
      dataFolder.cancelPendingMove();
      return dataFolder.view();
    },
  };
}
