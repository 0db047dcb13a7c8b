// Supplier data comes from files and, later, from an API: it must be shown as text, never
// interpreted as HTML, whatever it contains.
import { beforeEach, describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, validIdentifiers } from '../harness/fixtures';
import { startRendererHarness } from '../harness/renderer-harness';
import { seedSuppliers } from '../harness/seed';

const IMG_PAYLOAD = '<img src=x onerror=alert(1)>';
const SCRIPT_PAYLOAD = '<script>alert(2)</script> & Fils';

describe('register: supplier names are text', () => {
  const session = appInBrowserPerTest();
  let app: AppPage;

  beforeEach(async () => {
    const temp = await makeTempDir();
    session.closeAfterTest(() => temp.remove());
    const harness = await startRendererHarness({ databasePath: temp.file('vigie.sqlite3'), dialogs: fakeDialogs() });
    session.closeAfterTest(() => harness.close());
    seedSuppliers(harness.core, [
      { ...validIdentifiers(1), name: IMG_PAYLOAD, city: '<b>Annecy</b>', tags: ['<i>urgent</i>'] },
      { ...validIdentifiers(2), name: SCRIPT_PAYLOAD, accountingCode: '<u>F2</u>' },
      { ...validIdentifiers(3), name: '' },
    ]);
    app = await session.openWindow(harness, { screen: 'Registre' });
  });

  it('shows « <img src=x onerror=alert(1)> » literally and creates no element from it', async () => {
    const { page } = app;
    const table = page.getByRole('table', { name: 'Fournisseurs' });
    const imgRow = table.getByRole('row').filter({ hasText: IMG_PAYLOAD });
    await imgRow.waitFor();
    expect(await imgRow.getByRole('cell').first().textContent()).toBe(IMG_PAYLOAD);
    expect(await imgRow.getByRole('cell').nth(3).textContent()).toBe('<b>Annecy</b>');
    expect(await imgRow.getByRole('cell').nth(4).textContent()).toBe('<i>urgent</i>');
    const scriptRow = table.getByRole('row').filter({ hasText: SCRIPT_PAYLOAD });
    expect(await scriptRow.getByRole('cell').first().textContent()).toBe(SCRIPT_PAYLOAD);

    // an unnamed supplier gets a prompt instead of an empty cell
    await table.getByRole('row').filter({ hasText: '(raison sociale à compléter)' }).waitFor();

    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('b, i, u').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(0);

    // the search echoes what was typed as text too
    await page.getByLabel('Rechercher un fournisseur').fill('<img src=y onerror=alert(3)> zzz');
    await page.getByText(/Aucun fournisseur ne correspond à/).waitFor();
    expect(await page.getByText(/Aucun fournisseur ne correspond à/).textContent()).toContain('<img src=y onerror=alert(3)> zzz');
    expect(await page.locator('img').count()).toBe(0);
    await screenshot(page, '26-texte-brut');

    expect(app.dialogs).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});
