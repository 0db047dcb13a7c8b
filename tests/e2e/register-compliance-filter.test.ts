// The register filtered by the state of the obligation de vigilance: the agent finds at once the
// suppliers whose URSSAF attestation is refused or about to expire.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppWithFakeApi, type AppWithFakeApi } from '../harness/app-with-fake-api';
import { launchChromium, openApp, type AppPage } from '../harness/chromium';
import { cleanUp } from '../harness/fixtures';
import { seedComplianceStates } from '../harness/seed';

describe('register filtered by compliance state', () => {
  let browser: Browser;
  let app: AppWithFakeApi | undefined;
  let view: AppPage | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await cleanUp(() => view?.context.close() ?? Promise.resolve(), () => app?.close());
  });

  it('lists only the suppliers in the chosen state', async () => {
    app = await startAppWithFakeApi();
    seedComplianceStates(app.harness.core);
    await app.storeToken(app.mintToken());
    view = await openApp(browser, app.harness, { screen: 'Registre' });
    const { page } = view;
    const table = page.getByRole('table', { name: 'Fournisseurs' });
    await table.getByRole('button', { name: 'Bâtiments Réunis', exact: true }).waitFor();
    const filter = page.getByLabel('Vigilance URSSAF');
    await filter.selectOption({ label: 'Refus de délivrance' });
    // the active refused supplier and the inactive one
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(await table.textContent()).toContain('Bâtiments Réunis');
    expect(await table.textContent()).toContain('Ancien Prestataire');
    await filter.selectOption({ label: 'Expirée' });
    await expect.poll(async () => (await table.textContent())?.includes('Imprimerie Savoyarde')).toBe(true);
    expect(await table.textContent()).not.toContain('Bâtiments Réunis');
  });
});
