import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { ImportReport } from '../../common/ipc-contract';
import { exportSuppliersCsv } from '../csv/csv-export';
import { importRunnerWithFallback, inProcessImportRunner, workerImportRunner } from '../csv/import-runner';
import { openDatabase, type VigieDatabase } from '../db/database';
import { createIpcDispatcher, type IpcDispatch, type IpcHandlers } from '../ipc/ipc-dispatcher';
import type { Logger } from '../logger';
import { SupplierRepository } from '../register/supplier-repository';
import { SupplierSearch } from '../register/supplier-search';
import { UserFacingError } from '../user-facing-error';
import type { FileDialogs } from './file-dialogs';
import { asFileError } from './file-errors';
import { supplierHandlers } from './supplier-handlers';
import { DocumentStore } from '../documents/document-store';
import type { HttpTransport } from '../api-entreprise/api-client';
import { type Clock, systemClock } from '../clock';
import { MemoryKeyValueStore, type KeyValueStore } from '../settings/key-value-store';
import { apiBaseUrl, SettingsRepository } from '../settings/app-settings';
import { RefreshSettingsRepository } from '../settings/refresh-settings';
import { LocalKeyCipher, type SecretCipher } from '../token/secret-cipher';
import { TokenVault } from '../token/token-vault';
import { ApiService } from './api-service';
import { tokenHandlers, type DesktopActions } from './token-handlers';
import { settingsHandlers } from './settings-handlers';
import { AttemptJournal } from '../refresh/attempt-journal';
import { RefreshService } from './refresh-service';
import { backupHandlers } from './backup-handlers';
import { transferHandlers } from './transfer-handlers';
import { BACKUPS_FOLDER_NAME, createBackup, isBackupDue, listBackups } from '../safety/database-backup';
import { complianceCounts, complianceParams } from '../register/compliance';
import { ENDPOINTS } from '../api-entreprise/endpoint-catalogue';
import { defaultAppInfo, describeApp, type AppInfo } from './app-about';
import { demoModeUnavailable, type DemoModeHandlers } from '../demo/demo-channels';
import { checkConnection } from '../network/connection-check';
import { createAppConnectionProbes } from '../network/connection-probes';
import { DataFolder } from '../safety/data-folder';
import { dataFolderHandlers } from './data-folder-handlers';
import { takeRestartNotice } from '../safety/restart-notice';
import { pruneKeptAside } from '../safety/kept-aside-cleanup';

export interface VigieCoreOptions {
  databasePath: string;
  /** better-sqlite3 built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  dialogs: FileDialogs;
  logger: Logger;
  now?: () => Date;
  clock?: Clock;
  /** Where documents and keys live; defaults to the database's folder. */
  userDataDir?: string;
  /** Settings and the token's ciphertext: electron-store in the app. */
  store?: KeyValueStore;
  /** safeStorage in the app; a local key file elsewhere (weaker, the user is asked to agree). */
  cipher?: SecretCipher;
  /** net.fetch in the app (system proxy and certificates); global fetch elsewhere. */
  transport?: HttpTransport;
  desktop?: DesktopActions;
  /** « À propos »: the app's version and folders as the shell knows them; defaults to the package version and userDataDir. */
  appInfo?: AppInfo;
  /** The demonstration's channels, answered by the app's switcher (see demo-mode.ts); none outside the app. */
  demoMode?: DemoModeHandlers;
  /** « Tester la connexion »: Chromium's proxy resolver in the app (session.resolveProxy); HTTPS_PROXY/NO_PROXY otherwise. */
  resolveProxy?: (url: string) => Promise<string>;
  /** Where the data is and its moves; defaults to userDataDir as the default folder. */
  dataFolder?: DataFolder;
  /** The built CSV import worker: imports then run on a worker thread (the app); on the calling thread when absent. */
  importWorker?: { path: string | URL; execArgv?: string[] };
}

export interface VigieCore {
  readonly db: VigieDatabase;
  readonly dispatch: IpcDispatch;
  readonly vault: TokenVault;
  readonly settings: SettingsRepository;
  readonly api: ApiService;
  readonly refresh: RefreshService;
  /** Once at start-up and then hourly: the daily backup when due, the journal's 36-month purge. */
  maintenance(): Promise<MaintenanceReport>;
  close(): void;
}

export interface MaintenanceReport {
  backup: string | null;
  purgedJournalLines: number;
  /** Copies kept aside by restores and transfer imports, removed past their retention. */
  removedKeptAside: string[];
}

