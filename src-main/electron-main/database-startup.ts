import { app, dialog } from 'electron';
import type { Logger } from '../node/logger';
import { checkDatabaseAtStartup } from '../node/safety/database-integrity';
import { restoreBackup } from '../node/safety/database-backup';

/**
 * Before the register is opened: a damaged or missing database is never opened as is. The user
 * chooses between the latest backup and a fresh register; a locked or unreadable file stops the
 * app with an explanation. Returns false when the app must quit.
 */
export async function prepareDatabase(dbPath: string, backupDir: string, nativeBinding: string | undefined, logger: Logger): Promise<boolean> {
  const check = checkDatabaseAtStartup(dbPath, { backupDir, nativeBinding });
  logger.info('database check at start-up', { status: check.status });
  if (check.status === 'ok') return true;
  if (check.status === 'unavailable') {
    logger.error('database unavailable', { reason: check.reason, detail: check.detail });
    dialog.showErrorBox('Vigie', check.message);
    return false;
  }
  if (check.status === 'corrupt') logger.error('database damaged, moved aside', { reason: check.reason, movedTo: check.movedTo, problems: check.problems.slice(0, 5) });
  if (!check.latestBackup || check.message === null) return true;
  const { response } = await dialog.showMessageBox({
    type: check.status === 'corrupt' ? 'warning' : 'question',
    title: 'Vigie',
    message: check.message,
    buttons: ['Restaurer la dernière sauvegarde', 'Repartir d’un registre vide', 'Quitter'],
    defaultId: 0,
    cancelId: 2,
  });
  if (response === 2) return false;
  if (response === 0) {
    try {
      restoreBackup(check.latestBackup.path, dbPath, { nativeBinding });
      logger.info('backup restored at start-up', { backup: check.latestBackup.path });
    } catch (error) {
      logger.error('restore failed', { error: error instanceof Error ? error.message : String(error) });
      dialog.showErrorBox('Vigie', error instanceof Error ? error.message : 'La restauration a échoué.');
      return false;
    }
  }
  return true;
}

export function quitNow(): void {
  app.exit(0);
}
