// Paramètres › « Démarrage et fermeture » and « À propos de Vigie » against the real core: the two
// boxes are saved as soon as they change (and survive a new page), turning the start with the
// session on or off asks the desktop shell to do it, and « À propos » shows the version and the
// data folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { describedByText, screenshot } from '../harness/chromium';

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('Paramètres: Démarrage et fermeture, À propos', () => {
  const session = appInBrowserPerTest();

  it('shows the version, the data folder and the logs folder', async () => {
    const { app, page } = await session.open({ screen: 'Paramètres' });
    const about = page.getByRole('region', { name: 'À propos de Vigie' });
    await expect.poll(() => about.getByText(`Vigie ${version}`, { exact: true }).count()).toBe(1);
    await expect.poll(() => about.getByText(app?.temp.path ?? '', { exact: true }).count()).toBe(1);
    expect(await about.getByText(join(app.temp.path, 'logs'), { exact: true }).count()).toBe(1);
    expect(await about.getByText(`Node.js ${process.versions.node}`).count()).toBe(1);
  });

  it('saves both boxes at once, keeps them, asks the shell for the start with the session, and passes axe', async () => {
    const { app, page } = await session.open({ screen: 'Paramètres' });
    const section = page.getByRole('region', { name: 'Démarrage et fermeture' });
    const tray = section.getByRole('checkbox', { name: 'Rester actif pour la mise à jour de nuit' });
    const login = section.getByRole('checkbox', { name: 'Lancer Vigie à l’ouverture de la session' });
    await expect.poll(() => tray.count()).toBe(1);
    // the defaults: stay running for the night, no start with the session
    expect(await tray.isChecked()).toBe(true);
    expect(await login.isChecked()).toBe(false);
    expect(await describedByText(page, tray)).toContain('la mise à jour de nuit a lieu');
    expect(await describedByText(page, login)).toContain('sans ouvrir de fenêtre');
    expect((await axeScan(page)).serious).toEqual([]);

    await login.check();
    await expect.poll(() => section.getByText('Enregistré\u00a0: Vigie démarrera à l’ouverture de votre session.').count()).toBe(1);
    expect(app.loginItem).toEqual([{ enabled: true, startInTray: true }]);
    expect(app.harness.core.settings.get().openAtLogin).toBe(true);

    // leaving the tray: the start with the session now opens the window, and the shell is told
    await tray.uncheck();
    await expect.poll(() => section.getByText('Enregistré\u00a0: fermer la fenêtre quittera Vigie.').count()).toBe(1);
    expect(app.loginItem).toEqual([
      { enabled: true, startInTray: true },
      { enabled: true, startInTray: false },
    ]);
    expect(await describedByText(page, login)).toContain('ouvre sa fenêtre');
    expect(app.harness.core.settings.get()).toMatchObject({ keepRunningInTray: false, openAtLogin: true });
    await screenshot(page, '11-demarrage-et-a-propos');

    // saving the rest of the settings leaves these two as they are
    await page.getByRole('form', { name: 'Paramètres de Vigie' }).getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(() => page.getByText('Paramètres enregistrés.').count()).toBe(1);
    expect(app.harness.core.settings.get()).toMatchObject({ keepRunningInTray: false, openAtLogin: true });
    expect(app.loginItem).toHaveLength(2);

    // a new page reads what was saved
    const { page: again } = await session.openWindow(app.harness, { screen: 'Paramètres' });
    const againSection = again.getByRole('region', { name: 'Démarrage et fermeture' });
    const againTray = againSection.getByRole('checkbox', { name: 'Rester actif pour la mise à jour de nuit' });
    await expect.poll(() => againTray.count()).toBe(1);
    expect(await againTray.isChecked()).toBe(false);
    expect(await againSection.getByRole('checkbox', { name: 'Lancer Vigie à l’ouverture de la session' }).isChecked()).toBe(true);

    await againSection.getByRole('checkbox', { name: 'Lancer Vigie à l’ouverture de la session' }).uncheck();
    await expect.poll(() => app?.loginItem.at(-1)).toEqual({ enabled: false, startInTray: false });
    expect((await axeScan(again)).serious).toEqual([]);
  });
});