/** Builds the main process's services over one database; the same object serves Electron, the CLI and the harness. */
export function createVigieCore(options: VigieCoreOptions): VigieCore {
  const { logger, dialogs } = options;
  const clock = options.clock ?? systemClock;
  const now = () => (options.now ? options.now() : new Date(clock.now())).toISOString();
  const db = openDatabase(options.databasePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const userDataDir = options.userDataDir ?? dirname(options.databasePath);
  const store = options.store ?? new MemoryKeyValueStore();
  const settings = new SettingsRepository(store);
  const api = new ApiService({
    settings,
    transport: options.transport ?? ((url, init) => fetch(url, init)),
    documentsRoot: join(userDataDir, 'documents'),
    clock,
    logger,
    tokenProvider: () => vault.tokenForRequest(),
    onTokenRefused: (error) => vault.markRefused(error.kind),
    onAttempt: (attempt) => attempts.hook(attempt),
  });
  // while a refresh job runs, its attempts are journaled in the job's own transaction
  const attempts = new AttemptJournal(db, logger);
  const journal = attempts.journal;
  const vault: TokenVault = new TokenVault({
    store,
    cipher: options.cipher ?? new LocalKeyCipher(join(userDataDir, 'token.key')),
    checkPrivileges: (candidate) => api.checkPrivileges(candidate),
    clock,
    logger,
    onChange: () => {
      api.tokenChanged();
      refresh.tokenChanged();
    },
  });
  const refresh = new RefreshService({
    db,
    api,
    vault,
    attempts,
    clock,
    logger,
    onFinished: (summary) => options.desktop?.notify?.('Mise à jour du registre terminée', summary),
    onRunningChange: (running) => options.desktop?.keepAwake?.(running),
    settings: new RefreshSettingsRepository(store),
  });
  const repository = new SupplierRepository(db, now);
  const search = new SupplierSearch(db);
  // the worker's commits reach this connection at once (WAL): nothing here caches the register
  const importer = options.importWorker
    ? importRunnerWithFallback(
        workerImportRunner({
          databasePath: options.databasePath,
          nativeBinding: options.nativeBinding,
          workerPath: options.importWorker.path,
          execArgv: options.importWorker.execArgv,
          now,
        }),
        inProcessImportRunner(db, now),
        (error) => logger.error('csv import worker unavailable, importing on the main thread', { error: error.message.slice(0, 300) }),
      )
    : inProcessImportRunner(db, now);
  // the renderer refers to a chosen file by an opaque id; its path stays in the main process
  const chosenFiles = new Map<string, string>();

  const chosenPath = (fileId: string): string => {
    const path = chosenFiles.get(fileId);
    if (!path) throw new UserFacingError('not-found', 'Le fichier choisi n’est plus disponible : choisissez-le à nouveau.');
    return path;
  };

  const runImport = async (fileId: string, dryRun: boolean, mapping?: ImportReport['mapping']): Promise<ImportReport> => {
    const path = chosenPath(fileId);
    try {
      const report = await importer.run({ filePath: path, dryRun, mapping, fileName: basename(path) });
      logger.info(dryRun ? 'csv import previewed' : 'csv import committed', {
        file: basename(path),
        rows: report.totalRows,
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected.length,
      });
      return report;
    } catch (error) {
      throw asFileError(error, path);
    }
  };

  // the compliance state depends on the day and on whether the token may call URSSAF
  const complianceNow = () =>
    complianceParams(
      new Date(clock.now()).toISOString().slice(0, 10),
      vault.privileges()?.has(ENDPOINTS['urssaf.attestation_vigilance'].scope) ?? false,
    );

  const handlers: IpcHandlers = {
    ...tokenHandlers(vault, options.desktop),
    ...settingsHandlers(settings, () => api.settingsChanged(), options.desktop),
    'app.about': () => describeApp(options.appInfo ?? defaultAppInfo(userDataDir)),
    'app.restartNotice': () => takeRestartNotice(userDataDir, logger),
    ...(options.demoMode ?? demoModeUnavailable()),
    'connection.test': () =>
      checkConnection({
        baseUrl: apiBaseUrl(settings.get()),
        clock,
        logger,
        probes: createAppConnectionProbes({ transport: options.transport ?? ((url, init) => fetch(url, init)), resolveProxy: options.resolveProxy, vault, api }),
      }),
    ...dataFolderHandlers({
      dataFolder: options.dataFolder ?? new DataFolder({ defaultDir: userDataDir, logger }),
      dialogs,
      clock,
      logger,
      relaunch: options.desktop?.relaunch,
    }),
    ...refresh.handlers(),
    ...backupHandlers({
      db,
      backupDir: join(userDataDir, BACKUPS_FOLDER_NAME),
      clock,
      nativeBinding: options.nativeBinding,
      restoreAndRestart: options.desktop?.restoreAndRestart,
    }),
    ...transferHandlers({
      db,
      databasePath: options.databasePath,
      userDataDir,
      documentsRoot: join(userDataDir, 'documents'),
      settings,
      vault,
      dialogs,
      clock,
      logger,
      nativeBinding: options.nativeBinding,
      restoreAndRestart: options.desktop?.restoreAndRestart,
    }),
    ...supplierHandlers({
      db,
      repository,
      api,
      vault,
      documents: new DocumentStore({ root: join(userDataDir, 'documents') }),
      dialogs,
      clock,
      logger,
      freshness: (id) => {
        const freshness = refresh.engine.supplierFreshness(id);
        return freshness ? { dataAsOf: freshness.dataAsOfLabel, lastError: freshness.lastError } : null;
      },
    }),
    'dashboard.summary': () => {
      const refreshStatus = refresh.status();
      const stats = search.stats();
      return {
        suppliers: stats.suppliers,
        activeSuppliers: stats.active,
        compliance: complianceCounts(db, complianceNow()),
        token: vault.summary(),
        reminder: vault.dueReminder(),
        lastRun: refreshStatus.lastRun,
        nextRunAt: refreshStatus.nextRunAt,
        changes: refreshStatus.changes,
      };
    },
    'register.search': (query) => search.search(query, complianceNow()),
    'register.stats': () => search.stats(),
    'register.get': ({ id }) => repository.get(id),
    'csv.chooseImportFile': async () => {
      const path = await dialogs.chooseCsvToImport();
      if (path === null) return null;
      const fileId = randomBytes(16).toString('hex');
      chosenFiles.set(fileId, path);
      return { fileId, fileName: basename(path) };
    },
    'csv.previewImport': ({ fileId, mapping }) => runImport(fileId, true, mapping),
    'csv.commitImport': async ({ fileId, mapping }) => {
      // on its worker, the import writes from another connection: the refresh waits for it
      const report = options.importWorker ? await refresh.whilePaused(() => runImport(fileId, false, mapping)) : await runImport(fileId, false, mapping);
      chosenFiles.delete(fileId);
      return report;
    },
    'csv.exportRegister': async () => {
      const stamp = now().slice(0, 10);
      const path = await dialogs.chooseCsvExportPath(`registre-des-tiers-${stamp}.csv`);
      if (path === null) return null;
      try {
        const rows = await exportSuppliersCsv(db, path);
        logger.info('csv export written', { file: basename(path), rows });
        return { fileName: basename(path), rows };
      } catch (error) {
        throw asFileError(error, path);
      }
    },
  };

  const backupDir = join(userDataDir, BACKUPS_FOLDER_NAME);
  const maintenance = async (): Promise<MaintenanceReport> => {
    const nowDate = new Date(clock.now());
    let purgedJournalLines = 0;
    try {
      purgedJournalLines = journal.purge(nowDate);
    } catch (error) {
      // never rejects: `--headless-refresh` awaits it before its run, the app calls it on a timer
      logger.error('call journal purge failed', { error: error instanceof Error ? error.message : String(error) });
    }
    let backup: string | null = null;
    if (isBackupDue(nowDate, listBackups(backupDir)[0]?.createdAt ?? null)) {
      try {
        const result = await createBackup(db, { dir: backupDir, now: () => new Date(clock.now()), nativeBinding: options.nativeBinding });
        backup = result.backup.path;
        logger.info('daily backup written', { file: basename(result.backup.path), removed: result.removed.length });
      } catch (error) {
        logger.error('daily backup failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (purgedJournalLines > 0) logger.info('call journal purged', { lines: purgedJournalLines });
    let removedKeptAside: string[] = [];
    try {
      removedKeptAside = pruneKeptAside({ databasePath: options.databasePath, documentsRoot: join(userDataDir, 'documents') }, nowDate, logger);
    } catch (error) {
      logger.error('kept-aside clean-up failed', { error: error instanceof Error ? error.message : String(error) });
    }
    return { backup, purgedJournalLines, removedKeptAside };
  };

  return {
    db,
    vault,
    settings,
    api,
    refresh,
    maintenance,
    dispatch: createIpcDispatcher(handlers, logger),
    close: () => {
      refresh.stop();
      importer.close();
      db.close();
    },
  };
}
