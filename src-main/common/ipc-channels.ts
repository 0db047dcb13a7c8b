// Channel names only, without schemas: the sandboxed preload needs the list but not the validator.

export const IPC_CHANNELS = [
  'register.search',
  'register.stats',
  'register.get',
  'csv.chooseImportFile',
  'csv.previewImport',
  'csv.commitImport',
  'csv.exportRegister',
  'token.summary',
  'token.submit',
  'token.remove',
  'token.reminder',
  'token.acknowledgeReminder',
  'token.openAccountPage',
  'settings.get',
  'settings.update',
  'app.about',
  'app.restartNotice',
  'dashboard.summary',
  'supplier.detail',
  'supplier.update',
  'supplier.create',
  'supplier.lookup',
  'documents.read',
  'documents.saveAs',
  'journal.search',
  'journal.export',
  'refresh.status',
  'refresh.start',
  'refresh.pause',
  'refresh.resume',
  'refresh.cancel',
  'refresh.history',
  'refresh.settings.get',
  'refresh.settings.update',
  'refresh.answerCatchUp',
  'supplier.refreshNow',
  'backups.list',
  'backups.create',
  'backups.restore',
  'connection.test',
  'dataFolder.get',
  'dataFolder.move',
  'dataFolder.cancelMove',
  'demo.status',
  'demo.enter',
  'demo.leave',
  'transfer.export',
  'transfer.previewImport',
  'transfer.commitImport',
  'transfer.discardImport',
] as const;

export type IpcChannel = (typeof IPC_CHANNELS)[number];

/** The one ipcMain channel the preload forwards every call through. */
export const IPC_INVOKE_CHANNEL = 'vigie:invoke';

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value);
}
