// The app shell with the keyboard alone: a visible skip link first, then the navigation landmark
// listing the screens; Enter or Space opens a screen, which is marked as current, titles the
// window and takes the focus on its heading; the token alert's button is reachable too.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { focusedText, isFocused, mainNavigation, screenshot } from '../harness/chromium';

const SCREENS = [
  { label: 'Tableau de bord', title: 'Tableau de bord' },
  { label: 'Registre', title: 'Registre des tiers' },
  { label: 'Journal des appels', title: 'Journal des appels' },
  { label: 'Mises à jour', title: 'Mises à jour' },
  { label: 'Jeton', title: 'Jeton API Entreprise' },
  { label: 'Paramètres', title: 'Paramètres' },
];

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it takes more than `max` presses. */
async function tabTo(page: Page, target: Locator, direction: 'forward' | 'backward' = 'forward', max = 25): Promise<number> {
  for (let presses = 0; presses <= max; presses += 1) {
    if (await isFocused(page, target)) return presses;
    await page.keyboard.press(direction === 'forward' ? 'Tab' : 'Shift+Tab');
  }
  throw new Error(`focus never reached the element after ${max} presses`);
}

describe('app shell: keyboard only', () => {
  const session = appInBrowserPerTest();

  it('goes through every screen from the navigation, marking the current one and focusing its title', async () => {
    const app = await session.start();
    await app.storeToken(app.mintToken());
    const view = await session.openWindow(app.harness);
    const { page } = view;
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();

    const navigation = mainNavigation(page);
    expect(await navigation.getByRole('listitem').allTextContents()).toEqual(SCREENS.map((screen) => screen.label));
    expect(await navigation.locator('[aria-current="page"]').allTextContents()).toEqual(['Tableau de bord']);

    // the first Tab shows the skip link
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Aller au contenu principal' });
    expect(await isFocused(page, skip)).toBe(true);
    const box = await skip.boundingBox();
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect(box?.height ?? 0).toBeGreaterThan(10);
    await screenshot(page, '16-lien-evitement');

    // then the navigation: each screen by keyboard, Enter or Space
    for (const [index, screen] of [...SCREENS.slice(1), SCREENS[0]].entries()) {
      const item = navigation.getByRole('button', { name: screen?.label, exact: true });
      // from the skip link forwards the first time, then backwards from the focused title
      await tabTo(page, item, index === 0 ? 'forward' : 'backward');
      await page.keyboard.press(index % 2 === 0 ? 'Enter' : 'Space');
      await expect.poll(() => focusedText(page)).toBe(screen?.title);
      expect(await page.locator('h1:focus').count()).toBe(1);
      expect(await page.title()).toBe(`${screen?.title} — Vigie`);
      expect(await navigation.locator('[aria-current="page"]').allTextContents()).toEqual([screen?.label]);
      expect(await page.getByRole('main', { name: screen?.title }).count()).toBe(1);
    }

    // the skip link jumps over the header to the screen's content
    await tabTo(page, skip, 'backward');
    await page.keyboard.press('Enter');
    expect(await isFocused(page, page.getByRole('main'))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Actualiser');
    expect(view.problems).toEqual([]);
  });

  it('reaches the Jeton screen by keyboard from the alert shown while no token is stored', async () => {
    const { view, page } = await session.open({ screen: 'Registre' });
    const alert = page.getByRole('region', { name: 'Jeton API Entreprise à enregistrer' });
    await alert.waitFor();
    const button = alert.getByRole('button', { name: 'Ouvrir l’écran Jeton' });
    // after the navigation, before the screen's content
    expect(await tabTo(page, button, 'backward', 3)).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedText(page)).toBe('Jeton API Entreprise');
    expect(await mainNavigation(page).locator('[aria-current="page"]').allTextContents()).toEqual(['Jeton']);
    expect(await alert.count()).toBe(0);
    await page.getByRole('button', { name: 'Enregistrer le jeton' }).waitFor();
    expect(view.problems).toEqual([]);
  });
});
