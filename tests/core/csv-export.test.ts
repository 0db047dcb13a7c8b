import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSuppliersCsv } from '../../src-main/node/csv/csv-export';
import { writeCsvFileAtomically } from '../../src-main/node/csv/csv-file-writer';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';
import { neutralizeFormula, stripFormulaGuard } from '../../src-main/node/csv/formula-guard';
import { openDatabase } from '../../src-main/node/db/database';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
beforeEach(() => {
  register = tempRegister();
});
afterEach(() => register.dispose());

const comparable = (path: string) => {
  const db = openDatabase(path);
  try {
    return db
      .prepare(
        `SELECT siren, siret, name, accounting_code, address, postal_code, city, notes, active,
           (SELECT group_concat(tag, '|') FROM (SELECT tag FROM supplier_tags WHERE supplier_id = s.id ORDER BY tag)) AS tags
         FROM suppliers s ORDER BY siren, siret`,
      )
      .all();
  } finally {
    db.close();
  }
};

describe('CSV export', () => {
  it('writes UTF-8 with a BOM, semicolons and CRLF, as French Excel expects', async () => {
    new SupplierRepository(register.db).upsert({ siren: makeSiren(1), siret: makeSiret(1), name: 'Électricité; « Durand »', city: 'Orléans' });
    const path = join(register.dir, 'export.csv');
    expect(await exportSuppliersCsv(register.db, path)).toBe(1);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, row] = text.split('\r\n');
    expect(header).toBe('SIRET;SIREN;Raison sociale;Code tiers;Adresse;Code postal;Ville;Étiquettes;Notes;Actif');
    expect(row).toBe(`${makeSiret(1)};${makeSiren(1)};"Électricité; « Durand »";;;;Orléans;;;oui`);
    expect(readdirSync(register.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('neutralises cells that a spreadsheet would run as formulas', async () => {
    const repo = new SupplierRepository(register.db);
    const hostile = ['=HYPERLINK("http://evil","x")', '+33 1 23', '-2+3', '@SUM(A1)', '\tTab', '\rCR', 'Normal'];
    hostile.forEach((name, i) => repo.upsert({ siren: makeSiren(i), siret: null, name, notes: '=1+1' }));
    const path = join(register.dir, 'hostile.csv');
    await exportSuppliersCsv(register.db, path);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`'=HYPERLINK(""http://evil"",""x"")`);
    expect(text).toContain("'+33 1 23");
    expect(text).toContain("'-2+3");
    expect(text).toContain("'@SUM(A1)");
    expect(text).toContain("'=1+1");
    for (const line of text.split('\r\n').slice(1)) {
      for (const cell of line.split(';')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    }
    expect(neutralizeFormula('\tTab')).toBe("'\tTab");
    expect(neutralizeFormula('\rCR')).toBe("'\rCR");
    expect(neutralizeFormula('')).toBe('');
    expect(stripFormulaGuard("'=1+1")).toBe('=1+1');
    expect(stripFormulaGuard("'Apostrophe")).toBe("'Apostrophe");
  });

  it('re-imports to the same register, hostile values and tags included', async () => {
    const repo = new SupplierRepository(register.db);
    for (let i = 0; i < 300; i += 1) {
      repo.upsert({
        siren: makeSiren(i),
        siret: i % 3 === 0 ? null : makeSiret(i, i),
        name: i % 50 === 0 ? `=cmd|' /C calc'!A${i}` : `Fournisseur n°${i} « ${i % 2 ? 'Crèche' : 'École'} »`,
        accountingCode: `401${String(i).padStart(5, '0')}`,
        address: `${i} rue de l'Église`,
        postalCode: '44000',
        city: i % 7 ? 'Nantes' : 'Saint-Étienne',
        tags: i % 4 ? ['voirie', 'écoles'] : [],
        notes: i % 5 ? `Ligne 1\nLigne 2 ; "citée"` : undefined,
        active: i % 9 !== 0,
      });
    }
    const path = join(register.dir, 'roundtrip.csv');
    await exportSuppliersCsv(register.db, path);
    const copyPath = join(register.dir, 'copy.sqlite3');
    const copy = openDatabase(copyPath);
    const report = await importSuppliersCsv(copy, path, { dryRun: false });
    copy.close();
    expect(report.rejected).toEqual([]);
    expect(report.inserted).toBe(300);
    register.db.close();
    expect(comparable(copyPath)).toEqual(comparable(join(register.dir, 'vigie.sqlite3')));
  });

  it('leaves no file under the chosen name when the export fails', async () => {
    const missingFolder = join(register.dir, 'absent', 'export.csv');
    await expect(exportSuppliersCsv(register.db, missingFolder)).rejects.toMatchObject({ code: 'ENOENT' });
    const existing = join(register.dir, 'keep.csv');
    writeFileSync(existing, 'previous');
    register.db.close();
    await expect(exportSuppliersCsv(register.db, existing)).rejects.toThrow();
    expect(readFileSync(existing, 'utf8')).toBe('previous');
    expect(readdirSync(register.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('leaves no temporary file when the rows fail while the file is still being opened, however the race goes', async () => {
    // the file opens on libuv's thread pool: a failure straight away races the opening, so try many times
    const failures = Array.from({ length: 100 }, (_, i) =>
      writeCsvFileAtomically(join(register.dir, `race-${i}.csv`), ['SIRET'], () => Promise.reject(new Error(`rows ${i} failed`))),
    );
    const outcomes = await Promise.allSettled(failures);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    // let any opening still in flight land before looking
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(register.dir).filter((f) => f.startsWith('race-'))).toEqual([]);
  });
});
