/** The native file pickers, which only the Electron shell has; tests and the harness pass their own. */
export interface FileDialogs {
  /** The CSV file the user picked, or null when they cancelled. */
  chooseCsvToImport(): Promise<string | null>;
  /** Where the user wants the export written, or null when they cancelled. */
  chooseCsvExportPath(defaultFileName: string): Promise<string | null>;
  /** Where to save a copy of a PDF ("Enregistrer sous"), or null when cancelled. */
  chooseDocumentSavePath?(defaultFileName: string): Promise<string | null>;
  /** Where to write the « Changer de poste » archive (.zip), or null when cancelled. */
  chooseTransferArchiveSavePath?(defaultFileName: string): Promise<string | null>;
  /** The « Changer de poste » archive to import, or null when cancelled. */
  chooseTransferArchiveToImport?(): Promise<string | null>;
  /** The folder to move Vigie's data into (a `Vigie` folder is made inside it), or null when cancelled. */
  chooseDataFolder?(): Promise<string | null>;
}
