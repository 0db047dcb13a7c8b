// « Dossier des données » in Paramètres: the folder in use is shown; choosing a folder through the
// (fake) folder picker schedules the move for the next start, which the section says and can
// cancel; a refused folder gets its French reason. axe finds nothing serious.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, plainSpaces, type TempDir } from '../harness/fixtures';

describe('Dossier des données', () => {
  const session = appInBrowserPerTest();

  /** A folder standing for another disk, removed after the test. */
  async function otherDisk(): Promise<TempDir> {
    const target = await makeTempDir('vigie-e2e-disk-');
    session.closeAfterTest(() => target.remove());
    return target;
  }

  it('shows the current folder, schedules a move to the chosen folder, and cancels it', async () => {
    const target = await otherDisk();
    const { app, page } = await session.open({ dialogs: fakeDialogs({ dataFolders: [target.path] }), screen: 'Paramètres' });
    const section = page.getByRole('region', { name: 'Dossier des données' });
    await expect.poll(() => section.getByText(app?.temp.path ?? '', { exact: true }).count()).toBe(1);
    expect(await section.getByText('Dossier actuel (dossier par défaut)').count()).toBe(1);

    await section.getByRole('button', { name: 'Déplacer les données…' }).click();
    const destination = join(target.path, 'Vigie');
    await expect.poll(() => section.getByText(destination, { exact: true }).count()).toBe(1);
    expect(await section.getByText('Déplacement prévu au prochain démarrage vers').count()).toBe(1);
    expect(plainSpaces(await section.getByText(/^Le déplacement se fera au prochain démarrage/).textContent())).toBe(
      'Le déplacement se fera au prochain démarrage de Vigie : fermez Vigie puis relancez-le.',
    );
    // recorded beside the data for the next start; nothing copied yet
    const record = JSON.parse(readFileSync(join(app.temp.path, 'data-move.json'), 'utf8')) as { pending?: { folder: string } };
    expect(record.pending?.folder).toBe(target.path);
    expect(existsSync(destination)).toBe(false);
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '12-dossier-des-donnees');

    await section.getByRole('button', { name: 'Annuler le déplacement prévu' }).click();
    await expect.poll(() => section.getByText('Le déplacement prévu est annulé.').count()).toBe(1);
    expect(await section.getByText(destination, { exact: true }).count()).toBe(0);
    const after = JSON.parse(readFileSync(join(app.temp.path, 'data-move.json'), 'utf8')) as { pending?: unknown };
    expect(after.pending).toBeUndefined();
  });

  it('says why a folder is refused', async () => {
    const target = await otherDisk();
    mkdirSync(join(target.path, 'Vigie'));
    writeFileSync(join(target.path, 'Vigie', 'autre-chose.txt'), 'x');
    const { page } = await session.open({ dialogs: fakeDialogs({ dataFolders: [target.path] }), screen: 'Paramètres' });
    const section = page.getByRole('region', { name: 'Dossier des données' });
    await section.getByRole('button', { name: 'Déplacer les données…' }).click();
    await expect.poll(() => section.getByText(/contient déjà un dossier «\sVigie\s» qui n’est pas vide/).count()).toBe(1);
    expect(await section.getByText('Déplacement prévu au prochain démarrage vers').count()).toBe(0);
  });
});
