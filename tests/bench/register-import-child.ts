// Runs one CSV import in a process of its own, so that its peak memory is measured alone: the
// kernel's high-water mark of the resident set (getrusage ru_maxrss, what `/usr/bin/time -v`
// reports as "Maximum resident set size") covers the synchronous SQLite transaction too, which a
// timer sampling process.memoryUsage() could not see. Started by register-scale.ts with fork().
import { openDatabase } from '../../src-main/node/db/database';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';

export interface ImportChildResult {
  rows: number;
  inserted: number;
  updated: number;
  rejected: number;
  warnings: number;
  encoding: string;
  delimiter: string;
  importMs: number;
  /** Resident set just before the import (Node, tsx, the open database). */
  baselineRssMb: number;
  /** Kernel high-water mark of the resident set over the whole process life. */
  peakRssMb: number;
  /** V8 heap in use right after the import, before garbage collection. */
  heapUsedAfterMb: number;
}

async function main(): Promise<void> {
  const [csvPath, dbPath] = process.argv.slice(2);
  if (!csvPath || !dbPath) throw new Error('usage: register-import-child <csv> <db>');
  const db = openDatabase(dbPath);
  const baselineRssMb = process.memoryUsage.rss() / 1_048_576;
  const started = performance.now();
  const report = await importSuppliersCsv(db, csvPath, { dryRun: false });
  const importMs = performance.now() - started;
  const heapUsedAfterMb = process.memoryUsage().heapUsed / 1_048_576;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // the size the register takes on disk: everything in the main file, nothing left in the WAL
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const result: ImportChildResult = {
    rows: report.totalRows,
    inserted: report.inserted,
    updated: report.updated,
    rejected: report.rejected.length,
    warnings: report.warnings.length,
    encoding: report.encoding,
    delimiter: report.delimiter,
    importMs,
    baselineRssMb,
    peakRssMb,
    heapUsedAfterMb,
  };
  // the open IPC channel would keep the process alive
  process.send?.(result, () => process.disconnect());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
