// A large commune's register: 100,000 suppliers. The table must stay a few dozen DOM rows,
// fetch only the pages in view, and reach the last supplier by keyboard.
import { beforeEach, describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, plainSpaces } from '../harness/fixtures';
import { startRendererHarness } from '../harness/renderer-harness';
import { numberedSuppliers, seedSuppliers } from '../harness/seed';

const SUPPLIERS = 100_000;

describe('register: 100,000 suppliers', () => {
  const session = appInBrowserPerTest();
  let app: AppPage;
  const searches: { offset: number; limit: number }[] = [];

  beforeEach(async () => {
    const temp = await makeTempDir();
    session.closeAfterTest(() => temp.remove());
    const harness = await startRendererHarness({ databasePath: temp.file('vigie.sqlite3'), dialogs: fakeDialogs() });
    session.closeAfterTest(() => harness.close());
    seedSuppliers(harness.core, numberedSuppliers(SUPPLIERS));
    app = await session.openWindow(harness, { screen: 'Registre' });
    searches.length = 0;
    app.page.on('request', (request) => {
      const body = request.postData();
      if (!request.url().endsWith('/__vigie/invoke') || body === null) return;
      const message = JSON.parse(body) as { channel: string; payload: { offset?: number; limit?: number } };
      if (message.channel === 'register.search') {
        searches.push({ offset: message.payload.offset ?? 0, limit: message.payload.limit ?? 0 });
      }
    });
  }, 60_000);

  it('renders only the rows in view, pages of 100 at a time, and reaches the last row with End', async () => {
    const { page } = app;
    const count = page.getByText(/^[\d\s\u202f]+ fournisseurs?( sur [\d\s\u202f]+)?$/);
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe('100 000 fournisseurs');
    const table = page.getByRole('table', { name: 'Fournisseurs' });
    expect(await table.getAttribute('aria-rowcount')).toBe(String(SUPPLIERS + 1));
    const bodyRows = table.getByRole('rowgroup').nth(1).getByRole('row');
    await expect.poll(() => bodyRows.first().getByRole('cell').first().textContent()).toBe('Fournisseur 000001');
    expect(await bodyRows.count()).toBeLessThan(60);
    expect(searches.every((search) => search.limit === 100)).toBe(true);
    await screenshot(page, '27-cent-mille');

    // keyboard: the list takes focus and End goes to the very last supplier
    const list = page.getByRole('region', { name: 'Liste des fournisseurs' });
    await list.focus();
    await page.keyboard.press('End');
    const lastRow = table.getByRole('row').filter({ hasText: 'Fournisseur 100000' });
    await lastRow.waitFor();
    expect(await lastRow.getAttribute('aria-rowindex')).toBe(String(SUPPLIERS + 1));
    expect(await bodyRows.count()).toBeLessThan(60);
    // only the pages near the two ends were asked for, not the 998 in between
    const pagesAsked = new Set(searches.map((search) => search.offset / 100));
    expect(pagesAsked.size).toBeLessThan(10);
    expect(pagesAsked.has(999)).toBe(true);
    await screenshot(page, '28-derniere-ligne');

    // sorting by name, descending, starts again at the top with the last name first
    await page.getByRole('button', { name: /^Raison sociale/ }).click();
    await expect.poll(() => bodyRows.first().getByRole('cell').first().textContent()).toBe('Fournisseur 100000');
    expect(await page.getByRole('columnheader', { name: /^Raison sociale/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await bodyRows.first().getAttribute('aria-rowindex')).toBe('2');

    // filters narrow the count
    await page.getByLabel('Activité').selectOption({ label: 'Inactifs' });
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe('14 285 fournisseurs sur 100 000');
    await page.getByLabel('Étiquette').selectOption({ label: 'travaux' });
    // multiples of 10 that are multiples of 7: multiples of 70
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe('1 428 fournisseurs sur 100 000');
    expect(app.problems).toEqual([]);
  });
});
