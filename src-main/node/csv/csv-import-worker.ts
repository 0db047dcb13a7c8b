// Worker thread entry: one CSV import (preview or commit) on its own connection to the register,
// so parsing and the transaction never block the main process. Started by workerImportRunner.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type VigieDatabase } from '../db/database';
import { importSuppliersCsv } from './csv-import';
import { describeImportFailure, type ImportWorkerData, type ImportWorkerOutcome } from './import-runner';

async function runJob(data: ImportWorkerData): Promise<ImportWorkerOutcome> {
  let db: VigieDatabase | null = null;
  try {
    db = openDatabase(data.databasePath, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
    // the main connection may be writing (a refresh): wait for it rather than fail at once
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(data.busyTimeoutMs))}`);
    const { request } = data;
    const report = await importSuppliersCsv(db, request.filePath, {
      dryRun: request.dryRun,
      mapping: request.mapping,
      fileName: request.fileName,
      now: () => request.now,
    });
    return { ok: true, report };
  } catch (error) {
    return { ok: false, error: describeImportFailure(error) };
  } finally {
    db?.close();
  }
}

if (parentPort) parentPort.postMessage(await runJob(workerData as ImportWorkerData));
