// « Exporter en CSV » writes what French Excel opens correctly: UTF-8 with a byte order mark,
// `;` between cells; a cancelled save dialog writes nothing and says nothing.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs, type FakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, validIdentifiers, type TempDir } from '../harness/fixtures';
import { startRendererHarness } from '../harness/renderer-harness';
import { seedSuppliers } from '../harness/seed';

describe('register: CSV export', () => {
  const session = appInBrowserPerTest();
  let temp: TempDir;
  let dialogs: FakeDialogs;
  let app: AppPage;
  let exportPath: string;

  beforeEach(async () => {
    temp = await makeTempDir();
    const folder = temp;
    session.closeAfterTest(() => folder.remove());
    exportPath = temp.file('registre-export.csv');
    // the first click is cancelled in the save dialog, the second one saves
    dialogs = fakeDialogs({ exports: [null, exportPath] });
    const harness = await startRendererHarness({ databasePath: temp.file('vigie.sqlite3'), dialogs });
    session.closeAfterTest(() => harness.close());
    seedSuppliers(harness.core, [
      { ...validIdentifiers(1), name: 'Société Générale d’Entretien', accountingCode: 'F0001', city: 'Annecy', tags: ['nettoyage'] },
      { ...validIdentifiers(2), name: 'Boulangerie Pâtissière Lefèvre', accountingCode: 'F0002', city: 'Chambéry' },
      { ...validIdentifiers(3), name: 'Ancien prestataire', accountingCode: 'F0003', city: 'Lyon', active: false },
    ]);
    app = await session.openWindow(harness, { screen: 'Registre' });
  });

  it('writes a UTF-8 file with a BOM and « ; » separators, and says how many suppliers went into which file', async () => {
    const { page } = app;
    const count = page.getByText(/^\d+ fournisseurs?( sur \d+)?$/);
    await expect.poll(() => count.textContent()).toBe('3 fournisseurs');
    const exportButton = page.getByRole('button', { name: 'Exporter en CSV' });

    // cancelled: no file, no message, no error
    await exportButton.click();
    await expect.poll(() => dialogs.proposedExportNames.length).toBe(1);
    await expect.poll(() => exportButton.isEnabled()).toBe(true);
    expect(existsSync(exportPath)).toBe(false);
    expect(await page.getByRole('status').textContent()).toBe('');
    expect(await page.getByRole('alert').textContent()).toBe('');

    await exportButton.click();
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent()).toBe('3 fournisseurs exportés dans registre-export.csv');
    expect(dialogs.proposedExportNames[1]).toMatch(/^registre-des-tiers-\d{4}-\d{2}-\d{2}\.csv$/);
    await screenshot(page, '24-export');

    const bytes = await readFile(exportPath);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(4);
    expect(lines[0]?.split(';')).toEqual([
      'SIRET',
      'SIREN',
      'Raison sociale',
      'Code tiers',
      'Adresse',
      'Code postal',
      'Ville',
      'Étiquettes',
      'Notes',
      'Actif',
    ]);
    const generale = lines.find((line) => line.includes('Société Générale d’Entretien'));
    expect(generale?.split(';')).toEqual([
      validIdentifiers(1).siret,
      validIdentifiers(1).siren,
      'Société Générale d’Entretien',
      'F0001',
      '',
      '',
      'Annecy',
      'nettoyage',
      '',
      'oui',
    ]);
    expect(lines.find((line) => line.includes('Ancien prestataire'))?.endsWith(';non')).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('shows the core’s French message when the file cannot be written', async () => {
    const { page } = app;
    // a folder that does not exist: the core answers with a message an agent can act on
    dialogs.exportAnswers.splice(0, dialogs.exportAnswers.length, temp.file('dossier-absent/registre.csv'));
    await page.getByRole('button', { name: 'Exporter en CSV' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Le fichier est introuvable');
    expect(await page.getByRole('status').textContent()).toBe('');
    await screenshot(page, '25-erreur-export');
  });
});
