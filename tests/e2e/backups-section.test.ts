// The backups in Paramètres: a copy made on demand appears in the list, and a restore asks for
// confirmation first (the harness, like any place without the desktop shell, answers in French
// that restoring needs the installed app).
import { describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot } from '../harness/chromium';

describe('backups in Paramètres', () => {
  const session = appInBrowserPerTest();

  it('makes a backup on demand, lists it, and confirms before restoring', async () => {
    const { page } = await session.open({ screen: 'Paramètres' });
    await expect.poll(() => page.getByText('Aucune sauvegarde pour l’instant.').count()).toBe(1);
    await page.getByRole('button', { name: 'Faire une sauvegarde maintenant' }).click();
    await expect.poll(() => page.getByText(/^Sauvegarde faite\s: la sauvegarde du/).count()).toBe(1);
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: /^Restaurer la sauvegarde du/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restaurer cette sauvegarde ?' });
    await expect.poll(() => dialog.count()).toBe(1);
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '10-sauvegardes');
    await dialog.getByRole('button', { name: 'Restaurer et redémarrer' }).click();
    await expect.poll(() => page.getByText('La restauration se fait depuis l’application installée.').count()).toBe(1);
  });
});
