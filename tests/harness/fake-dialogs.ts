import type { FileDialogs } from '../../src-main/node/app/file-dialogs';

/** File pickers that answer from queues instead of asking a person; null means "cancelled". */
export interface FakeDialogs extends FileDialogs {
  importAnswers: (string | null)[];
  exportAnswers: (string | null)[];
  /** The default file names the core proposed for exports. */
  proposedExportNames: string[];
  /** Answers of the « Enregistrer sous » dialog for documents (PDF). */
  documentAnswers: (string | null)[];
  /** The default file names the core proposed for documents. */
  proposedDocumentNames: string[];
  /** Answers of the « Changer de poste » dialogs: where to write the archive, which one to import. */
  transferExportAnswers: (string | null)[];
  transferImportAnswers: (string | null)[];
  /** The default file names the core proposed for transfer archives. */
  proposedTransferNames: string[];
  /** Answers of the « Dossier des données » folder picker. */
  dataFolderAnswers: (string | null)[];
}

/** Each answer is used once; once a queue is empty, the last answer is repeated. */
export function fakeDialogs(
  answers: {
    imports?: (string | null)[];
    exports?: (string | null)[];
    documents?: (string | null)[];
    transferExports?: (string | null)[];
    transferImports?: (string | null)[];
    dataFolders?: (string | null)[];
  } = {},
): FakeDialogs {
  const dialogs: FakeDialogs = {
    importAnswers: [...(answers.imports ?? [])],
    exportAnswers: [...(answers.exports ?? [])],
    proposedExportNames: [],
    documentAnswers: [...(answers.documents ?? [])],
    proposedDocumentNames: [],
    transferExportAnswers: [...(answers.transferExports ?? [])],
    transferImportAnswers: [...(answers.transferImports ?? [])],
    proposedTransferNames: [],
    dataFolderAnswers: [...(answers.dataFolders ?? [])],
    chooseCsvToImport: () => Promise.resolve(next(dialogs.importAnswers)),
    chooseCsvExportPath: (defaultFileName) => {
      dialogs.proposedExportNames.push(defaultFileName);
      return Promise.resolve(next(dialogs.exportAnswers));
    },
    chooseDocumentSavePath: (defaultFileName) => {
      dialogs.proposedDocumentNames.push(defaultFileName);
      return Promise.resolve(next(dialogs.documentAnswers));
    },
    chooseTransferArchiveSavePath: (defaultFileName) => {
      dialogs.proposedTransferNames.push(defaultFileName);
      return Promise.resolve(next(dialogs.transferExportAnswers));
    },
    chooseTransferArchiveToImport: () => Promise.resolve(next(dialogs.transferImportAnswers)),
    chooseDataFolder: () => Promise.resolve(next(dialogs.dataFolderAnswers)),
  };
  return dialogs;
}

function next(queue: (string | null)[]): string | null {
  if (queue.length > 1) return queue.shift() ?? null;
  return queue[0] ?? null;
}
