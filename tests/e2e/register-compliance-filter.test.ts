// The register filtered by the state of the obligation de vigilance: the agent finds at once the
// suppliers whose URSSAF attestation is refused or about to expire.
import { describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { seedComplianceStates } from '../harness/seed';

describe('register filtered by compliance state', () => {
  const session = appInBrowserPerTest();

  it('lists only the suppliers in the chosen state', async () => {
    const app = await session.start();
    seedComplianceStates(app.harness.core);
    await app.storeToken(app.mintToken());
    const { page } = await session.openWindow(app.harness, { screen: 'Registre' });
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
