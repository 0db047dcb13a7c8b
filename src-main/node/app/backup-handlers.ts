import { basename, join } from 'node:path';
import type { BackupView } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { Clock } from '../clock';
import { createBackup, describeBackup, listBackups, type BackupInfo } from '../safety/database-backup';
import { UserFacingError } from '../user-facing-error';
import { assertNoOtherProcessRefreshing } from '../refresh/refresh-lock';

export interface BackupHandlerDeps {
  db: VigieDatabase;
  backupDir: string;
  clock: Clock;
  nativeBinding?: string;
  /** Closes the register, restores this file and restarts the app (only the shell can restart). */
  restoreAndRestart?: (backupPath: string) => Promise<void>;
}

function view(backup: BackupInfo): BackupView {
  return { fileName: backup.fileName, createdAt: backup.createdAt.toISOString(), sizeBytes: backup.sizeBytes, label: describeBackup(backup) };
}

export function backupHandlers(deps: BackupHandlerDeps): Pick<IpcHandlers, 'backups.list' | 'backups.create' | 'backups.restore'> {
  return {
    'backups.list': () => listBackups(deps.backupDir).map(view),
    'backups.create': async () => {
      const result = await createBackup(deps.db, { dir: deps.backupDir, now: () => new Date(deps.clock.now()), nativeBinding: deps.nativeBinding });
      return view(result.backup);
    },
    'backups.restore': async ({ fileName }) => {
      // only a file the backups folder lists: the renderer never names a path
      const backup = listBackups(deps.backupDir).find((b) => b.fileName === fileName);
      if (!backup || basename(backup.path) !== fileName) throw new UserFacingError('not-found', 'Cette sauvegarde n’existe plus.');
      if (!deps.restoreAndRestart) throw new UserFacingError('bad-input', 'La restauration se fait depuis l’application installée.');
      assertNoOtherProcessRefreshing(deps.db.name, 'Attendez sa fin avant de restaurer une sauvegarde.');
      await deps.restoreAndRestart(join(deps.backupDir, backup.fileName));
      return null;
    },
  };
}
