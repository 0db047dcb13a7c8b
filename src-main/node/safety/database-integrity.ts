// The check the app runs on its database before opening it. A damaged file is never opened for
// work (SQLite would answer some queries and fail others, and the migrations would write into
// it): it is moved aside, untouched, under `vigie.sqlite3.corrupt-<instant>`, with its -wal and
// -shm, so that nothing in it is lost, and the caller is told which backup to offer. A file that
// merely cannot be read now (locked by another Vigie, no permission) is left where it is.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listBackups, type BackupInfo, BACKUPS_FOLDER_NAME, describeBackup } from './database-backup';
import { checkSqliteFile, fileStamp, freeName, moveDatabaseFiles, SIDE_SUFFIXES, type CheckKind, type CheckOptions } from './sqlite-file-check';

export interface StartupCheckOptions extends Pick<CheckOptions, 'nativeBinding' | 'mode' | 'quickCheckAboveBytes' | 'busyTimeoutMs'> {
  /** Where the backups are; default `backups` beside the database (`<userData>/backups` in the app). */
  backupDir?: string;
  now?: () => Date;
}

interface BackupOffer {
  /** Newest first. */
  backups: BackupInfo[];
  /** What to offer the user: the newest backup, or null when there is none. */
  latestBackup: BackupInfo | null;
}

export type StartupCheck =
  | ({
      /** No database yet. `movedFiles`: orphan -wal/-shm of a deleted database, moved aside so they cannot be replayed into a new one. */
      status: 'missing';
      movedFiles: string[];
      /** French; null on a first start (no backup either). */
      message: string | null;
    } & BackupOffer)
  | {
      status: 'ok';
      check: CheckKind;
      userVersion: number;
      durationMs: number;
    }
  | ({
      /** A valid SQLite file without the register (emptied, or a 0-byte file) while backups exist: ask before starting afresh. */
      status: 'empty';
      message: string;
    } & BackupOffer)
  | {
      /** Not checked and not touched: do not open it, tell the user. */
      status: 'unavailable';
      reason: 'busy' | 'access_denied' | 'io_error';
      detail: string;
      message: string;
    }
  | ({
      status: 'corrupt';
      reason: 'not_a_database' | 'malformed' | 'integrity_errors';
      /** What SQLite reported (English, for the log). */
      problems: string[];
      /** The damaged file's new path, or null when it could not be moved (see moveError). */
      movedTo: string | null;
      movedFiles: string[];
      moveError: string | null;
      message: string;
    } & BackupOffer);

function offer(backupDir: string): BackupOffer {
  const backups = listBackups(backupDir);
  return { backups, latestBackup: backups[0] ?? null };
}

/**
 * Checks `dbPath` before the app opens it (see the file's header). Synchronous: it runs once,
 * before the window shows anything. The caller opens the database only on `ok`, or on `missing`
 * and `empty` once the user chose between the offered backup and a fresh register; on `corrupt`
 * it offers `latestBackup` (restoreBackup) or a fresh register.
 */
export function checkDatabaseAtStartup(dbPath: string, options: StartupCheckOptions = {}): StartupCheck {
  const now = options.now ?? (() => new Date());
  const backupDir = options.backupDir ?? join(dirname(dbPath), BACKUPS_FOLDER_NAME);
  const verdict = checkSqliteFile(dbPath, {
    mode: options.mode,
    quickCheckAboveBytes: options.quickCheckAboveBytes,
    nativeBinding: options.nativeBinding,
    busyTimeoutMs: options.busyTimeoutMs,
  });

  switch (verdict.status) {
    case 'ok': {
      if (!verdict.hasRegister) {
        const backups = offer(backupDir);
        if (backups.latestBackup) {
          return {
            status: 'empty',
            ...backups,
            message: `La base de données de Vigie est vide alors qu’il existe des sauvegardes. Voulez-vous restaurer ${describeBackup(backups.latestBackup)} ?`,
          };
        }
      }
      return { status: 'ok', check: verdict.check, userVersion: verdict.userVersion, durationMs: verdict.durationMs };
    }
    case 'missing': {
      let movedFiles: string[] = [];
      if (SIDE_SUFFIXES.some((suffix) => existsSync(`${dbPath}${suffix}`))) {
        try {
          movedFiles = moveDatabaseFiles(dbPath, freeName(`${dbPath}.orphan-${fileStamp(now())}`));
        } catch (error) {
          return {
            status: 'unavailable',
            reason: 'io_error',
            detail: `orphan side files of ${basename(dbPath)} could not be moved: ${String(error)}`.slice(0, 300),
            message: 'Des fichiers de la base de données de Vigie sont bloqués : fermez les autres programmes puis relancez Vigie.',
          };
        }
      }
      const backups = offer(backupDir);
      return {
        status: 'missing',
        movedFiles,
        ...backups,
        message: backups.latestBackup
          ? `La base de données de Vigie est introuvable. Voulez-vous restaurer ${describeBackup(backups.latestBackup)} ?`
          : null,
      };
    }
    case 'unavailable':
      return { status: 'unavailable', reason: verdict.reason, detail: verdict.detail, message: unavailableMessage(verdict.reason) };
    case 'corrupt': {
      let movedTo: string | null = null;
      let movedFiles: string[] = [];
      let moveError: string | null = null;
      try {
        movedFiles = moveDatabaseFiles(dbPath, freeName(`${dbPath}.corrupt-${fileStamp(now())}`));
        movedTo = movedFiles[0] ?? null;
      } catch (error) {
        moveError = `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
      }
      const backups = offer(backupDir);
      return {
        status: 'corrupt',
        reason: verdict.reason,
        problems: verdict.problems,
        movedTo,
        movedFiles,
        moveError,
        ...backups,
        message: corruptMessage(movedTo, backups.latestBackup),
      };
    }
  }
}

function unavailableMessage(reason: 'busy' | 'access_denied' | 'io_error'): string {
  switch (reason) {
    case 'busy':
      return 'La base de données de Vigie est utilisée par un autre programme (Vigie est peut-être déjà ouverte, ou une commande est en cours). Fermez-le puis relancez Vigie.';
    case 'access_denied':
      return 'Vigie n’a pas le droit de lire sa base de données : vérifiez les droits du dossier de Vigie.';
    case 'io_error':
      return 'La base de données de Vigie n’a pas pu être lue (erreur du disque). Relancez Vigie ; si le problème continue, contactez votre support informatique.';
  }
}

function corruptMessage(movedTo: string | null, latest: BackupInfo | null): string {
  if (movedTo === null) {
    return 'La base de données de Vigie est endommagée et n’a pas pu être mise de côté. Fermez les autres programmes qui pourraient l’utiliser, puis relancez Vigie.';
  }
  const aside = `La base de données de Vigie est endommagée. Elle a été mise de côté, intacte, sous le nom « ${basename(movedTo)} ».`;
  return latest
    ? `${aside} Voulez-vous restaurer ${describeBackup(latest)} ?`
    : `${aside} Aucune sauvegarde n’est disponible : Vigie peut repartir d’un registre vide, le fichier endommagé reste conservé.`;
}
