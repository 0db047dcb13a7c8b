// The Paramètres screen against the real core: the commune's SIRET is checked as it is typed
// (same rules as the main process), an invalid one is never saved, the object's length is
// counted live, the API environment is a radio group, and the core's own refusals are shown
// as they are.
import { describe, expect, it } from 'vitest';
import { formatIdentifier } from '../../src-main/common/identifiers';
import { COMMUNE_SIRET } from '../harness/app-with-fake-api';
import { appInBrowserPerTest } from '../harness/browser-session';
import { describedByText, isFocused, screenshot } from '../harness/chromium';
import { plainSpaces, siretWithBadChecksum, validIdentifiers } from '../harness/fixtures';

describe('Paramètres screen', () => {
  const session = appInBrowserPerTest();

  it('shows an invalid SIRET’s error inline as it is typed, and does not save it', async () => {
    const { app, view, page } = await session.open({ screen: 'Paramètres' });
    const siret = page.getByLabel('SIRET de la commune');
    await expect.poll(() => siret.inputValue()).toBe(formatIdentifier(COMMUNE_SIRET));
    expect(await siret.getAttribute('aria-invalid')).toBe('false');

    // still typing a SIRET: a count, not an error, until the field is left
    await siret.fill('');
    await siret.pressSequentially('130 025', { delay: 10 });
    await expect.poll(async () => describedByText(page, siret)).toContain('6 chiffres saisis sur 14.');
    expect(await siret.getAttribute('aria-invalid')).toBe('false');
    await page.keyboard.press('Tab');
    await expect.poll(() => siret.getAttribute('aria-invalid')).toBe('true');
    expect(await describedByText(page, siret)).toContain('Un SIRET compte 14 chiffres.');

    // letters: said at once
    await siret.fill('13002A');
    await expect.poll(async () => describedByText(page, siret)).toContain('Le numéro ne doit contenir que des chiffres.');

    // a typo in the check digit: said at once, in French, tied to the field
    await siret.fill(siretWithBadChecksum(3));
    await expect
      .poll(async () => describedByText(page, siret))
      .toContain('Ce SIRET n’existe pas : sa clé de contrôle est fausse (vérifiez une faute de frappe).');
    expect(await siret.getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect
      .poll(async () => plainSpaces(await page.getByRole('form', { name: 'Paramètres de Vigie' }).getByRole('alert').textContent()))
      .toContain('Les paramètres n’ont pas été enregistrés : corrigez le champ signalé.');
    expect(await isFocused(page, siret)).toBe(true);
    expect(app.harness.core.settings.get().communeSiret).toBe(COMMUNE_SIRET);
    await screenshot(page, '14-parametres-siret-invalide');
    expect(view.problems).toEqual([]);
  });

  it('saves a valid SIRET, the object and the environment, and shows the core’s refusal as it is', async () => {
    const { app, view, page } = await session.open({ screen: 'Paramètres' });
    const siret = page.getByLabel('SIRET de la commune');
    await siret.waitFor();
    const newSiret = validIdentifiers(42).siret;
    await siret.fill(formatIdentifier(newSiret));
    expect(await siret.getAttribute('aria-invalid')).toBe('false');

    // the object is counted as it is typed, and refused from 50 characters
    const object = page.getByLabel('Objet des demandes');
    await object.fill('Contrôle annuel des attestations de vigilance des fournisseurs');
    expect(await describedByText(page, object)).toContain('62 / 49 caractères');
    expect(await describedByText(page, object)).toContain('L’objet doit faire moins de 50 caractères : retirez-en 13.');
    expect(await object.getAttribute('aria-invalid')).toBe('true');
    await object.fill('Contrôle annuel des fournisseurs');
    expect(await describedByText(page, object)).toContain('32 / 49 caractères');
    expect(await object.getAttribute('aria-invalid')).toBe('false');

    // the local API's address is asked for only when that environment is chosen
    const environment = page.getByRole('group', { name: 'Environnement API Entreprise' });
    const local = environment.getByRole('radio', { name: 'API locale de démonstration' });
    const address = page.getByLabel('Adresse de l’API locale');
    expect(await local.isChecked()).toBe(true);
    await address.waitFor();
    await environment.getByRole('radio', { name: 'Production' }).check();
    await address.waitFor({ state: 'detached' });
    await local.check();

    // an address the core does not allow: its French message, nothing saved
    await address.fill('http://exemple.fr:8750');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect
      .poll(async () => plainSpaces(await page.getByRole('form', { name: 'Paramètres de Vigie' }).getByRole('alert').textContent()))
      .toContain('L’adresse de l’API locale doit être une adresse http://127.0.0.1:port.');
    expect(app.harness.core.settings.get().communeSiret).toBe(COMMUNE_SIRET);

    await address.fill(app.api.url);
    await page.getByLabel('Afficher les notifications de Vigie sur ce poste').uncheck();
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Paramètres de Vigie' }).getByRole('status').textContent()).toBe('Paramètres enregistrés.');
    expect(await page.getByRole('form', { name: 'Paramètres de Vigie' }).getByRole('alert').textContent()).toBe('');
    expect(app.harness.core.settings.get()).toEqual({
      communeSiret: newSiret,
      defaultContext: 'Gestion d’un référentiel tiers',
      defaultObject: 'Contrôle annuel des fournisseurs',
      apiEnvironment: 'local',
      localApiUrl: app.api.url,
      notifications: false,
      // untouched by this form: « Démarrage et fermeture » saves them itself
      keepRunningInTray: true,
      openAtLogin: false,
    });
    await screenshot(page, '15-parametres-enregistres');

    // read back in a new window
    const { page: again } = await session.openWindow(app.harness, { screen: 'Paramètres' });
    await expect.poll(() => again.getByLabel('SIRET de la commune').inputValue()).toBe(formatIdentifier(newSiret));
    expect(await again.getByLabel('Objet des demandes').inputValue()).toBe('Contrôle annuel des fournisseurs');
    expect(await again.getByLabel('Afficher les notifications de Vigie sur ce poste').isChecked()).toBe(false);
    expect(view.problems).toEqual([]);
  });
});
