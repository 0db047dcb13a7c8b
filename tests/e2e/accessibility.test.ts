// Every screen, as an agent sees it with real data (suppliers in every compliance state, a token
// close to expiry and its reminder banner), scanned by axe-core: no serious or critical
// violation, and no violation at all of any impact. Screenshots of each screen go to
// $VIGIE_SCREENSHOTS when it is set.
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { goToScreen, screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { siretWithBadChecksum, validIdentifiers } from '../harness/fixtures';
import { seedComplianceStates } from '../harness/seed';

async function expectAccessible(page: Page): Promise<void> {
  const report = await axeScan(page);
  expect(report.serious, 'serious or critical axe violations').toEqual([]);
  expect(report.all, 'axe violations of lesser impact').toEqual([]);
}

describe('accessibility: axe-core on every screen', () => {
  const session = appInBrowserPerTest();
  let view: AppPage;

  beforeEach(async () => {
    const dialogs = fakeDialogs();
    const app = await session.start({ dialogs });
    const csvPath = app.temp.file('tiers.csv');
    const rows = [1, 2, 3].map((n) => `F${n};Fournisseur ${n};${validIdentifiers(900 + n).siret};Annecy`);
    await writeFile(
      csvPath,
      ['Code tiers;Raison sociale;SIRET;Ville', ...rows, `F9;Erroné;${siretWithBadChecksum(999)};Annecy`].join('\r\n'),
    );
    dialogs.importAnswers.push(csvPath);
    seedComplianceStates(app.harness.core);
    // issued 17 months ago, 20 days left: the reminder banner is up on every screen
    await app.storeToken(app.mintToken({ issuedDaysAgo: 510, expiresInDays: 20 }));
    view = await session.openWindow(app.harness);
  });

  it('Tableau de bord', async () => {
    const { page } = view;
    await page.getByRole('list', { name: 'Conformité des fournisseurs actifs' }).waitFor();
    await page.getByRole('region', { name: /Le jeton API Entreprise expire dans 20 jours/ }).waitFor();
    await screenshot(page, '01-tableau-de-bord');
    await expectAccessible(page);
    expect(view.problems).toEqual([]);
  });

  it('Registre, then its import wizard', async () => {
    const { page } = view;
    await goToScreen(page, 'Registre');
    await page.getByRole('row').filter({ hasText: 'Boulangerie Pâtissière Lefèvre' }).waitFor();
    await screenshot(page, '02-registre');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Importer un CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importer un fichier CSV' });
    await dialog.getByRole('list', { name: 'Résultat prévu' }).waitFor();
    await screenshot(page, '05-assistant-import');
    await expectAccessible(page);
    expect(view.problems).toEqual([]);
  });

  it('Jeton, then its removal dialog', async () => {
    const { page } = view;
    await goToScreen(page, 'Jeton');
    await page.getByRole('list', { name: 'Habilitations' }).waitFor();
    await screenshot(page, '03-jeton');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Supprimer le jeton' }).click();
    await page.getByRole('dialog', { name: 'Supprimer le jeton ?' }).waitFor();
    await screenshot(page, '06-jeton-suppression');
    await expectAccessible(page);
    expect(view.problems).toEqual([]);
  });

  it('Paramètres, with and without an inline error', async () => {
    const { page } = view;
    await goToScreen(page, 'Paramètres');
    const siret = page.getByLabel('SIRET de la commune');
    await siret.waitFor();
    await screenshot(page, '04-parametres');
    await expectAccessible(page);

    await siret.fill(siretWithBadChecksum(7));
    await page.getByLabel('Objet des demandes').fill('Contrôle annuel des attestations de vigilance des fournisseurs');
    await page.getByText(/clé de contrôle est fausse/).waitFor();
    await screenshot(page, '07-parametres-erreurs');
    await expectAccessible(page);
    expect(view.problems).toEqual([]);
  });
});
