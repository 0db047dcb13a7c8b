// Command-line entry over the same core modules as the app: `npm run cli -- <command>`.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { ImportReport } from '../common/ipc-contract';
import { exportSuppliersCsv } from '../node/csv/csv-export';
import { importSuppliersCsv } from '../node/csv/csv-import';
import { openDatabase } from '../node/db/database';
import { asFileError } from '../node/app/vigie-core';
import { UserFacingError } from '../node/user-facing-error';

const USAGE = `Utilisation :
  npm run cli -- import FICHIER.csv --db BASE.sqlite3 [--dry-run] [--json]
  npm run cli -- export FICHIER.csv --db BASE.sqlite3 [--json]

  import    fusionne un fichier CSV de fournisseurs dans le registre (--dry-run : aperçu sans rien écrire)
  export    écrit le registre en CSV (UTF-8 avec BOM, séparateur point-virgule)
  --json    affiche le compte rendu en JSON`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  if ((command !== 'import' && command !== 'export') || !file || !values.db) {
    io.err(`Commande incomplète ou inconnue.\n\n${USAGE}`);
    return 2;
  }
  const path = resolve(file);
  try {
    const db = openDatabase(resolve(values.db));
    try {
      if (command === 'import') {
        const report = await importSuppliersCsv(db, path, { dryRun: values['dry-run'] });
        io.out(values.json ? JSON.stringify(report, null, 2) : describeImport(report));
        return 0;
      }
      const rows = await exportSuppliersCsv(db, path);
      io.out(values.json ? JSON.stringify({ fileName: path, rows }) : `${rows} fournisseur(s) exporté(s) dans ${path}`);
      return 0;
    } finally {
      db.close();
    }
  } catch (raw) {
    const error = asFileError(raw, path);
    if (error instanceof UserFacingError) {
      io.err(`Erreur : ${error.message}`);
      return 1;
    }
    io.err(`Erreur inattendue : ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function describeImport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Aperçu (rien n’a été écrit)' : 'Import terminé'} : ${report.fileName}`,
    `  encodage ${report.encoding}, séparateur « ${report.delimiter === '\t' ? 'tabulation' : report.delimiter} », ${report.totalRows} ligne(s) lue(s)`,
    `  créés : ${report.inserted}, mis à jour : ${report.updated}, inchangés : ${report.unchanged}, rejetés : ${report.rejected.length}`,
  ];
  for (const row of report.rejected) lines.push(`  ligne ${row.line} rejetée (${row.value}) : ${row.reason}`);
  for (const row of report.warnings) lines.push(`  ligne ${row.line} : ${row.reason}`);
  return lines.join('\n');
}

const isEntryPoint = process.argv[1] !== undefined && /vigie-cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntryPoint) {
  runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Erreur inattendue : ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
