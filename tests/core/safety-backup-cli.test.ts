// `npm run cli -- backup|restore`, called through the functions the CLI entry delegates to.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/node/db/database';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { BACKUP_USAGE, isBackupCommand, runBackupCli } from '../../src-main/node/safety/backup-cli';
import { listBackups } from '../../src-main/node/safety/database-backup';
import { makeSiren } from '../support/identifiers-fixture';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-backup-cli-'));
  dbPath = join(dir, 'vigie.sqlite3');
  const db = openDatabase(dbPath);
  const repository = new SupplierRepository(db);
  for (let i = 0; i < 25; i += 1) repository.upsert({ siren: makeSiren(i), siret: null, name: `Fournisseur ${i}` });
  db.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], now = new Date(Date.UTC(2026, 10, 28, 2, 0))) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBackupCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, { now: () => now });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const suppliers = () => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM suppliers').pluck().get();
  } finally {
    db.close();
  }
};

describe('backup', () => {
  it('copies into `backups` beside the database by default, with a French report', async () => {
    const result = await run(['backup', '--db', dbPath]);
    expect(result).toMatchObject({ code: 0, err: '' });
    const expected = join(dir, 'backups', 'vigie-backup-2026-11-28T02-00-00.000Z.sqlite3');
    expect(result.out).toMatch(new RegExp(`^Sauvegarde vérifiée : ${expected.replace(/[.\\]/g, '\\$&')} \\(\\d+ Ko\\)\\.$`));
    expect(existsSync(expected)).toBe(true);
  });

  it('takes --dir and --json, and reports what the rotation removed', async () => {
    const backups = join(dir, 'elsewhere');
    for (let day = 0; day < 10; day += 1) {
      const result = await run(['backup', '--db', dbPath, '--dir', backups, '--json'], new Date(Date.UTC(2026, 10, 1 + day, 2, 0)));
      expect(result.code).toBe(0);
      const report = JSON.parse(result.out) as { backup: string; removed: string[] };
      expect(report.backup.startsWith(backups)).toBe(true);
      if (day === 9) expect(report.removed.length).toBe(1);
    }
    expect(listBackups(backups)).toHaveLength(7 + 1);
  });

  it('refuses to back up a damaged database, so that rotation never replaces a good copy by a bad one', async () => {
    expect((await run(['backup', '--db', dbPath])).code).toBe(0);
    writeFileSync(dbPath, 'endommagée'.repeat(500));
    const result = await run(['backup', '--db', dbPath], new Date(Date.UTC(2026, 10, 29, 2, 0)));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Erreur : la base est endommagée, elle n’a pas été sauvegardée\./);
    expect(listBackups(join(dir, 'backups'))).toHaveLength(1);
  });

  it('says when the database does not exist', async () => {
    const result = await run(['backup', '--db', join(dir, 'absent.sqlite3')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Erreur : la base .* est introuvable\.$/);
  });
});

describe('restore', () => {
  it('restores a named backup and says where the replaced database is kept', async () => {
    await run(['backup', '--db', dbPath]);
    const db = openDatabase(dbPath);
    db.exec('DELETE FROM suppliers');
    db.close();
    const [backup] = listBackups(join(dir, 'backups'));
    const result = await run(['restore', backup?.path ?? '', '--db', dbPath], new Date(Date.UTC(2026, 10, 28, 9, 0)));
    expect(result.code).toBe(0);
    expect(result.out).toBe(`Base restaurée à partir de ${backup?.path}.\nL’ancienne base est conservée sous ${dbPath}.before-restore-2026-11-28T09-00-00.000Z.`);
    expect(suppliers()).toBe(25);
  });

  it('--latest picks the newest backup; --list lists them; nothing given lists them and asks', async () => {
    await run(['backup', '--db', dbPath], new Date(Date.UTC(2026, 10, 26, 2, 0)));
    await run(['backup', '--db', dbPath], new Date(Date.UTC(2026, 10, 27, 2, 0)));
    const listed = await run(['restore', '--list', '--db', dbPath]);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n').slice(0, 3)).toEqual([
      `Sauvegardes dans ${join(dir, 'backups')} (la plus récente d’abord) :`,
      expect.stringMatching(/^ {2}vigie-backup-2026-11-27T02-00-00\.000Z\.sqlite3 {2}27\/11\/2026 à 03:00 {2}\d+ Ko$/),
      expect.stringMatching(/^ {2}vigie-backup-2026-11-26T02-00-00\.000Z\.sqlite3 {2}26\/11\/2026 à 03:00/),
    ]);
    const asked = await run(['restore', '--db', dbPath]);
    expect(asked.code).toBe(2);
    expect(asked.err).toMatch(/^Indiquez la sauvegarde à restaurer, ou --latest pour la plus récente\./);
    const latest = await run(['restore', '--latest', '--db', dbPath, '--json']);
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.out)).toMatchObject({ restoredFrom: expect.stringContaining('2026-11-27T02-00-00.000Z') });
  });

  it('fails in French: Vigie still open, a damaged backup, no backup at all', async () => {
    await run(['backup', '--db', dbPath]);
    const [backup] = listBackups(join(dir, 'backups'));
    const app = openDatabase(dbPath);
    const inUse = await run(['restore', backup?.path ?? '', '--db', dbPath]);
    app.close();
    expect(inUse).toMatchObject({ code: 1, err: 'Erreur : La base de données est ouverte par Vigie ou par une autre commande : fermez Vigie puis recommencez.' });
    const damaged = join(dir, 'damaged.sqlite3');
    writeFileSync(damaged, 'x'.repeat(5_000));
    expect(await run(['restore', damaged, '--db', dbPath])).toMatchObject({ code: 1, err: expect.stringMatching(/^Erreur : Cette sauvegarde est endommagée/) });
    expect(await run(['restore', '--latest', '--db', dbPath, '--dir', join(dir, 'empty')])).toMatchObject({ code: 1, err: `Aucune sauvegarde dans ${join(dir, 'empty')}.` });
    expect(readdirSync(dir).filter((n) => n.includes('before-restore'))).toEqual([]);
  });
});

describe('arguments', () => {
  it('recognises its commands and refuses incomplete ones with the usage', async () => {
    expect(isBackupCommand(['backup', '--db', 'x'])).toBe(true);
    expect(isBackupCommand(['restore'])).toBe(true);
    expect(isBackupCommand(['import', 'x.csv'])).toBe(false);
    expect(isBackupCommand([])).toBe(false);
    for (const argv of [['backup'], ['backup', '--db'], ['backup', '--db', dbPath, '--bogus'], ['restore', 'a', 'b', '--db', dbPath], ['other', '--db', dbPath]]) {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toContain(BACKUP_USAGE);
    }
  });
});
