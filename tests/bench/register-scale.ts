// Part 3: the register at 100,000 suppliers. Import of a generated CSV (in a child process, for a
// clean peak-memory figure), search as the agent types (every prefix of realistic queries, through
// SupplierSearch.search as the IPC handler calls it), pages of the virtualized table, file size.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src-main/node/db/database';
import { SupplierSearch } from '../../src-main/node/register/supplier-search';
import { median, percentile, progress } from './bench-stats';
import type { ImportChildResult } from './register-import-child';
import { companySiret, writeSupplierCsv } from './supplier-csv';

export interface RegisterSettings {
  rows: number;
  /** Typing sessions measured (one more is run first to warm the caches). */
  typingSessions: number;
  pageSize: number;
  /** Page offsets spread evenly over the whole register. */
  pageOffsets: number;
  pagePasses: number;
}

export const DEFAULT_REGISTER_SETTINGS: RegisterSettings = { rows: 100_000, typingSessions: 3, pageSize: 100, pageOffsets: 21, pagePasses: 3 };

/** What an agent types in the search box, in full; every prefix is one query. */
export const TYPED_QUERIES: readonly string[] = [
  'societe gen',
  'menuiserie du val',
  'dupont',
  'boulangerie martin',
  'electricite',
  'comite des fetes',
  'rodez',
  'etablissements garnier',
  'f01234',
  // a SIREN read off an invoice, typed with its spaces
  companySiret(4_242).slice(0, 9).replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3'),
  'garage lopez',
  'isle sur la sorgue',
];

export const BROAD_TEXT = 'de';

export interface KeystrokeSample {
  text: string;
  ms: number;
  /** CPU time of the process over the query: what the query costs, whatever else the machine runs. */
  cpuMs: number;
  total: number;
}

export interface RegisterResult {
  settings: RegisterSettings;
  rows: number;
  csvSizeMb: number;
  csvEncoding: string;
  inserted: number;
  rejected: number;
  importMs: number;
  importRowsPerSec: number;
  importPeakRssMb: number;
  importBaselineRssMb: number;
  importPeakRssMethod: string;
  searchKeystrokes: number;
  searchP50Ms: number;
  searchP95Ms: number;
  searchMaxMs: number;
  /** The same keystrokes in CPU time: close to the wall figures on an idle machine, steadier on a busy one. */
  searchCpuP50Ms: number;
  searchCpuP95Ms: number;
  /** p50 / p95 by length of what was typed: one letter, two letters, three or more. */
  searchByPrefixLength: { length: string; count: number; p50Ms: number; p95Ms: number }[];
  /** The slowest prefixes (median over the sessions), with how many suppliers they match. */
  slowestPrefixes: { text: string; medianMs: number; matches: number }[];
  pageMs: number;
  pageP95Ms: number;
  pageMaxMs: number;
  pageBroadTextText: string;
  pageBroadTextMatches: number;
  pageBroadTextP50Ms: number;
  pageBroadTextP95Ms: number;
  dbSizeMb: number;
  dbBytesPerSupplier: number;
}

function prefixesOf(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1));
}

function runImportChild(csvPath: string, dbPath: string): Promise<ImportChildResult> {
  const childPath = fileURLToPath(new URL('./register-import-child.ts', import.meta.url));
  // the parent runs under tsx: its loader flags let the child load TypeScript too
  const execArgv = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  return new Promise((resolve, reject) => {
    const child = fork(childPath, [csvPath, dbPath], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: ImportChildResult | null = null;
    child.on('message', (message) => {
      result = message as ImportChildResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`import child exited with code ${code ?? 'null'}${result ? '' : ' without a result'}`));
    });
  });
}

const mb = (bytes: number) => bytes / 1_048_576;

