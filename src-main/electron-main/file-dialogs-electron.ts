import { dialog, type BrowserWindow } from 'electron';
import type { FileDialogs } from '../node/app/file-dialogs';

const CSV_FILTERS = [
  { name: 'Fichiers CSV', extensions: ['csv', 'txt'] },
  { name: 'Tous les fichiers', extensions: ['*'] },
];

const TRANSFER_FILTERS = [{ name: 'Archives de transfert Vigie', extensions: ['zip'] }];

export function electronFileDialogs(window: () => BrowserWindow | null): FileDialogs {
  return {
    async chooseCsvToImport() {
      const owner = window();
      const options = { title: 'Importer un fichier CSV', filters: CSV_FILTERS, properties: ['openFile' as const] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseCsvExportPath(defaultFileName) {
      const owner = window();
      const options = { title: 'Exporter le registre', defaultPath: defaultFileName, filters: CSV_FILTERS };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseDocumentSavePath(defaultFileName) {
      const owner = window();
      const options = { title: 'Enregistrer le document', defaultPath: defaultFileName, filters: [{ name: 'Documents PDF', extensions: ['pdf'] }] };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseTransferArchiveSavePath(defaultFileName) {
      const owner = window();
      const options = { title: 'Exporter le registre pour un autre poste', defaultPath: defaultFileName, filters: TRANSFER_FILTERS };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseTransferArchiveToImport() {
      const owner = window();
      const options = { title: 'Importer le registre d’un autre poste', filters: TRANSFER_FILTERS, properties: ['openFile' as const] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseDataFolder() {
      const owner = window();
      const options = {
        title: 'Choisir où ranger les données de Vigie',
        buttonLabel: 'Choisir ce dossier',
        properties: ['openDirectory' as const, 'createDirectory' as const],
      };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
