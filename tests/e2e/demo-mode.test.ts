// The demonstration mode as a newcomer meets it: a first launch (no token, an empty register)
// offers « Essayer avec des données de démonstration »; the demonstration register fills every
// screen, each marked « DÉMONSTRATION »; a supplier's PDF opens in the viewer; leaving shows the
// user's own, still empty, register again. Through the same switcher as the app.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceCounts, complianceParams } from '../../src-main/node/register/compliance';
import { tileCounts } from '../harness/dashboard-tiles';
import { startAppWithFakeApi, type AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { goToScreen, launchChromium, mainNavigation, openApp, screenshot, type AppPage } from '../harness/chromium';
import { cleanUp, plainSpaces } from '../harness/fixtures';

function marker(page: Page) {
  return page.getByRole('region', { name: 'DÉMONSTRATION', exact: true });
}

describe('demonstration mode', () => {
  let browser: Browser;
  let app: AppWithFakeApi;
  let view: AppPage;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startAppWithFakeApi();
    view = await openApp(browser, app.harness);
  });

  afterAll(async () => {
    await cleanUp(
      () => view?.context.close(),
      () => app?.close(),
      () => browser?.close(),
    );
  });

  it('is offered on a first launch, beside the token and the import, and the welcome is accessible', async () => {
    const { page } = view;
    const welcome = page.getByRole('region', { name: 'Bienvenue dans Vigie' });
    await welcome.waitFor();
    for (const action of ['Essayer avec des données de démonstration', 'Enregistrer mon jeton', 'Importer mon registre']) {
      expect(await welcome.getByRole('button', { name: action, exact: true }).count(), action).toBe(1);
    }
    expect(await marker(page).count()).toBe(0);
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '90-premier-lancement');
    // the welcome belongs to the dashboard only
    await goToScreen(page, 'Registre');
    expect(await welcome.count()).toBe(0);
    await goToScreen(page, 'Tableau de bord');
    await welcome.waitFor();
  });

  it('enters: the marker on every screen, every state counted, a supplier’s PDF in the viewer', async () => {
    const { page } = view;
    await page.getByRole('button', { name: 'Essayer avec des données de démonstration' }).click();
    await marker(page).waitFor({ timeout: 60_000 });
    expect(app.harness.demo.active).toBe(true);
    // the dashboard again, on the demonstration register: no welcome any more
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    expect(await page.getByRole('region', { name: 'Bienvenue dans Vigie' }).count()).toBe(0);

    const demoDb = app.harness.demo.current.db;
    const expected = complianceCounts(demoDb, complianceParams(new Date().toISOString().slice(0, 10), true));
    const counts = await tileCounts(page);
    expect(counts).toEqual(expected);
    for (const state of ['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue'] as const) expect(counts[state], state).toBeGreaterThan(0);
    const suppliers = plainSpaces(await page.getByRole('region', { name: 'Fournisseurs', exact: true }).innerText());
    expect(suppliers).toMatch(/sur 300 fournisseurs au registre/);
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '91-demonstration-tableau-de-bord');

    // every screen of the navigation carries the marker, in words, with the way back
    const labels = await mainNavigation(page).getByRole('button').allInnerTexts();
    expect(labels.length).toBeGreaterThanOrEqual(6);
    for (const label of labels) {
      await goToScreen(page, label.trim());
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await marker(page).count(), label).toBe(1);
      expect(await marker(page).getByRole('button', { name: 'Quitter la démonstration' }).count(), label).toBe(1);
    }
    // Paramètres: its own section says so, and the settings are the demonstration's
    const section = page.getByRole('region', { name: 'Démonstration', exact: true });
    expect(await section.getByRole('button', { name: 'Quitter la démonstration' }).count()).toBe(1);

    // a supplier with an attestation de vigilance and its PDF, downloaded when the register was built
    const subject = demoDb
      .prepare(
        `SELECT s.name, s.siren FROM suppliers s JOIN attestations a ON a.siren = s.siren
         WHERE a.kind = 'urssaf_vigilance' AND a.document_id IS NOT NULL AND s.active = 1 ORDER BY s.id LIMIT 1`,
      )
      .get() as { name: string; siren: string };
    await goToScreen(page, 'Registre');
    await page.getByRole('searchbox', { name: 'Rechercher un fournisseur' }).fill(subject.siren);
    await page.getByRole('table', { name: 'Fournisseurs' }).getByRole('button', { name: subject.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Fiche fournisseur' }).waitFor();
    expect(await marker(page).count()).toBe(1);
    const attestation = page.getByRole('article', { name: 'Attestation de vigilance (URSSAF)' });
    await attestation.getByRole('button', { name: /Voir le document/ }).first().click();
    const viewer = page.getByRole('dialog', { name: /Visionneuse/ });
    await viewer.waitFor();
    await expect.poll(() => viewer.getByText(/^Page \d+ sur \d+$/).textContent(), { timeout: 15_000 }).toBe('Page 1 sur 1');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '92-demonstration-fiche');
  }, 120_000);

  it('leaves: no marker, the real register (empty) and the offer again', async () => {
    const { page } = view;
    await marker(page).getByRole('button', { name: 'Quitter la démonstration' }).click();
    await marker(page).waitFor({ state: 'detached' });
    expect(app.harness.demo.active).toBe(false);
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await page.getByText('Aucun fournisseur actif pour l’instant').waitFor();
    await page.getByRole('region', { name: 'Bienvenue dans Vigie' }).waitFor();
    for (const label of await mainNavigation(page).getByRole('button').allInnerTexts()) {
      await goToScreen(page, label.trim());
      expect(await marker(page).count(), label).toBe(0);
    }
    await goToScreen(page, 'Registre');
    expect((await app.harness.core.dispatch('register.stats', {})).ok).toBe(true);
    expect(app.harness.core.db.prepare('SELECT count(*) FROM suppliers').pluck().get()).toBe(0);
    // Paramètres offers it again
    await goToScreen(page, 'Paramètres');
    const section = page.getByRole('region', { name: 'Démonstration', exact: true });
    expect(await section.getByRole('button', { name: 'Essayer avec des données de démonstration' }).count()).toBe(1);
    expect(view.problems).toEqual([]);
  });
});
