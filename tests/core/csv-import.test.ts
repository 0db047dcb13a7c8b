import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import type { VigieDatabase } from '../../src-main/node/db/database';
import { makeInvalidSiret, makeSiren, makeSiret } from '../support/identifiers-fixture';
import { countSuppliers, tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
let db: VigieDatabase;
beforeEach(() => {
  register = tempRegister();
  db = register.db;
});
afterEach(() => register.dispose());

function writeCsv(name: string, content: string | Buffer): string {
  const path = join(register.dir, name);
  writeFileSync(path, content);
  return path;
}

const names = () => db.prepare('SELECT name FROM suppliers ORDER BY id').pluck().all() as string[];

describe('encodings and delimiters', () => {
  const accented = ['Société Générale d’Entretien', 'Boulangerie Lefèvre & Fils', 'Œuvres Sociales à Noël', 'Ça coûte 5 €'];
  const rows = accented.map((name, i) => `${makeSiret(i)};${name};F${i}`);
  const text = `SIRET;Raison sociale;Code fournisseur\r\n${rows.join('\r\n')}\r\n`;

  it('decodes a Windows-1252 file with correct accents, œ and the euro sign', async () => {
    const windows1252 = iconv.encode(text.replace('’', "'"), 'win1252');
    expect(windows1252.includes(0x80)).toBe(true); // the euro sign, which Node's own decoder gets wrong
    const report = await importSuppliersCsv(db, writeCsv('cp1252.csv', windows1252), { dryRun: false });
    expect(report.encoding).toBe('windows-1252');
    expect(report.inserted).toBe(4);
    expect(names()).toEqual(accented.map((n) => n.replace('’', "'")));
  });

  it('reads UTF-8 with and without a byte order mark', async () => {
    const withBom = await importSuppliersCsv(db, writeCsv('bom.csv', `\ufeff${text}`), { dryRun: false });
    expect(withBom.encoding).toBe('utf-8');
    expect(withBom.headers[0]).toBe('SIRET');
    expect(withBom.mapping).toEqual({ '0': 'siret', '1': 'name', '2': 'accountingCode' });
    expect(names()).toEqual(accented);
    const again = await importSuppliersCsv(db, writeCsv('nobom.csv', text), { dryRun: false });
    expect(again).toMatchObject({ encoding: 'utf-8', inserted: 0, unchanged: 4 });
  });

  it('detects comma and tab delimiters, quoted cells included', async () => {
    const comma = `siret,"Nom du tiers",ville\n${makeSiret(1)},"Dupont, Jean",Lyon\n${makeSiret(2)},"Martin ""le Jeune""",Metz\n`;
    const report = await importSuppliersCsv(db, writeCsv('comma.csv', comma), { dryRun: false });
    expect(report.delimiter).toBe(',');
    expect(report.inserted).toBe(2);
    const tab = `Code tiers\tDénomination\tSIREN\nT1\tAlpha\t${makeSiren(7)}\n`;
    const tabReport = await importSuppliersCsv(db, writeCsv('tab.csv', tab), { dryRun: false });
    expect(tabReport.delimiter).toBe('\t');
    expect(names()).toEqual(['Dupont, Jean', 'Martin "le Jeune"', 'Alpha']);
  });
});

describe('the 1,000-row acceptance file', () => {
  function thousandRows(): { path: string; invalidLines: number[] } {
    const lines = ['Code tiers;Raison sociale;SIRET;Ville'];
    const invalidLines: number[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const broken = i % 200 === 199;
      const siret = broken ? makeInvalidSiret(i) : makeSiret(i);
      lines.push(`F${String(i).padStart(4, '0')};Fournisseur ${i};${siret};Ville ${i % 37}`);
      if (broken) invalidLines.push(i + 2);
    }
    return { path: writeCsv('mille.csv', `${lines.join('\n')}\n`), invalidLines };
  }

  it('imports 995 rows and reports the 5 invalid ones with their line numbers', async () => {
    const { path, invalidLines } = thousandRows();
    const report = await importSuppliersCsv(db, path, { dryRun: false });
    expect(report.totalRows).toBe(1000);
    expect(report.inserted).toBe(995);
    expect(report.rejected.map((r) => r.line)).toEqual(invalidLines);
    for (const rejected of report.rejected) expect(rejected.reason).toMatch(/^SIRET invalide : .*clé de contrôle/);
    expect(countSuppliers(db)).toBe(995);
  });

  it('changes nothing when the same file is imported again', async () => {
    const { path } = thousandRows();
    await importSuppliersCsv(db, path, { dryRun: false, now: () => '2026-01-01T00:00:00.000Z' });
    const before = db.prepare('SELECT * FROM suppliers ORDER BY id').all();
    const report = await importSuppliersCsv(db, path, { dryRun: false, now: () => '2026-06-01T00:00:00.000Z' });
    expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 995 });
    expect(db.prepare('SELECT * FROM suppliers ORDER BY id').all()).toEqual(before);
  });

  it('previews in a dry run with exact figures and writes nothing', async () => {
    const { path } = thousandRows();
    const preview = await importSuppliersCsv(db, path, { dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, inserted: 995, hasHeader: true });
    expect(preview.rejected).toHaveLength(5);
    expect(preview.preview[0]).toEqual(['F0000', 'Fournisseur 0', makeSiret(0), 'Ville 0']);
    expect(countSuppliers(db)).toBe(0);
  });
});

