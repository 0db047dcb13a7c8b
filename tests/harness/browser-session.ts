// The life cycle most end-to-end tests share: one Chromium for the file, and for each test an app
// against the fake API shown in a fresh window, all closed once the test is over, pass or fail.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startAppWithFakeApi, type AppWithFakeApi, type AppWithFakeApiOptions } from './app-with-fake-api';
import { launchChromium, openApp, type AppPage, type OpenAppOptions } from './chromium';
import { cleanUp } from './fixtures';
import type { RendererHarness } from './renderer-harness';

export interface AppInBrowser {
  app: AppWithFakeApi;
  view: AppPage;
  page: Page;
}

export interface AppInBrowserPerTest {
  /** The file's Chromium (launched before the first test). */
  readonly browser: Browser;
  /** An app against the fake API, opened in a window (on `screen` when given). */
  open(options?: AppWithFakeApiOptions & OpenAppOptions): Promise<AppInBrowser>;
  /** An app against the fake API, not shown yet: for what the core must hold before a window opens. */
  start(options?: AppWithFakeApiOptions): Promise<AppWithFakeApi>;
  /** A new window (fresh context) on a harness already running. */
  openWindow(harness: RendererHarness, options?: OpenAppOptions): Promise<AppPage>;
  /** Anything else the test starts; run after the windows and the apps, the last given first. */
  closeAfterTest(step: () => unknown): void;
}

/**
 * Call at the top of a `describe`: registers the hooks. After each test the windows are closed
 * first, then the apps, then the `closeAfterTest` steps; every step runs even when one fails, and
 * the first failure is reported.
 */
export function appInBrowserPerTest(): AppInBrowserPerTest {
  let browser: Browser | undefined;
  let windows: AppPage[] = [];
  let apps: AppWithFakeApi[] = [];
  let steps: (() => unknown)[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const closing = [
      ...windows.map((view) => () => view.context.close()),
      ...apps.map((app) => () => app.close()),
      ...steps.reverse(),
    ];
    windows = [];
    apps = [];
    steps = [];
    await cleanUp(...closing);
  });

  const session: AppInBrowserPerTest = {
    get browser() {
      if (!browser) throw new Error('Chromium is not launched yet: use the session inside a test or a hook');
      return browser;
    },
    async start(options = {}) {
      const app = await startAppWithFakeApi(options);
      apps.push(app);
      return app;
    },
    async openWindow(harness, options = {}) {
      const view = await openApp(session.browser, harness, options);
      windows.push(view);
      return view;
    },
    async open({ screen, ...options } = {}) {
      const app = await session.start(options);
      const view = await session.openWindow(app.harness, { screen });
      return { app, view, page: view.page };
    },
    closeAfterTest(step) {
      steps.push(step);
    },
  };
  return session;
}
