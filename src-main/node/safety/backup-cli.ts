// `npm run cli -- backup|restore`: the same backup and restore as the app, for a secretary's IT
// support or a scheduled task. The CLI entry (src-main/cli/vigie-cli.ts) hands the arguments
// over unchanged: `if (isBackupCommand(argv)) return runBackupCli(argv, io);` before its own
// option parsing, since these commands take options the other commands do not.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { UserFacingError } from '../user-facing-error';
import { BACKUPS_FOLDER_NAME, createBackup, describeBackup, listBackups, restoreBackup } from './database-backup';
import { checkSqliteFile, frenchDateTime } from './sqlite-file-check';

export interface BackupCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface BackupCliOptions {
  now?: () => Date;
}

export const BACKUP_USAGE = `  npm run cli -- backup --db BASE.sqlite3 [--dir DOSSIER] [--json]
  npm run cli -- restore SAUVEGARDE.sqlite3 --db BASE.sqlite3 [--json]
  npm run cli -- restore --latest --db BASE.sqlite3 [--dir DOSSIER] [--json]
  npm run cli -- restore --list --db BASE.sqlite3 [--dir DOSSIER]

  backup    copie la base (même pendant que Vigie l’utilise), vérifie la copie et garde
            7 sauvegardes quotidiennes, 4 hebdomadaires et 12 mensuelles
            (dossier par défaut : « ${BACKUPS_FOLDER_NAME} » à côté de la base)
  restore   remplace la base par une sauvegarde vérifiée ; Vigie doit être fermée ;
            la base remplacée est conservée à côté (BASE.sqlite3.before-restore-…)`;

export function isBackupCommand(argv: readonly string[]): boolean {
  return argv[0] === 'backup' || argv[0] === 'restore';
}

/** Runs `backup` or `restore`; returns the exit code (0 success, 1 failure, 2 incomplete command). */
export async function runBackupCli(argv: readonly string[], io: BackupCliIo, options: BackupCliOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        dir: { type: 'string' },
        latest: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${BACKUP_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, extra] = positionals;
  if (!values.db || extra !== undefined) {
    io.err(`Indiquez la base avec --db.\n\n${BACKUP_USAGE}`);
    return 2;
  }
  const dbPath = resolve(values.db);
  const dir = resolve(values.dir ?? join(dirname(dbPath), BACKUPS_FOLDER_NAME));
  try {
    if (command === 'backup') return await backup(dbPath, dir, values.json, io, options);
    if (command === 'restore') {
      if (values.list) return list(dir, io);
      const chosen = file ? resolve(file) : values.latest ? (listBackups(dir)[0]?.path ?? null) : undefined;
      if (chosen === undefined) {
        io.err(`Indiquez la sauvegarde à restaurer, ou --latest pour la plus récente.\n\n${BACKUP_USAGE}`);
        list(dir, io);
        return 2;
      }
      if (chosen === null) {
        io.err(`Aucune sauvegarde dans ${dir}.`);
        return 1;
      }
      return restore(chosen, dbPath, values.json, io, options);
    }
    io.err(`Commande inconnue.\n\n${BACKUP_USAGE}`);
    return 2;
  } catch (error) {
    if (error instanceof UserFacingError) {
      io.err(`Erreur : ${error.message}`);
      return 1;
    }
    io.err(`Erreur inattendue : ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function backup(dbPath: string, dir: string, json: boolean, io: BackupCliIo, options: BackupCliOptions): Promise<number> {
  if (!existsSync(dbPath)) {
    io.err(`Erreur : la base ${dbPath} est introuvable.`);
    return 1;
  }
  const verdict = checkSqliteFile(dbPath, { mode: 'quick' });
  if (verdict.status === 'corrupt') {
    // copying a damaged base would rotate a good old copy out for a bad new one
    io.err('Erreur : la base est endommagée, elle n’a pas été sauvegardée. Les sauvegardes existantes sont conservées ; restaurez la plus récente avec « restore --latest ».');
    return 1;
  }
  // opened as is, without migrations: a backup must not change the file it copies
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = await createBackup(db, { dir, now: options.now });
    if (json) {
      io.out(JSON.stringify({ backup: result.backup.path, sizeBytes: result.backup.sizeBytes, removed: result.removed, durationMs: result.durationMs }));
    } else {
      const removed = result.removed.length > 0 ? `\n${result.removed.length} ancienne(s) sauvegarde(s) supprimée(s) selon la règle de conservation.` : '';
      io.out(`Sauvegarde vérifiée : ${result.backup.path} (${formatSize(result.backup.sizeBytes)}).${removed}`);
    }
    return 0;
  } finally {
    db.close();
  }
}

function restore(backupPath: string, dbPath: string, json: boolean, io: BackupCliIo, options: BackupCliOptions): number {
  const result = restoreBackup(backupPath, dbPath, { now: options.now });
  if (json) {
    io.out(JSON.stringify(result));
  } else {
    const aside = result.keptAside ? `\nL’ancienne base est conservée sous ${result.keptAside}.` : '';
    io.out(`Base restaurée à partir de ${result.restoredFrom}.${aside}`);
  }
  return 0;
}

function list(dir: string, io: BackupCliIo): number {
  const backups = listBackups(dir);
  if (backups.length === 0) {
    io.out(`Aucune sauvegarde dans ${dir}.`);
    return 0;
  }
  io.out(`Sauvegardes dans ${dir} (la plus récente d’abord) :`);
  for (const backup of backups) io.out(`  ${backup.fileName}  ${frenchDateTime(backup.createdAt)}  ${formatSize(backup.sizeBytes)}`);
  const latest = backups[0];
  if (latest) io.out(`Pour restaurer ${describeBackup(latest)} : npm run cli -- restore --latest --db …`);
  return 0;
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} Ko`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}
