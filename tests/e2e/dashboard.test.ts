// The dashboard against the real core: compliance counts from the URSSAF attestations in the
// database, in words; the register's size; the token widget; the refresh facts; and the token
// banners shown on every screen (the expiry reminder until acknowledged, for good; the alert
// while the token is unusable).
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { tileCounts } from '../harness/dashboard-tiles';
import { appInBrowserPerTest } from '../harness/browser-session';
import { focusedText, goToScreen, mainNavigation, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';
import { seedComplianceStates } from '../harness/seed';

const ACCOUNT_PAGE = 'https://entreprise.api.gouv.fr/compte';

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string }).jti;
}

describe('Tableau de bord', () => {
  const session = appInBrowserPerTest();

  it('shows every compliance state in words with its count, the suppliers, the token, and the refresh facts', async () => {
    const app = await session.start();
    const seed = seedComplianceStates(app.harness.core);
    await app.storeToken(app.mintToken());
    const view = await session.openWindow(app.harness);
    const { page } = view;

    expect(await tileCounts(page)).toEqual(seed.counts);
    const compliance = page.getByRole('region', { name: 'Conformité des fournisseurs actifs' });
    expect(plainSpaces(await compliance.textContent())).toContain('de chacun des 9 fournisseurs actifs');

    const suppliers = plainSpaces(await page.getByRole('region', { name: 'Fournisseurs', exact: true }).innerText());
    expect(suppliers).toContain('9 actifs');
    expect(suppliers).toContain('sur 10 fournisseurs au registre (1 inactif)');

    const token = page.getByRole('region', { name: 'Jeton API Entreprise', exact: true });
    const tokenText = plainSpaces(await token.innerText());
    expect(tokenText).toContain('Valide');
    expect(tokenText).toMatch(/Expire le \d{2}\/\d{2}\/\d{4} · 54[78] jours restants/);
    const bar = token.getByRole('progressbar', { name: 'Durée de validité écoulée' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');

    const refresh = plainSpaces(await page.getByRole('region', { name: 'Mises à jour du registre' }).innerText());
    expect(refresh).toContain('Aucune mise à jour effectuée pour l’instant');
    expect(refresh).toContain('Pas de mise à jour programmée');
    const changes = page.getByRole('region', { name: 'Changements depuis la dernière mise à jour' });
    expect(plainSpaces(await changes.textContent())).toContain('Aucun changement à signaler');

    // a valid token far from expiry: no banner at all
    expect(await page.locator('.banners').textContent()).toBe('');
    expect(await page.title()).toBe('Tableau de bord — Vigie');

    await token.getByRole('button', { name: 'Voir le jeton' }).click();
    expect(await mainNavigation(page).getByRole('button', { name: 'Jeton' }).getAttribute('aria-current')).toBe('page');
    expect(view.problems).toEqual([]);
  });

  it('counts the suppliers without a known attestation as « Non habilité » when the token may not ask URSSAF', async () => {
    const app = await session.start();
    seedComplianceStates(app.harness.core);
    const urssaf = ENDPOINTS['urssaf.attestation_vigilance'].scope;
    await app.storeToken(app.mintToken({ scopes: CATALOGUE_SCOPES.filter((scope) => scope !== urssaf) }));
    const { page } = await session.openWindow(app.harness);
    expect(await tileCounts(page)).toMatchObject({ a_jour: 3, inconnue: 0, non_habilite: 2 });
  });

  it('shows the reminder of a token expiring in 20 days on every screen until « J’ai compris », and not after a reload', async () => {
    const app = await session.start();
    seedComplianceStates(app.harness.core);
    await app.storeToken(app.mintToken({ issuedDaysAgo: 520, expiresInDays: 20 }));
    const { page } = await session.openWindow(app.harness);

    const reminder = page.getByRole('region', { name: 'Le jeton API Entreprise expire dans 20 jours' });
    await reminder.waitFor();
    expect(plainSpaces(await reminder.textContent())).toMatch(/Il expire le \d{2}\/\d{2}\/\d{4}\. Demandez un nouveau jeton/);
    const token = plainSpaces(await page.getByRole('region', { name: 'Jeton API Entreprise', exact: true }).innerText());
    expect(token).toContain('Expire bientôt');
    expect(token).toContain('20 jours restants');

    await reminder.getByRole('button', { name: 'Ouvrir l’espace API Entreprise' }).click();
    await reminder.getByText('L’espace API Entreprise s’ouvre dans votre navigateur.').waitFor();
    expect(app.opened).toEqual([ACCOUNT_PAGE]);

    for (const screen of ['Registre', 'Jeton', 'Paramètres']) {
      await goToScreen(page, screen);
      expect(await reminder.count(), screen).toBe(1);
    }
    await screenshot(page, '12-rappel-expiration');

    await reminder.getByRole('button', { name: 'J’ai compris' }).click();
    await reminder.waitFor({ state: 'detached' });
    // the button that had focus went with the banner: focus is on the screen's title
    expect(await focusedText(page)).toBe('Paramètres');
    await goToScreen(page, 'Tableau de bord');
    await page.getByRole('list', { name: 'Conformité des fournisseurs actifs' }).waitFor();
    expect(await reminder.count()).toBe(0);

    // a new window (fresh page, fresh context): still acknowledged
    const { page: again } = await session.openWindow(app.harness);
    await again.getByRole('list', { name: 'Conformité des fournisseurs actifs' }).waitFor();
    expect(await again.getByRole('region', { name: /expire dans/ }).count()).toBe(0);
    expect(app.harness.core.vault.dueReminder()).toBeNull();
  });

  it('keeps an alert above every screen while the token is revoked, leading to the Jeton screen', async () => {
    const app = await session.start();
    const token = app.mintToken();
    await app.storeToken(token);
    app.api.blacklist(jtiOf(token));
    // the daily check meets the 401 and the vault remembers it
    await app.harness.core.vault.recheck();
    const { page } = await session.openWindow(app.harness);

    const alert = page.getByRole('region', { name: 'Le jeton API Entreprise a été révoqué' });
    await alert.waitFor();
    expect(plainSpaces(await alert.textContent())).toContain('révoqué par API Entreprise car il a probablement été divulgué');
    expect(plainSpaces(await page.getByRole('region', { name: 'Jeton API Entreprise', exact: true }).innerText())).toContain(
      'Révoqué',
    );
    await screenshot(page, '13-jeton-revoque');

    await goToScreen(page, 'Registre');
    expect(await alert.count()).toBe(1);
    await alert.getByRole('button', { name: 'Ouvrir l’écran Jeton' }).click();
    expect(await mainNavigation(page).getByRole('button', { name: 'Jeton' }).getAttribute('aria-current')).toBe('page');
    // the Jeton screen shows the same state with the means to fix it: no duplicate alert there
    await page.getByRole('region', { name: 'État du jeton' }).getByText('Révoqué', { exact: true }).waitFor();
    expect(await alert.count()).toBe(0);
  });
});
