import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileDialogs } from '../../src-main/node/app/file-dialogs';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { silentLogger } from '../../src-main/node/logger';
import { makeInvalidSiret, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
let core: VigieCore;
const dialogs: { open: string | null; save: string | null; savedDefault?: string } = { open: null, save: null };

const fakeDialogs: FileDialogs = {
  chooseCsvToImport: () => Promise.resolve(dialogs.open),
  chooseCsvExportPath: (defaultFileName) => {
    dialogs.savedDefault = defaultFileName;
    return Promise.resolve(dialogs.save);
  },
};

beforeEach(() => {
  register = tempRegister();
  register.db.close();
  core = createVigieCore({
    databasePath: join(register.dir, 'vigie.sqlite3'),
    dialogs: fakeDialogs,
    logger: silentLogger,
    now: () => new Date('2026-11-28T10:00:00Z'),
  });
});
afterEach(() => {
  core.close();
  register.dispose();
});

async function ok<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const envelope = await promise;
  if (!envelope.ok) throw new Error(`expected ok, got: ${envelope.error.message}`);
  return envelope.value;
}

describe('import through the IPC contract', () => {
  it('chooses, previews, then commits a file the renderer only knows by an opaque id', async () => {
    const path = join(register.dir, 'fournisseurs.csv');
    writeFileSync(path, `SIRET;Raison sociale\n${makeSiret(1)};Alpha\n${makeInvalidSiret(2)};Beta\n`);
    dialogs.open = path;
    const chosen = (await ok(core.dispatch('csv.chooseImportFile', {}))) as { fileId: string; fileName: string };
    expect(chosen.fileName).toBe('fournisseurs.csv');
    expect(chosen.fileId).toMatch(/^[a-f0-9]{32}$/);
    expect(JSON.stringify(chosen)).not.toContain(register.dir);

    const preview = (await ok(core.dispatch('csv.previewImport', { fileId: chosen.fileId }))) as { inserted: number; rejected: unknown[] };
    expect(preview.inserted).toBe(1);
    expect(preview.rejected).toHaveLength(1);
    const page0 = (await ok(core.dispatch('register.search', {}))) as { total: number };
    expect(page0.total).toBe(0);

    const report = (await ok(core.dispatch('csv.commitImport', { fileId: chosen.fileId, mapping: { '0': 'siret', '1': 'name' } }))) as {
      inserted: number;
    };
    expect(report.inserted).toBe(1);
    const page = (await ok(core.dispatch('register.search', { text: 'alp' }))) as { total: number; rows: { name: string; id: number }[] };
    expect(page.rows.map((r) => r.name)).toEqual(['Alpha']);
    const one = await ok(core.dispatch('register.get', { id: page.rows[0]?.id ?? 0 }));
    expect(one).toMatchObject({ name: 'Alpha', siret: makeSiret(1) });

    // the id is spent once the import is done
    const again = await core.dispatch('csv.commitImport', { fileId: chosen.fileId, mapping: { '0': 'siret' } });
    expect(again).toEqual({ ok: false, error: { code: 'not-found', message: expect.stringContaining('choisissez-le à nouveau') } });
  });

  it('answers null when the user cancels the dialog', async () => {
    dialogs.open = null;
    expect(await core.dispatch('csv.chooseImportFile', {})).toEqual({ ok: true, value: null });
    dialogs.save = null;
    expect(await core.dispatch('csv.exportRegister', {})).toEqual({ ok: true, value: null });
  });

  it('turns file-system failures into French messages', async () => {
    dialogs.open = join(register.dir, 'disparu.csv');
    const chosen = (await ok(core.dispatch('csv.chooseImportFile', {}))) as { fileId: string };
    const result = await core.dispatch('csv.previewImport', { fileId: chosen.fileId });
    expect(result).toEqual({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('introuvable') } });
    const unknown = await core.dispatch('csv.previewImport', { fileId: 'f'.repeat(32) });
    expect(unknown.ok).toBe(false);
  });

  it('exports to the path chosen in the save dialog, with a dated default name', async () => {
    const path = join(register.dir, 'fournisseurs.csv');
    writeFileSync(path, `SIRET;Raison sociale\n${makeSiret(1)};Alpha\n`);
    dialogs.open = path;
    const chosen = (await ok(core.dispatch('csv.chooseImportFile', {}))) as { fileId: string };
    await ok(core.dispatch('csv.commitImport', { fileId: chosen.fileId, mapping: { '0': 'siret', '1': 'name' } }));
    dialogs.save = join(register.dir, 'sortie.csv');
    expect(await ok(core.dispatch('csv.exportRegister', {}))).toEqual({ fileName: 'sortie.csv', rows: 1 });
    expect(dialogs.savedDefault).toBe('registre-des-tiers-2026-11-28.csv');
    expect(readFileSync(dialogs.save, 'utf8')).toContain('Alpha');
  });
});

describe('daily maintenance', () => {
  it('writes one verified backup a day and purges journal lines older than 36 months', async () => {
    const { readdirSync } = await import('node:fs');
    core.db
      .prepare(
        `INSERT INTO call_journal (at, endpoint, recipient, context, object, outcome) VALUES
         ('2023-01-01T00:00:00.000Z', 'insee.unite_legale', '13002526500013', 'c', 'o', 'ok'),
         ('2026-11-01T00:00:00.000Z', 'insee.unite_legale', '13002526500013', 'c', 'o', 'ok')`,
      )
      .run();
    const first = await core.maintenance();
    expect(first.purgedJournalLines).toBe(1);
    expect(first.backup).toMatch(/\.sqlite3$/);
    expect(readdirSync(join(register.dir, 'backups'))).toHaveLength(1);
    const second = await core.maintenance();
    expect(second).toEqual({ backup: null, purgedJournalLines: 0, removedKeptAside: [] });
  });
});

describe('backups from the app', () => {
  it('lists, creates and restores only a backup of its own folder, through the shell', async () => {
    const restored: string[] = [];
    const local = createVigieCore({
      databasePath: join(register.dir, 'other.sqlite3'),
      userDataDir: join(register.dir, 'other'),
      dialogs: fakeDialogs,
      logger: silentLogger,
      desktop: { openExternal: () => Promise.resolve(), restoreAndRestart: (path) => Promise.resolve(void restored.push(path)) },
    });
    try {
      expect(await ok(local.dispatch('backups.list', {}))).toEqual([]);
      const made = (await ok(local.dispatch('backups.create', {}))) as { fileName: string; label: string };
      expect(made.label).toMatch(/^la sauvegarde du \d{2}\/\d{2}\/\d{4}/);
      expect(await ok(local.dispatch('backups.list', {}))).toHaveLength(1);
      expect(await local.dispatch('backups.restore', { fileName: '../vigie.sqlite3' })).toMatchObject({ ok: false });
      expect(await local.dispatch('backups.restore', { fileName: 'absent.sqlite3' })).toMatchObject({
        ok: false,
        error: { message: 'Cette sauvegarde n’existe plus.' },
      });
      await ok(local.dispatch('backups.restore', { fileName: made.fileName }));
      expect(restored).toEqual([join(register.dir, 'other', 'backups', made.fileName)]);
    } finally {
      local.close();
    }
  });
});
