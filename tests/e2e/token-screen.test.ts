// The Jeton screen against the real core and the local fake API Entreprise: what a pasted text
// becomes (refused in French, stored after /privileges confirmed it, consent first when the
// protection is weak), removal behind a confirmation, and the token never shown back: not in
// the DOM, not in any field.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppWithFakeApi, AppWithFakeApiOptions } from '../harness/app-with-fake-api';
import { appInBrowserPerTest } from '../harness/browser-session';
import { focusedText, goToScreen, isFocused, mainNavigation, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';
import { leakForms, mintTestToken } from '../support/test-tokens';

const ACCOUNT_PAGE = 'https://entreprise.api.gouv.fr/compte';

/** Neither the token nor any part of it anywhere in the page's markup, nor in any field's value. */
async function expectNowhereInPage(page: Page, token: string): Promise<void> {
  const html = await page.content();
  const values = await Promise.all((await page.locator('input, textarea').all()).map((field) => field.inputValue()));
  const text = await page.locator('body').innerText();
  for (const form of leakForms(token)) {
    expect(html, 'page markup').not.toContain(form);
    expect(text, 'page text').not.toContain(form);
    for (const value of values) expect(value, 'field value').not.toContain(form);
  }
}

describe('Jeton screen', () => {
  const session = appInBrowserPerTest();

  /** The app on the Jeton screen; `prepare` runs on the core before the page opens. */
  async function start(options: AppWithFakeApiOptions = {}, prepare?: (started: AppWithFakeApi) => Promise<void>) {
    const app = await session.start(options);
    await prepare?.(app);
    const view = await session.openWindow(app.harness, { screen: 'Jeton' });
    const { page } = view;
    return {
      app,
      view,
      page,
      field: page.getByRole('textbox', { name: 'Jeton API Entreprise', exact: true }),
      stateCard: page.getByRole('region', { name: 'État du jeton' }),
    };
  }

  it('refuses a pasted text that is not a token with the French message, and stores nothing', async () => {
    const { app, view, page, field, stateCard } = await start();
    await stateCard.getByText('Absent', { exact: true }).waitFor();
    await field.fill('ceci-n-est-pas-un-jeton');
    await page.getByRole('button', { name: 'Enregistrer le jeton' }).click();

    const alert = page.getByRole('alert');
    await expect
      .poll(async () => plainSpaces(await alert.textContent()))
      .toContain('Ce texte n’est pas un jeton API Entreprise : un jeton est formé de trois parties séparées par des points.');
    expect(await field.inputValue()).toBe('');
    expect(app.harness.core.vault.summary().state).toBe('absent');
    expect(app.api.stats.apiCalls).toBe(0);
    expect(await stateCard.getByText('Absent', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Supprimer le jeton' }).count()).toBe(0);
    await screenshot(page, '08-jeton-refuse');
    expect(view.problems).toEqual([]);
  });

  it('stores a valid token: « Valide », lifetime bar, privileges — and the token is nowhere in the page', async () => {
    const { app, view, page, field, stateCard } = await start();
    const token = app.mintToken();
    await field.fill(token);
    await page.getByRole('button', { name: 'Enregistrer le jeton' }).click();

    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('Le jeton a été vérifié auprès d’API Entreprise et enregistré.');
    await stateCard.getByText('Valide', { exact: true }).waitFor();
    expect(await field.inputValue()).toBe('');
    expect(app.harness.core.vault.summary()).toMatchObject({ state: 'valide', protection: 'os' });

    const bar = stateCard.getByRole('progressbar', { name: 'Durée de validité écoulée' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(await bar.getAttribute('aria-valuemax')).toBe('100');
    expect(plainSpaces(await bar.getAttribute('aria-valuetext'))).toMatch(
      /^0 % de la durée de validité écoulée, \d+ jours restants$/,
    );

    const facts = plainSpaces(await stateCard.locator('dl').innerText());
    expect(facts).toContain('Vigie – développement local (fausse API)');
    expect(facts).toMatch(/Expire le\s+\d{2}\/\d{2}\/\d{4}/);
    expect(facts).toMatch(/Délivré le\s+\d{2}\/\d{2}\/\d{4}/);
    expect(facts).toContain('chiffré par le coffre-fort du système');
    expect(facts).toContain(app.harness.core.vault.summary().shortId ?? 'missing');

    const privileges = page.getByRole('list', { name: 'Habilitations' }).getByRole('listitem');
    expect(await privileges.count()).toBe(app.harness.core.vault.summary().endpoints.length);
    expect(plainSpaces(await privileges.filter({ hasText: 'Attestation de vigilance (URSSAF)' }).textContent())).toContain(
      'habilité',
    );

    // the form now replaces the token
    await page.getByRole('button', { name: 'Remplacer le jeton' }).waitFor();
    await screenshot(page, '09-jeton-valide');
    await expectNowhereInPage(page, token);
    expect(view.problems).toEqual([]);
  });

  it('keeps the stored token when API Entreprise refuses the new one, and says so', async () => {
    let stored = '';
    const { app, page, field, stateCard } = await start({}, async (started) => {
      stored = started.mintToken();
      await started.storeToken(stored);
    });
    const before = app.harness.core.vault.summary().shortId;
    // well formed, but not signed by this API: /privileges answers 401
    const foreign = mintTestToken({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 86_400 * 300 });
    await field.fill(foreign);
    await page.getByRole('button', { name: 'Remplacer le jeton' }).click();

    const alert = page.getByRole('alert');
    await expect.poll(async () => plainSpaces(await alert.textContent())).toContain('API Entreprise refuse ce jeton.');
    expect(plainSpaces(await alert.textContent())).toContain('Le jeton déjà enregistré reste en place.');
    expect(await field.inputValue()).toBe('');
    expect(app.harness.core.vault.summary()).toMatchObject({ state: 'valide', shortId: before });
    await stateCard.getByText('Valide', { exact: true }).waitFor();
    await expectNowhereInPage(page, foreign);
    await expectNowhereInPage(page, stored);
  });

  it('asks for confirmation before removing the token, then shows « Absent »', async () => {
    const { app, view, page, stateCard } = await start({}, async (started) => started.storeToken(started.mintToken()));
    const remove = page.getByRole('button', { name: 'Supprimer le jeton' });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: /^Supprimer le jeton\s\?$/ });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');

    // Escape cancels: nothing removed, focus back on the button
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(page, remove)).toBe(true);
    expect(app.harness.core.vault.summary().state).toBe('valide');

    await remove.click();
    await dialog.getByRole('button', { name: 'Supprimer le jeton' }).click();
    await dialog.waitFor({ state: 'detached' });
    await stateCard.getByText('Absent', { exact: true }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Le jeton a été supprimé de ce poste.');
    expect(app.harness.core.vault.summary().state).toBe('absent');
    // the button that had focus is gone: focus is on the state it changed
    await expect.poll(() => focusedText(page)).toBe('État du jeton');
    await page.getByRole('button', { name: 'Enregistrer le jeton' }).waitFor();
    await screenshot(page, '10-jeton-supprime');

    // elsewhere, an alert says there is no token and leads back here
    await goToScreen(page, 'Tableau de bord');
    const alert = page.getByRole('region', { name: 'Jeton API Entreprise à enregistrer' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Ouvrir l’écran Jeton' }).click();
    expect(await mainNavigation(page).getByRole('button', { name: 'Jeton' }).getAttribute('aria-current')).toBe('page');
    expect(view.problems).toEqual([]);
  });

  it('asks the user to accept a weaker protection when no system keychain exists, then stores the token', async () => {
    const { app, view, page, field, stateCard } = await start({ protection: 'weak' });
    const token = app.mintToken();
    await field.fill(token);
    await page.getByRole('button', { name: 'Enregistrer le jeton' }).click();

    const consent = page.getByRole('group', { name: 'Protection du jeton sur ce poste' });
    await consent.waitFor();
    expect(plainSpaces(await consent.textContent())).toContain('Cet ordinateur ne fournit pas de coffre-fort système');
    expect(await field.inputValue()).toBe('');
    expect(app.harness.core.vault.summary().state).toBe('absent');
    const checkbox = consent.getByLabel('J’accepte ce niveau de protection');
    // focus went to the choice to make
    expect(await isFocused(page, checkbox)).toBe(true);
    await screenshot(page, '11-jeton-consentement');

    // not without the box ticked
    const confirm = consent.getByRole('button', { name: 'Enregistrer avec cette protection' });
    expect(await confirm.getAttribute('aria-disabled')).toBe('true');
    // forced: Playwright itself will not click what says it is disabled; the page must ignore it too
    await confirm.click({ force: true });
    expect(app.harness.core.vault.summary().state).toBe('absent');

    await checkbox.check();
    expect(await confirm.getAttribute('aria-disabled')).toBe('false');
    await confirm.click();
    await consent.waitFor({ state: 'detached' });
    await stateCard.getByText('Valide', { exact: true }).waitFor();
    expect(plainSpaces(await stateCard.textContent())).toContain(
      'chiffré avec une clé conservée sur ce poste (protection réduite)',
    );
    expect(app.harness.core.vault.summary()).toMatchObject({ state: 'valide', protection: 'weak' });
    await expectNowhereInPage(page, token);
    expect(view.problems).toEqual([]);
  });

  it('lists the reminder thresholds and opens the API Entreprise account page', async () => {
    const { app, view, page } = await start({}, async (started) =>
      started.storeToken(started.mintToken({ issuedDaysAgo: 450, expiresInDays: 60 })),
    );
    const renewal = page.getByRole('region', { name: 'Rappels et renouvellement' });
    const thresholds = renewal.getByRole('list').first().getByRole('listitem');
    expect(
      (await thresholds.allTextContents()).map((text) =>
        plainSpaces(text)
          .replace(/\d{2}\/\d{2}\/\d{4}.*$/, '')
          .trim(),
      ),
    ).toEqual([
      '90 jours avant',
      '60 jours avant',
      '30 jours avant',
      '15 jours avant',
      '7 jours avant',
      '1 jour avant',
      'Le jour de l’expiration',
    ]);
    // 60 days left: the 90 and 60-day reminders are due
    expect(await thresholds.filter({ hasText: 'échéance atteinte' }).count()).toBe(2);

    await renewal.getByRole('button', { name: 'Ouvrir l’espace API Entreprise' }).click();
    await expect.poll(() => renewal.getByText('L’espace API Entreprise s’ouvre dans votre navigateur.').count()).toBe(1);
    expect(app.opened).toEqual([ACCOUNT_PAGE]);
    expect(view.problems).toEqual([]);
  });
});