describe('row rules', () => {
  it('updates instead of duplicating the same SIRET, and an empty cell never erases', async () => {
    const siret = makeSiret(3);
    await importSuppliersCsv(db, writeCsv('a.csv', `SIRET;Nom;Ville;Notes\n${siret};Ancien nom;Paris;Payé à 30 jours\n`), { dryRun: false });
    const report = await importSuppliersCsv(db, writeCsv('b.csv', `SIRET;Nom;Ville;Notes\n${siret};Nouveau nom;;\n`), { dryRun: false });
    expect(report).toMatchObject({ inserted: 0, updated: 1 });
    const stored = new SupplierRepository(db).findSame(siret.slice(0, 9), siret);
    expect(stored).toMatchObject({ name: 'Nouveau nom', city: 'Paris', notes: 'Payé à 30 jours' });
    expect(countSuppliers(db)).toBe(1);
  });

  it('warns about the same SIRET twice in one file and keeps one supplier', async () => {
    const siret = makeSiret(4);
    const report = await importSuppliersCsv(
      db,
      writeCsv('dup.csv', `SIRET;Nom\n${siret};Premier\n${makeSiret(5)};Autre\n${siret};Second\n`),
      { dryRun: false },
    );
    expect(report).toMatchObject({ inserted: 2, updated: 1 });
    expect(report.warnings).toEqual([expect.objectContaining({ line: 4, reason: expect.stringContaining('ligne 2') })]);
    expect(names()).toEqual(['Second', 'Autre']);
  });

  it('rejects rows without identifier, with a SIREN that contradicts the SIRET, or a malformed SIREN', async () => {
    const siret = makeSiret(6);
    const content = [
      'SIRET;SIREN;Nom',
      `${siret};${siret.slice(0, 9)};Cohérent`,
      `;;Sans numéro`,
      `${siret};${makeSiren(8)};Incohérent`,
      `;12345;Trop court`,
      `;${makeSiren(9)};Seulement SIREN`,
      `${makeSiren(10)};;SIREN dans la colonne SIRET`,
    ].join('\n');
    const report = await importSuppliersCsv(db, writeCsv('rules.csv', content), { dryRun: false });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'Ni SIRET ni SIREN sur cette ligne.'],
      [4, 'Le SIREN ne correspond pas aux 9 premiers chiffres du SIRET.'],
      [5, 'SIREN invalide : Un SIREN compte 9 chiffres.'],
    ]);
    expect(report.inserted).toBe(3);
    expect(report.warnings.map((w) => w.line)).toEqual([7]);
    expect(db.prepare('SELECT siren, siret FROM suppliers WHERE name = ?').get('Seulement SIREN')).toEqual({
      siren: makeSiren(9),
      siret: null,
    });
  });

  it('accepts identifiers written with spaces and dots, and La Poste SIRETs', async () => {
    const siret = makeSiret(11);
    const spaced = `${siret.slice(0, 3)} ${siret.slice(3, 6)}.${siret.slice(6, 9)}\u00a0${siret.slice(9)}`;
    const report = await importSuppliersCsv(
      db,
      writeCsv('spaced.csv', `SIRET;Nom\n${spaced};Espacé\n35600000012345;Bureau de poste\n`),
      { dryRun: false },
    );
    expect(report.rejected).toEqual([]);
    expect(report.inserted).toBe(2);
  });

  it('reads tags, notes and the active flag, and warns about an unknown flag', async () => {
    const content = `SIRET;Nom;Étiquettes;Actif\n${makeSiret(12)};A;voirie, écoles | cantine;non\n${makeSiret(13)};B;;peut-être\n`;
    const report = await importSuppliersCsv(db, writeCsv('tags.csv', content), { dryRun: false });
    expect(report.warnings).toEqual([expect.objectContaining({ line: 3, reason: expect.stringContaining('peut-être') })]);
    const a = new SupplierRepository(db).findSame(makeSiren(12), makeSiret(12));
    expect(a).toMatchObject({ tags: ['cantine', 'écoles', 'voirie'], active: false });
  });

  it('recognises columns by content when the file has no header', async () => {
    const content = `F1;${makeSiret(20)};Garage Central;Nantes\nF2;${makeSiret(21)};Imprimerie du Port;Brest\n`;
    const report = await importSuppliersCsv(db, writeCsv('noheader.csv', content), { dryRun: false });
    expect(report.hasHeader).toBe(false);
    expect(report.headers).toEqual(['Colonne 1', 'Colonne 2', 'Colonne 3', 'Colonne 4']);
    expect(report.mapping).toMatchObject({ '1': 'siret', '2': 'name' });
    expect(report.inserted).toBe(2);
  });

  it('follows the mapping the user chose over the suggested one', async () => {
    const content = `Référence;Libellé;Numéro\nX;Nom réel;${makeSiret(22)}\n`;
    const report = await importSuppliersCsv(db, writeCsv('map.csv', content), {
      dryRun: false,
      mapping: { '1': 'name', '2': 'siret', '0': 'notes' },
    });
    expect(report.inserted).toBe(1);
    expect(db.prepare('SELECT name, notes FROM suppliers').get()).toEqual({ name: 'Nom réel', notes: 'X' });
  });

  it('refuses to import without an identifier column but still previews', async () => {
    const path = writeCsv('noid.csv', 'Nom;Ville\nA;B\n');
    const preview = await importSuppliersCsv(db, path, { dryRun: true });
    expect(preview.inserted).toBe(0);
    expect(preview.rejected).toEqual([]);
    await expect(importSuppliersCsv(db, path, { dryRun: false })).rejects.toThrow(/SIRET ou le SIREN/);
    expect(countSuppliers(db)).toBe(0);
  });

  it('says in French that a file is empty', async () => {
    await expect(importSuppliersCsv(db, writeCsv('empty.csv', ''), { dryRun: true })).rejects.toThrow('Le fichier est vide.');
    await expect(importSuppliersCsv(db, writeCsv('blank.csv', '\n\n;;\n;;;\n'), { dryRun: true })).rejects.toThrow(
      'Le fichier ne contient aucune ligne.',
    );
  });

  it('reports the spreadsheet line number even after blank lines', async () => {
    const content = `SIRET;Nom\n\n${makeSiret(30)};A\n\n${makeInvalidSiret(31)};B\n`;
    const report = await importSuppliersCsv(db, writeCsv('blank-lines.csv', content), { dryRun: true });
    expect(report.rejected.map((r) => r.line)).toEqual([5]);
  });

  it('imports everything or nothing: a database failure midway leaves the register as it was', async () => {
    await importSuppliersCsv(db, writeCsv('first.csv', `SIRET;Nom\n${makeSiret(40)};Avant\n`), { dryRun: false });
    db.exec(`CREATE TRIGGER refuse_name BEFORE INSERT ON suppliers WHEN new.name = 'Boum' BEGIN SELECT RAISE(ABORT, 'boom'); END;`);
    const content = `SIRET;Nom\n${makeSiret(40)};Modifié\n${makeSiret(41)};Nouveau\n${makeSiret(42)};Boum\n`;
    await expect(importSuppliersCsv(db, writeCsv('second.csv', content), { dryRun: false })).rejects.toThrow('boom');
    expect(names()).toEqual(['Avant']);
  });
});
