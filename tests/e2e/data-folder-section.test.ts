// « Dossier des données » in Paramètres: the folder in use is shown; choosing a folder through the
// (fake) folder picker schedules the move for the next start, which the section says and can
// cancel; a refused folder gets its French reason. axe finds nothing serious.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppWithFakeApi, type AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { launchChromium, openApp, screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { cleanUp, makeTempDir, plainSpaces, type TempDir } from '../harness/fixtures';

describe('Dossier des données', () => {
  let browser: Browser;
  let app: AppWithFakeApi | undefined;
  let view: AppPage | undefined;
  let target: TempDir | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await cleanUp(() => view?.context.close() ?? Promise.resolve(), () => app?.close(), () => target?.remove());
    view = undefined;
    app = undefined;
    target = undefined;
  });

  it('shows the current folder, schedules a move to the chosen folder, and cancels it', async () => {
    target = await makeTempDir('vigie-e2e-disk-');
    app = await startAppWithFakeApi({ dialogs: fakeDialogs({ dataFolders: [target.path] }) });
    view = await openApp(browser, app.harness, { screen: 'Paramètres' });
    const { page } = view;
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
    target = await makeTempDir('vigie-e2e-disk-');
    mkdirSync(join(target.path, 'Vigie'));
    writeFileSync(join(target.path, 'Vigie', 'autre-chose.txt'), 'x');
    app = await startAppWithFakeApi({ dialogs: fakeDialogs({ dataFolders: [target.path] }) });
    view = await openApp(browser, app.harness, { screen: 'Paramètres' });
    const section = view.page.getByRole('region', { name: 'Dossier des données' });
    await section.getByRole('button', { name: 'Déplacer les données…' }).click();
    await expect.poll(() => section.getByText(/contient déjà un dossier «\sVigie\s» qui n’est pas vide/).count()).toBe(1);
    expect(await section.getByText('Déplacement prévu au prochain démarrage vers').count()).toBe(0);
  });
});
