// Debian's Chromium driven by playwright-core: the Electron binary is not available in CI, and
// the renderer only needs a Chromium close to Electron's.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { RendererHarness } from './renderer-harness';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  // as the app does (main.ts): Chromium's date and time fields in French
  '--lang=fr-FR',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install it with \`apt-get update && apt-get install -y chromium\``);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Console errors (CSP violations included) and uncaught exceptions seen by the page. */
  problems: string[];
  /** Texts of window.alert/confirm/prompt the page tried to open (there should be none). */
  dialogs: string[];
}

export interface OpenAppOptions {
  /**
   * The navigation label of the screen to open once the app is loaded (« Registre »…); by
   * default the app stays on its first screen, the dashboard.
   */
  screen?: string;
}

/** A fresh browser context (no shared storage between tests) with the Vigie bridge, on the app's page. */
export async function openApp(browser: Browser, harness: RendererHarness, options: OpenAppOptions = {}): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript({ content: harness.initScript });
  await page.goto(harness.url);
  if (options.screen !== undefined) await goToScreen(page, options.screen);
  return { context, page, problems, dialogs };
}

/** The main navigation landmark of the app. */
export function mainNavigation(page: Page) {
  return page.getByRole('navigation', { name: 'Navigation principale' });
}

/** Clicks a screen's button in the main navigation and waits until it is the current one. */
export async function goToScreen(page: Page, label: string): Promise<void> {
  const item = mainNavigation(page).getByRole('button', { name: label, exact: true });
  await item.click();
  await item.and(page.locator('[aria-current="page"]')).waitFor();
}

export interface ScreenshotOptions {
  /**
   * The whole screen, not only the window: the app scrolls inside its <main>, not the document, so
   * the window is made as tall as that content for the picture, then given its size back.
   */
  fullPage?: boolean;
}

/** Saves a PNG of the page into $VIGIE_SCREENSHOTS when that variable is set; does nothing otherwise. */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<void> {
  const folder = process.env.VIGIE_SCREENSHOTS;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  const viewport = page.viewportSize();
  if (!options.fullPage || !viewport) {
    await page.screenshot({ path, animations: 'disabled' });
    return;
  }
  // what <main> hides below its fold, added to the window's height
  const hidden = await page.evaluate<number, undefined>(
    '(() => { const main = document.querySelector("main"); return main ? Math.max(0, main.scrollHeight - main.clientHeight) : 0; })()',
    undefined,
  );
  await page.setViewportSize({ width: viewport.width, height: viewport.height + hidden });
  try {
    await page.screenshot({ path, animations: 'disabled', fullPage: true });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** The text of the element that has the focus, or null (the tests compile without the DOM library: a string expression). */
export function focusedText(page: Page): Promise<string | null> {
  return page.evaluate<string | null, undefined>('document.activeElement ? document.activeElement.textContent : null', undefined);
}

/** Whether the element has the keyboard focus now (does not wait). */
export async function isFocused(page: Page, target: Locator): Promise<boolean> {
  return (await target.and(page.locator(':focus')).count()) === 1;
}

/** The texts an element's aria-describedby points at, joined: what a screen reader reads after its name. */
export async function describedByText(page: Page, target: Locator): Promise<string> {
  const ids = ((await target.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id !== '');
  const texts: string[] = [];
  for (const id of ids) {
    const described = page.locator(`[id="${id}"]`);
    texts.push((await described.count()) === 1 ? (await described.textContent()) ?? '' : `(missing #${id})`);
  }
  return texts
    .join(' ')
    .replace(/[\u00a0\u202f]/g, ' ')
    .trim();
}