export async function runRegisterScale(settings: RegisterSettings = DEFAULT_REGISTER_SETTINGS): Promise<RegisterResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-register-'));
  try {
    const csvPath = join(dir, 'tiers.csv');
    const dbPath = join(dir, 'vigie.sqlite3');
    progress(`register: writing a ${settings.rows.toLocaleString('en')}-row CSV (Windows-1252, semicolons)`);
    const csv = await writeSupplierCsv(csvPath, settings.rows);
    progress(`register: CSV is ${mb(csv.bytes).toFixed(1)} MB; importing it in a child process`);
    const imported = await runImportChild(csvPath, dbPath);
    progress(`register: imported ${imported.inserted} suppliers in ${(imported.importMs / 1000).toFixed(1)} s`);
    const walPath = `${dbPath}-wal`;
    const dbBytes = statSync(dbPath).size + (existsSync(walPath) ? statSync(walPath).size : 0);

    const db = openDatabase(dbPath);
    try {
      const search = new SupplierSearch(db);
      progress(`register: search as you type, ${TYPED_QUERIES.length} queries, every prefix, ${settings.typingSessions} sessions after a warm-up`);
      const samples: KeystrokeSample[] = [];
      for (let session = 0; session <= settings.typingSessions; session += 1) {
        for (const query of TYPED_QUERIES) {
          for (const text of prefixesOf(query)) {
            const cpu = process.cpuUsage();
            const started = performance.now();
            const page = search.search({ text, limit: settings.pageSize });
            const ms = performance.now() - started;
            const used = process.cpuUsage(cpu);
            if (session > 0) samples.push({ text, ms, cpuMs: (used.user + used.system) / 1000, total: page.total });
          }
        }
      }
      const times = samples.map((s) => s.ms);
      const byLength = [
        { length: '1 character', test: (n: number) => n === 1 },
        { length: '2 characters', test: (n: number) => n === 2 },
        { length: '3 or more', test: (n: number) => n >= 3 },
      ].map(({ length, test }) => {
        const group = samples.filter((s) => test(s.text.trim().length)).map((s) => s.ms);
        return { length, count: group.length, p50Ms: median(group), p95Ms: percentile(group, 95) };
      });
      const perPrefix = new Map<string, { ms: number[]; matches: number }>();
      for (const sample of samples) {
        const entry = perPrefix.get(sample.text) ?? { ms: [], matches: sample.total };
        entry.ms.push(sample.ms);
        perPrefix.set(sample.text, entry);
      }
      const slowestPrefixes = [...perPrefix.entries()]
        .map(([text, entry]) => ({ text, medianMs: median(entry.ms), matches: entry.matches }))
        .sort((a, b) => b.medianMs - a.medianMs)
        .slice(0, 6);

      progress(`register: pages of ${settings.pageSize} rows at ${settings.pageOffsets} offsets over the register, with no text and with "${BROAD_TEXT}"`);
      const pageTimes = (text: string, total: number): number[] => {
        const last = Math.max(0, Math.floor((total - 1) / settings.pageSize) * settings.pageSize);
        const offsets = Array.from({ length: settings.pageOffsets }, (_, k) =>
          Math.round((k * last) / Math.max(1, settings.pageOffsets - 1) / settings.pageSize) * settings.pageSize,
        );
        search.search({ text, offset: 0, limit: settings.pageSize }); // warm-up
        const measured: number[] = [];
        for (let pass = 0; pass < settings.pagePasses; pass += 1) {
          for (const offset of offsets) {
            const started = performance.now();
            search.search({ text, offset, limit: settings.pageSize });
            measured.push(performance.now() - started);
          }
        }
        return measured;
      };
      const total = search.search({ text: '', limit: 1 }).total;
      const plain = pageTimes('', total);
      const broadTotal = search.search({ text: BROAD_TEXT, limit: 1 }).total;
      const broad = pageTimes(BROAD_TEXT, broadTotal);

      return {
        settings,
        rows: imported.rows,
        csvSizeMb: mb(csv.bytes),
        csvEncoding: `${imported.encoding}, "${imported.delimiter}"`,
        inserted: imported.inserted,
        rejected: imported.rejected,
        importMs: imported.importMs,
        importRowsPerSec: imported.rows / (imported.importMs / 1000),
        importPeakRssMb: imported.peakRssMb,
        importBaselineRssMb: imported.baselineRssMb,
        importPeakRssMethod: 'getrusage ru_maxrss of a child process that only opens the database and imports (process.resourceUsage().maxRSS)',
        searchKeystrokes: samples.length,
        searchP50Ms: median(times),
        searchP95Ms: percentile(times, 95),
        searchMaxMs: Math.max(...times),
        searchCpuP50Ms: median(samples.map((s) => s.cpuMs)),
        searchCpuP95Ms: percentile(samples.map((s) => s.cpuMs), 95),
        searchByPrefixLength: byLength,
        slowestPrefixes,
        pageMs: median(plain),
        pageP95Ms: percentile(plain, 95),
        pageMaxMs: Math.max(...plain),
        pageBroadTextText: BROAD_TEXT,
        pageBroadTextMatches: broadTotal,
        pageBroadTextP50Ms: median(broad),
        pageBroadTextP95Ms: percentile(broad, 95),
        dbSizeMb: mb(dbBytes),
        dbBytesPerSupplier: dbBytes / Math.max(1, imported.inserted),
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
