// Paramètres › « Sur cette page »: one entry per section, in the order of the page; each brings
// its section into view and moves the keyboard focus to its heading (the next Tab reaches the
// section's first control), without touching the address or the history. The page reflows at
// 200 % zoom without a horizontal scroll, and axe finds nothing serious.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { isFocused, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';

/** The order a town hall needs them in: the commune first, the versions last. */
const SECTION_TITLES = [
  'Réglages de la commune',
  'Mise à jour de nuit',
  'Démarrage et fermeture',
  'Connexion à API Entreprise',
  'Sauvegardes',
  'Changer de poste',
  'Dossier des données',
  'Démonstration',
  'À propos de Vigie',
];

/** The screen's scrolling <main>: its visible band, and how wide its content is against it. */
function mainBox(page: Page): Promise<{ top: number; bottom: number; scrollWidth: number; clientWidth: number }> {
  return page.evaluate<{ top: number; bottom: number; scrollWidth: number; clientWidth: number }, undefined>(
    '(() => { const m = document.querySelector("main"); const r = m.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, scrollWidth: m.scrollWidth, clientWidth: m.clientWidth }; })()',
    undefined,
  );
}

/** The shadow of a heading's card: the outline drawn while the heading has the focus (compiled without the DOM library: a string). */
async function cardShadow(page: Page, heading: Locator): Promise<string> {
  const id = await heading.getAttribute('id');
  return page.evaluate<string, undefined>(
    `getComputedStyle(document.getElementById(${JSON.stringify(id)}).closest("section")).boxShadow`,
    undefined,
  );
}

async function isInView(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const main = await mainBox(page);
  return box !== null && box.y >= main.top - 1 && box.y + box.height <= main.bottom + 1;
}

describe('Paramètres: Sur cette page', () => {
  const session = appInBrowserPerTest();

  it('lists every section in the page’s order, and each entry moves the focus to its section’s heading', async () => {
    const { page } = await session.open({ screen: 'Paramètres' });
    const contents = page.getByRole('navigation', { name: 'Sur cette page' });
    const entries = contents.getByRole('button');
    await expect.poll(() => entries.count()).toBe(SECTION_TITLES.length);
    expect((await entries.allTextContents()).map(plainSpaces)).toEqual(SECTION_TITLES);

    // the sections themselves, in the same order: each a region named by its level-2 heading
    const headings = page.locator('main section.section > h2');
    expect((await headings.allTextContents()).map(plainSpaces)).toEqual(SECTION_TITLES);
    await page.getByRole('region', { name: 'Réglages de la commune' }).getByLabel('SIRET de la commune').waitFor();
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, 'parametres-sur-cette-page', { fullPage: true });

    const address = page.url();
    const historyLength = await page.evaluate<number, undefined>('history.length', undefined);
    // from the last to the first, so that every entry has to scroll
    for (const title of [...SECTION_TITLES].reverse()) {
      await contents.getByRole('button', { name: title, exact: true }).click();
      const heading = page.getByRole('region', { name: title, exact: true }).getByRole('heading', { level: 2, name: title, exact: true });
      await expect.poll(() => isFocused(page, heading), { message: title }).toBe(true);
      expect(await isInView(page, heading), title).toBe(true);
      // only the screen scrolls: the navigation bar and the banners stay in place
      expect(await page.evaluate<number, undefined>('document.scrollingElement.scrollTop', undefined), title).toBe(0);
      await screenshot(page, `parametres-aller-a-${SECTION_TITLES.indexOf(title) + 1}`);
    }
    expect(page.url()).toBe(address);
    expect(await page.evaluate<number, undefined>('history.length', undefined)).toBe(historyLength);
  });

  it('works with the keyboard alone: Enter on an entry, then Tab reaches the section’s first control', async () => {
    const { page } = await session.open({ screen: 'Paramètres' });
    const contents = page.getByRole('navigation', { name: 'Sur cette page' });
    const startup = page.getByRole('region', { name: 'Démarrage et fermeture' });
    await startup.getByRole('checkbox', { name: 'Rester actif pour la mise à jour de nuit' }).waitFor();

    await contents.getByRole('button', { name: 'Démarrage et fermeture' }).focus();
    await page.keyboard.press('Enter');
    const heading = startup.getByRole('heading', { level: 2, name: 'Démarrage et fermeture' });
    await expect.poll(() => isFocused(page, heading)).toBe(true);
    // arriving is seen, not only heard: the section's card is outlined while its heading has the focus
    expect(await cardShadow(page, heading)).toMatch(/px/);

    await page.keyboard.press('Tab');
    expect(await isFocused(page, startup.getByRole('checkbox', { name: 'Rester actif pour la mise à jour de nuit' }))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await cardShadow(page, heading)).toBe('none');
  });

  it('reflows at 200 % zoom: no horizontal scroll, every entry still reaches its section', async () => {
    const { page } = await session.open({ screen: 'Paramètres' });
    // 1280 × 800 at 200 %: the CSS pixels of a 640 × 400 window
    await page.setViewportSize({ width: 640, height: 400 });
    const contents = page.getByRole('navigation', { name: 'Sur cette page' });
    await page.getByRole('region', { name: 'Mise à jour de nuit' }).getByRole('button', { name: 'Enregistrer la mise à jour de nuit' }).waitFor();
    const main = await mainBox(page);
    expect(main.scrollWidth).toBeLessThanOrEqual(main.clientWidth);
    await screenshot(page, 'parametres-zoom-200', { fullPage: true });

    await contents.getByRole('button', { name: 'Dossier des données' }).click();
    const heading = page.getByRole('heading', { level: 2, name: 'Dossier des données' });
    await expect.poll(() => isFocused(page, heading)).toBe(true);
    expect(await isInView(page, heading)).toBe(true);
  });
});
