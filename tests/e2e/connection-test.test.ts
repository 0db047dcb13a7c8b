// « Tester la connexion » in Paramètres against the fake API: a live « Test en cours… » while the
// core works, then every step listed in French with its result in words; with a stored token the
// API step says the token is recognised. axe finds nothing serious.
import { describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';
import { INVOKE_PATH } from '../harness/renderer-harness';

describe('Tester la connexion', () => {
  const session = appInBrowserPerTest();

  it('shows the test running, then each step in words, against the fake API', async () => {
    const { app, page } = await session.open({ screen: 'Paramètres' });
    // hold the connection test's answer back until the running state has been seen
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**${INVOKE_PATH}`, async (route) => {
      if (route.request().postData()?.includes('"connection.test"')) await held;
      await route.continue();
    });
    const section = page.getByRole('region', { name: 'Connexion à API Entreprise' });
    await section.getByRole('button', { name: 'Tester la connexion' }).click();
    await expect.poll(() => section.getByText('Test en cours…').count()).toBe(1);
    release();

    const steps = section.getByRole('list', { name: 'Étapes du test de connexion' }).getByRole('listitem');
    await expect.poll(() => steps.count()).toBe(4);
    const texts = (await steps.allTextContents()).map(plainSpaces);
    expect(texts[0]).toMatch(/^✓ Proxy du poste : réussi/);
    expect(texts[0]).toContain('Aucun proxy');
    expect(texts[1]).toMatch(/^– Adresse du service \(DNS\) : non testé/);
    expect(texts[1]).toContain('127.0.0.1 est déjà une adresse numérique');
    expect(texts[2]).toMatch(/^– Connexion sécurisée \(certificat\) : non testé/);
    expect(texts[3]).toMatch(/^✓ Réponse d’API Entreprise : réussi/);
    expect(texts[3]).toContain('Aucun jeton n’est encore enregistré');
    expect(plainSpaces(await section.getByText(/^Connexion réussie/).textContent())).toBe(
      'Connexion réussie : API Entreprise est joignable depuis ce poste.',
    );
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, '11-tester-la-connexion');

    // with a token: the API step checks it, and the token is nowhere on the page
    const token = app.mintToken();
    await app.storeToken(token);
    await section.getByRole('button', { name: 'Tester la connexion' }).click();
    await expect.poll(async () => plainSpaces(await steps.nth(3).textContent())).toMatch(/reconnaît le jeton de la commune \(\d+ droits\)/);
    expect(await page.content()).not.toContain(token);
  });

  it('says in words which step failed when the API is not there', async () => {
    const app = await session.start();
    await app.api.close();
    const view = await session.openWindow(app.harness, { screen: 'Paramètres' });
    const section = view.page.getByRole('region', { name: 'Connexion à API Entreprise' });
    await section.getByRole('button', { name: 'Tester la connexion' }).click();
    const last = section.getByRole('listitem').nth(3);
    await expect.poll(async () => plainSpaces(await last.textContent())).toMatch(/^✗ Réponse d’API Entreprise : échec/);
    expect(plainSpaces(await last.textContent())).toContain('API Entreprise ne répond pas');
    expect(await section.getByText(/^La connexion à API Entreprise ne fonctionne pas/).count()).toBe(1);
  });
});
