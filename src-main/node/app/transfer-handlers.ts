// « Changer de poste »: the IPC side of the transfer archive. The renderer never names a path:
// the main process asks where to write or what to read through its own dialogs, and refers to a
// checked archive by an opaque id until the user confirms.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { version as packageVersion } from '../../../package.json';
import type { TransferImportPreview } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { SettingsRepository } from '../settings/app-settings';
import type { TokenVault } from '../token/token-vault';
import { UserFacingError } from '../user-facing-error';
import {
  completeTransferImport,
  discardStagedTransfer,
  exportTransferArchive,
  readTransferArchive,
  sweepTransferLeftovers,
  transferSettingsOf,
  type StagedTransfer,
} from '../safety/transfer-archive';
import type { FileDialogs } from './file-dialogs';
import type { DesktopActions } from './token-handlers';
import { assertNoOtherProcessRefreshing } from '../refresh/refresh-lock';

export interface TransferHandlerDeps {
  db: VigieDatabase;
  databasePath: string;
  /** The user-data folder: work folders go there (same disk as the register, so renames are atomic). */
  userDataDir: string;
  documentsRoot: string;
  settings: SettingsRepository;
  vault: TokenVault;
  dialogs: FileDialogs;
  clock: Clock;
  logger: Logger;
  nativeBinding?: string;
  /** Default: the package's version. */
  appVersion?: string;
  /** Closes the register, puts the staged one in place and restarts (only the shell can restart). */
  restoreAndRestart?: DesktopActions['restoreAndRestart'];
}

type TransferChannels = 'transfer.export' | 'transfer.previewImport' | 'transfer.commitImport' | 'transfer.discardImport';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `vigie-transfert-2026-11-28.zip`, the commune's calendar day. */
export function transferArchiveFileName(at: Date): string {
  return `vigie-transfert-${dayFormat.format(at)}.zip`;
}

export function transferHandlers(deps: TransferHandlerDeps): Pick<IpcHandlers, TransferChannels> {
  const { logger } = deps;
  const now = () => new Date(deps.clock.now());
  let busy = false;
  let pending: { id: string; staged: StagedTransfer } | null = null;
  // work folders of a run that was interrupted (the app closed during an export or a preview)
  sweepTransferLeftovers(deps.userDataDir);

  /** One transfer at a time: a second export or preview would compete for the disk and the work folder. */
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    if (busy) throw new UserFacingError('bad-input', 'Un export ou un import est déjà en cours : attendez qu’il se termine.');
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };

  const discardPending = () => {
    if (!pending) return;
    try {
      discardStagedTransfer(pending.staged);
    } catch (error) {
      logger.warn('transfer import: staging folder not removed', { error: error instanceof Error ? error.message : String(error) });
    }
    pending = null;
  };

  const pendingFor = (importId: string): StagedTransfer => {
    if (!pending || pending.id !== importId) throw new UserFacingError('not-found', 'Cette archive n’est plus prête : choisissez-la à nouveau.');
    return pending.staged;
  };

  return {
    'transfer.export': () =>
      exclusive(async () => {
        if (!deps.dialogs.chooseTransferArchiveSavePath) throw new UserFacingError('bad-input', 'L’export pour un autre poste se fait depuis l’application installée.');
        const path = await deps.dialogs.chooseTransferArchiveSavePath(transferArchiveFileName(now()));
        if (path === null) return null;
        sweepTransferLeftovers(deps.userDataDir, pending ? [pending.staged.dir] : []);
        const started = performance.now();
        const result = await exportTransferArchive({
          db: deps.db,
          documentsRoot: deps.documentsRoot,
          destination: path,
          workDir: deps.userDataDir,
          settings: transferSettingsOf(deps.settings.get()),
          appVersion: deps.appVersion ?? packageVersion,
          now,
          nativeBinding: deps.nativeBinding,
          logger,
        });
        logger.info('transfer archive written', {
          file: basename(result.path),
          suppliers: result.suppliers,
          documents: result.documents,
          missingDocuments: result.missingDocuments,
          bytes: result.bytes,
          durationMs: Math.round(performance.now() - started),
        });
        return { fileName: basename(result.path), suppliers: result.suppliers, documents: result.documents, bytes: result.bytes };
      }),

    'transfer.previewImport': () =>
      exclusive(async (): Promise<TransferImportPreview | null> => {
        if (!deps.dialogs.chooseTransferArchiveToImport) throw new UserFacingError('bad-input', 'L’import depuis un autre poste se fait depuis l’application installée.');
        const path = await deps.dialogs.chooseTransferArchiveToImport();
        if (path === null) return null;
        discardPending();
        sweepTransferLeftovers(deps.userDataDir);
        const staged = await readTransferArchive(path, { workDir: deps.userDataDir, nativeBinding: deps.nativeBinding });
        const id = randomBytes(16).toString('hex');
        pending = { id, staged };
        const { manifest } = staged;
        logger.info('transfer archive checked', {
          file: basename(path),
          createdAt: manifest.createdAt,
          appVersion: manifest.appVersion,
          suppliers: manifest.suppliers,
          documents: manifest.documents,
        });
        return {
          importId: id,
          fileName: basename(path),
          createdAt: manifest.createdAt,
          appVersion: manifest.appVersion,
          suppliers: manifest.suppliers,
          documents: manifest.documents,
          bytes: staged.archiveBytes,
          communeSiret: manifest.settings.communeSiret ?? '',
          tokenStoredHere: deps.vault.summary().state !== 'absent',
        };
      }),

    'transfer.commitImport': ({ importId }) =>
      exclusive(async () => {
        const staged = pendingFor(importId);
        if (!deps.restoreAndRestart) throw new UserFacingError('bad-input', 'L’import depuis un autre poste se fait depuis l’application installée.');
        assertNoOtherProcessRefreshing(deps.databasePath, 'Attendez sa fin avant de reprendre les données d’un autre poste.');
        const documentsRoot = deps.documentsRoot;
        await deps.restoreAndRestart(staged.databasePath, (restored) => {
          // the register is closed here: swap the documents, then the settings the archive carries
          const result = completeTransferImport(staged, restored, { databasePath: deps.databasePath, documentsRoot, now, nativeBinding: deps.nativeBinding });
          pending = null;
          try {
            deps.settings.update(staged.manifest.settings);
          } catch (error) {
            // the register is in place; settings can be entered again in Paramètres
            logger.warn('transfer import: settings not applied', { error: error instanceof Error ? error.message : String(error) });
          }
          logger.info('transfer archive imported', {
            suppliers: staged.manifest.suppliers,
            documents: staged.manifest.documents,
            keptAsideDatabase: result.keptAsideDatabase ? basename(result.keptAsideDatabase) : null,
            keptAsideDocuments: result.keptAsideDocuments ? basename(result.keptAsideDocuments) : null,
          });
        });
        return null;
      }),

    'transfer.discardImport': ({ importId }) => {
      if (pending?.id === importId) discardPending();
      return null;
    },
  };
}
