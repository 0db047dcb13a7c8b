// The supplier's screen, the document viewer, adding a supplier and the call journal, against
// the real core and the fake API Entreprise (a real PDF, real calls in the journal).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAppWithFakeApi, type AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { goToScreen, isFocused, launchChromium, openApp, screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs, type FakeDialogs } from '../harness/fake-dialogs';
import { cleanUp, plainSpaces, siretWithBadChecksum } from '../harness/fixtures';
import { seedSupplierWithDocument, type SeededSupplier } from '../harness/seed-documents';

describe('supplier screen, document viewer, adding a supplier, call journal', () => {
  let browser: Browser;
  let dialogs: FakeDialogs;
  let app: AppWithFakeApi;
  let seeded: SeededSupplier;
  let appPage: AppPage;

  beforeAll(async () => {
    browser = await launchChromium();
    dialogs = fakeDialogs();
    app = await startAppWithFakeApi({ dialogs, companyCount: 60 });
    await app.storeToken(app.mintToken());
    seeded = await seedSupplierWithDocument(app);
  });

  afterAll(async () => {
    await cleanUp(
      () => app?.close(),
      () => browser?.close(),
    );
  });

  beforeEach(async () => {
    appPage = await openApp(browser, app.harness, { screen: 'Registre' });
  });

  afterEach(async () => {
    await appPage?.context.close();
  });

  const openSeededSupplier = async () => {
    const { page } = appPage;
    await page.getByRole('searchbox', { name: 'Rechercher un fournisseur' }).fill(seeded.siren);
    const nameButton = page.getByRole('table', { name: 'Fournisseurs' }).getByRole('button', { name: seeded.name, exact: true });
    // keyboard: the name is a button, Enter opens the supplier's screen
    await nameButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Fiche fournisseur' }).waitFor();
    await page.getByRole('heading', { level: 2, name: seeded.name }).waitFor();
  };

  it('opens a supplier from the register and shows its attestations, then goes back to the same search', async () => {
    const { page } = appPage;
    await openSeededSupplier();
    const attestation = page.getByRole('article', { name: 'Attestation de vigilance (URSSAF)' });
    await attestation.waitFor();
    expect(plainSpaces(await attestation.textContent())).toContain('À jour');
    expect(await attestation.textContent()).toContain(seeded.securityCode);
    expect(await attestation.textContent()).toContain('vérifier l’authenticité de l’attestation sur le site de l’URSSAF');
    expect(await attestation.getByRole('button', { name: /Voir le document/ }).count()).toBe(1);
    // the older one is in the history disclosure
    await page.getByText('Historique des attestations (1)').click();
    expect(plainSpaces(await page.getByRole('table', { name: 'Attestations précédentes' }).textContent())).toContain('Expirée');
    // the calls made for this supplier
    expect(await page.getByRole('table', { name: 'Derniers appels pour ce fournisseur' }).textContent()).toContain('Attestation de vigilance (URSSAF)');
    expect(plainSpaces(await page.locator('.supplier-ids').textContent())).toContain(
      `${seeded.siret.slice(0, 3)} ${seeded.siret.slice(3, 6)} ${seeded.siret.slice(6, 9)} ${seeded.siret.slice(9)}`,
    );

    const report = await axeScan(page);
    expect(report.serious).toEqual([]);
    await page.locator('main').evaluate((main) => main.scrollTo({ top: 0 }));
    await screenshot(page, '30-fiche-fournisseur');

    await page.getByRole('button', { name: 'Retour au registre' }).click();
    await page.getByRole('heading', { level: 1, name: 'Registre des tiers' }).waitFor();
    expect(await page.getByRole('searchbox', { name: 'Rechercher un fournisseur' }).inputValue()).toBe(seeded.siren);
    expect(appPage.problems).toEqual([]);
  });

  it('shows the PDF inside the app with a text layer, saves a copy, and closes with Escape', async () => {
    const { page } = appPage;
    await openSeededSupplier();
    const viewButton = page.getByRole('button', { name: /Voir le document/ }).first();
    await viewButton.click();
    const viewer = page.getByRole('dialog', { name: /Visionneuse/ });
    await viewer.waitFor();
    await expect.poll(() => viewer.getByText(/^Page \d+ sur \d+$/).textContent(), { timeout: 15_000 }).toBe('Page 1 sur 1');
    // the text layer is the PDF's own text, read from the DOM
    const textLayer = viewer.locator('.textLayer');
    await expect.poll(async () => (await textLayer.textContent()) ?? '', { timeout: 15_000 }).toMatch(/Attestation/);
    expect(Number(await viewer.locator('canvas.pdf-canvas').getAttribute('width'))).toBeGreaterThan(100);

    const report = await axeScan(page);
    expect(report.serious).toEqual([]);
    await screenshot(page, '31-visionneuse');

    // zoom: + then « Ajuster à la largeur »
    const zoomText = viewer.locator('.zoom-indicator');
    const before = await zoomText.textContent();
    await viewer.getByRole('button', { name: 'Agrandir (zoom avant)' }).click();
    await expect.poll(() => zoomText.textContent()).not.toBe(before);

    // « Enregistrer sous » goes through the main process's save dialog
    const target = app.temp.file('copie-attestation.pdf');
    dialogs.documentAnswers.splice(0, dialogs.documentAnswers.length, target);
    await viewer.getByRole('button', { name: 'Enregistrer sous…' }).click();
    await expect.poll(() => viewer.getByRole('status').textContent()).toBe('Document enregistré sous copie-attestation.pdf');
    expect((await readFile(target)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(dialogs.proposedDocumentNames.at(-1)).toMatch(/^urssaf-vigilance-.*\.pdf$/);

    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(await isFocused(page, viewButton)).toBe(true);
    expect(appPage.problems).toEqual([]);
  });

  it('saves an edited field of the supplier', async () => {
    const { page } = appPage;
    await openSeededSupplier();
    const city = page.getByRole('textbox', { name: 'Ville' });
    await city.fill('Thonon-les-Bains');
    await page.getByRole('textbox', { name: 'Notes' }).fill('Marché de voirie 2026');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Modifications enregistrées.');
    const stored = await app.harness.core.dispatch('register.get', { id: seeded.supplierId });
    expect(stored).toMatchObject({ ok: true, value: { city: 'Thonon-les-Bains', notes: 'Marché de voirie 2026' } });

    // an empty name is refused in French, without a call
    await page.getByRole('textbox', { name: 'Raison sociale' }).fill('');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Saisissez la raison sociale du fournisseur.').waitFor();
    expect(appPage.problems).toEqual([]);
  });

  it('adds a supplier: checksum error as one types, prefill from INSEE, then its screen', async () => {
    const { page } = appPage;
    await page.getByRole('button', { name: 'Ajouter un fournisseur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ajouter un fournisseur' });
    const identifier = dialog.getByRole('textbox', { name: 'Numéro SIRET ou SIREN' });
    await identifier.pressSequentially(siretWithBadChecksum(7));
    await dialog.getByText(/Ce SIRET n’existe pas\s:\ssa clé de contrôle est fausse/).waitFor();
    expect(await identifier.getAttribute('aria-invalid')).toBe('true');

    const company = app.api.companies.find(['active'], 10).find((candidate) => candidate.siren !== seeded.siren && candidate.name !== null);
    const siret = company?.establishments[0]?.siret ?? '';
    expect(siret).toMatch(/^\d{14}$/);
    await identifier.fill(siret.replace(/(\d{3})(\d{3})(\d{3})(\d{5})/, '$1 $2 $3 $4'));
    expect(await identifier.getAttribute('aria-invalid')).toBe('false');
    await dialog.getByRole('button', { name: 'Rechercher' }).click();
    const name = dialog.getByRole('textbox', { name: 'Raison sociale' });
    await expect.poll(() => name.inputValue(), { timeout: 15_000 }).not.toBe('');
    const prefilledName = await name.inputValue();
    expect(await dialog.getByRole('textbox', { name: 'Ville' }).inputValue()).not.toBe('');
    await dialog.getByRole('textbox', { name: 'Code tiers' }).fill('F-NEW-01');

    const report = await axeScan(page);
    expect(report.serious).toEqual([]);
    await screenshot(page, '32-ajouter');

    await dialog.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Fiche fournisseur' }).waitFor();
    await page.getByRole('heading', { level: 2, name: prefilledName }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Code tiers' }).inputValue()).toBe('F-NEW-01');

    // the same one again is refused in French
    await page.getByRole('button', { name: 'Retour au registre' }).click();
    await page.getByRole('button', { name: 'Ajouter un fournisseur' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Numéro SIRET ou SIREN' }).fill(siret);
    await page.getByRole('dialog').getByRole('textbox', { name: 'Raison sociale' }).fill('Doublon');
    await page.getByRole('dialog').getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').textContent()).toContain('déjà dans le registre');
    expect(appPage.problems).toEqual([]);
  });

  it('lists the calls in the journal, filters the errors and exports them', async () => {
    const { page } = appPage;
    await goToScreen(page, 'Journal des appels');
    const table = page.getByRole('table', { name: /Appels à API Entreprise/ });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(plainSpaces(await page.getByRole('navigation', { name: 'Pages du journal' }).textContent())).toContain('Page 1 sur 1');

    await page.getByRole('combobox', { name: 'Résultat' }).selectOption({ label: 'En erreur' });
    await expect.poll(async () => (await rows.allTextContents()).every((text) => !text.includes('Réussi'))).toBe(true);
    await expect.poll(async () => (await rows.allTextContents()).some((text) => text.includes('Non trouvé'))).toBe(true);

    await page.getByRole('combobox', { name: 'Point d’accès' }).selectOption({ label: 'Attestation de vigilance (URSSAF)' });
    await page.getByText('Aucun appel', { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Point d’accès' }).selectOption({ label: 'Tous' });
    await page.getByRole('combobox', { name: 'Résultat' }).selectOption({ label: 'Tous' });
    await expect.poll(async () => (await rows.allTextContents()).some((text) => text.includes('Réussi'))).toBe(true);

    const report = await axeScan(page);
    expect(report.serious).toEqual([]);
    await screenshot(page, '33-journal');

    const target = app.temp.file('journal.csv');
    dialogs.exportAnswers.splice(0, dialogs.exportAnswers.length, target);
    await page.getByRole('button', { name: 'Exporter en CSV' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^\d+ appels exportés dans journal\.csv$/);
    expect(existsSync(target)).toBe(true);
    expect((await readFile(target, 'utf8')).startsWith('\ufeffDate;Point d’accès')).toBe(true);
    expect(appPage.problems).toEqual([]);
  });

  // last: the refresh replaces the seeded attestations the tests above read
  it('refreshes the supplier on demand and shows when its data date from', async () => {
    const { page } = appPage;
    await openSeededSupplier();
    await page.getByRole('button', { name: 'Actualiser maintenant' }).click();
    await expect.poll(() => page.getByText(/^Actualisation terminée/).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByText(/^données au \d{2}\/\d{2}\/\d{4}$/i).count()).toBeGreaterThan(0);
  });
});
