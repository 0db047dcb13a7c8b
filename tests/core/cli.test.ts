import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src-main/cli/vigie-cli';
import { importReportSchema } from '../../src-main/common/ipc-contract';
import { openDatabase } from '../../src-main/node/db/database';
import { makeSiret } from '../support/identifiers-fixture';

let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
  dbPath = join(dir, 'registre.sqlite3');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fakeIo(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}

async function cli(...argv: string[]) {
  const io = fakeIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

function writeCsv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SUPPLIERS_CSV = [
  'SIRET;Raison sociale;Ville',
  `${makeSiret(1)};Boulangerie Dupont;Paris`,
  `${makeSiret(2)};Garage Martin;Lyon`,
  `${makeSiret(3)};Imprimerie Étoile;Nantes`,
  '',
].join('\r\n');

/** Counts with a connection of its own, as another process would see the file. */
function supplierRows(): { siret: string | null; name: string; updated_at: string }[] {
  const db = openDatabase(dbPath);
  try {
    return db
      .prepare<[], { siret: string | null; name: string; updated_at: string }>('SELECT siret, name, updated_at FROM suppliers ORDER BY id')
      .all();
  } finally {
    db.close();
  }
}

describe('vigie-cli import', () => {
  it('prints a JSON report with the inserted count and stores the suppliers', async () => {
    const file = writeCsv('tiers.csv', SUPPLIERS_CSV);
    const { code, out, err } = await cli('import', file, '--db', dbPath, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = importReportSchema.parse(JSON.parse(out));
    expect(report).toMatchObject({ fileName: 'tiers.csv', dryRun: false, totalRows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: [] });
    expect(supplierRows().map((r) => r.siret)).toEqual([makeSiret(1), makeSiret(2), makeSiret(3)]);
  });

  it('counts an identical second import as unchanged', async () => {
    const file = writeCsv('tiers.csv', SUPPLIERS_CSV);
    expect((await cli('import', file, '--db', dbPath)).code).toBe(0);
    const second = await cli('import', file, '--db', dbPath, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(supplierRows()).toHaveLength(3);
  });

  it('reports rejected lines with their line number', async () => {
    const file = writeCsv('tiers.csv', `${SUPPLIERS_CSV}12345678901234;Faute de frappe;Brest\r\n`);
    const { code, out } = await cli('import', file, '--db', dbPath, '--json');
    expect(code).toBe(0);
    const report = importReportSchema.parse(JSON.parse(out));
    expect(report.inserted).toBe(3);
    expect(report.rejected).toEqual([expect.objectContaining({ line: 5, value: '12345678901234' })]);
    expect(supplierRows()).toHaveLength(3);
  });

  it('prints a French summary without --json', async () => {
    const file = writeCsv('tiers.csv', SUPPLIERS_CSV);
    const { code, out } = await cli('import', file, '--db', dbPath);
    expect(code).toBe(0);
    expect(out).toContain('Import terminé');
    expect(out).toContain('créés : 3');
    expect(() => JSON.parse(out) as unknown).toThrow();
  });

  it('writes nothing with --dry-run, yet reports what an import would do', async () => {
    const file = writeCsv('tiers.csv', SUPPLIERS_CSV);
    const { code, out } = await cli('import', file, '--db', dbPath, '--dry-run', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dryRun: true, inserted: 3 });
    expect(supplierRows()).toEqual([]);
  });

  it('says so in French when a dry run writes nothing', async () => {
    const file = writeCsv('tiers.csv', SUPPLIERS_CSV);
    const { code, out } = await cli('import', file, '--db', dbPath, '--dry-run');
    expect(code).toBe(0);
    expect(out).toContain('rien n’a été écrit');
    expect(supplierRows()).toEqual([]);
  });

  it('fails with exit 1 and « introuvable » when the input file is missing', async () => {
    const { code, out, err } = await cli('import', join(dir, 'absent.csv'), '--db', dbPath);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^Erreur : /);
    expect(err).toContain('introuvable');
    expect(err).not.toContain('ENOENT');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('fails with exit 1 and a French message when the input is a folder', async () => {
    const folder = join(dir, 'un-dossier');
    mkdirSync(folder);
    const { code, err } = await cli('import', folder, '--db', dbPath);
    expect(code).toBe(1);
    expect(err).toContain('dossier');
    expect(err).not.toContain('EISDIR');
  });

  it('fails with exit 1 and a French message on an empty file', async () => {
    const file = writeCsv('vide.csv', '');
    const { code, err } = await cli('import', file, '--db', dbPath);
    expect(code).toBe(1);
    expect(err).toContain('Le fichier est vide.');
  });

  it('refuses a CSV without an identifier column (exit 1, French message) and leaves the register unchanged', async () => {
    expect((await cli('import', writeCsv('tiers.csv', SUPPLIERS_CSV), '--db', dbPath)).code).toBe(0);
    const before = supplierRows();

    const file = writeCsv('sans-siret.csv', 'Raison sociale;Ville\r\nBoulangerie Dupont;Marseille\r\nNouveau Fournisseur;Lille\r\n');
    const { code, out, err } = await cli('import', file, '--db', dbPath, '--json');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('SIRET');
    expect(err).toContain('Indiquez quelle colonne');
    expect(supplierRows()).toEqual(before);
  });

  it('previews a CSV without an identifier column in a dry run without failing', async () => {
    const file = writeCsv('sans-siret.csv', 'Raison sociale;Ville\r\nBoulangerie Dupont;Marseille\r\n');
    const { code, out } = await cli('import', file, '--db', dbPath, '--dry-run', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ dryRun: true, inserted: 0, headers: ['Raison sociale', 'Ville'] });
    expect(supplierRows()).toEqual([]);
  });
});

describe('vigie-cli export', () => {
  it('writes the register as CSV starting with a UTF-8 byte order mark', async () => {
    expect((await cli('import', writeCsv('tiers.csv', SUPPLIERS_CSV), '--db', dbPath)).code).toBe(0);
    const target = join(dir, 'export.csv');
    const { code, out, err } = await cli('export', target, '--db', dbPath);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('3 fournisseur(s)');

    const bytes = readFileSync(target);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^SIRET;SIREN;Raison sociale;/);
    expect(lines.filter((l) => l !== '')).toHaveLength(4);
    expect(lines.some((l) => l.startsWith(`${makeSiret(3)};`) && l.includes('Imprimerie Étoile'))).toBe(true);
    // written through a temporary file that does not stay behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('reports the row count in JSON with --json', async () => {
    expect((await cli('import', writeCsv('tiers.csv', SUPPLIERS_CSV), '--db', dbPath)).code).toBe(0);
    const target = join(dir, 'export.csv');
    const { code, out } = await cli('export', target, '--db', dbPath, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ fileName: target, rows: 3 });
  });

  it('exports an empty register as the header line alone', async () => {
    const target = join(dir, 'vide.csv');
    expect((await cli('export', target, '--db', dbPath)).code).toBe(0);
    const text = readFileSync(target, 'utf8');
    expect(text.startsWith('\ufeffSIRET;SIREN;')).toBe(true);
    expect(text.split('\r\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('fails with exit 1 and a French message when the target folder does not exist', async () => {
    const { code, err } = await cli('export', join(dir, 'absent', 'export.csv'), '--db', dbPath);
    expect(code).toBe(1);
    expect(err).toMatch(/^Erreur : /);
    expect(err).not.toContain('ENOENT');
  });
});

describe('vigie-cli usage', () => {
  it('exits 2 with the French usage when called without arguments', async () => {
    const { code, out, err } = await cli();
    expect(code).toBe(2);
    const printed = `${out}\n${err}`;
    expect(printed).toContain('Utilisation :');
    expect(printed).toContain('import FICHIER.csv --db');
    expect(printed).toContain('export FICHIER.csv --db');
  });

  it('prints the usage and exits 0 with --help', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    expect(out).toContain('Utilisation :');
  });

  it.each([
    ['an unknown command', ['supprimer', 'x.csv', '--db', 'x.sqlite3']],
    ['import without a file', ['import', '--db', 'x.sqlite3']],
    ['import without --db', ['import', 'x.csv']],
    ['an unknown option', ['import', 'x.csv', '--db', 'x.sqlite3', '--force']],
    ['--db without a value', ['import', 'x.csv', '--db']],
  ])('exits 2 with the usage on stderr for %s, touching nothing', async (_label, argv) => {
    const { code, out, err } = await cli(...argv.map((a) => (a.includes('.') ? join(dir, a) : a)));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('Utilisation :');
    expect(existsSync(join(dir, 'x.sqlite3'))).toBe(false);
  });

  it('names the problem in French for an unknown command', async () => {
    const { err } = await cli('supprimer', join(dir, 'x.csv'), '--db', dbPath);
    expect(err).toContain('Commande incomplète ou inconnue.');
  });
});
