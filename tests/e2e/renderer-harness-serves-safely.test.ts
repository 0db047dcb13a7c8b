// The harness stands in for the Electron shell in every other e2e test: it must serve only
// the built renderer, with its CSP, and let only the page itself reach the core.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../src-main/node/app/renderer-assets';
import { launchChromium, openApp } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { cleanUp, makeTempDir, type TempDir } from '../harness/fixtures';
import { INVOKE_PATH, startRendererHarness, type RendererHarness } from '../harness/renderer-harness';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent exactly as written: fetch() would normalise `..` away before sending. */
function raw(url: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<RawResponse>((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('renderer harness', () => {
  let temp: TempDir;
  let harness: RendererHarness;

  beforeAll(async () => {
    temp = await makeTempDir();
    harness = await startRendererHarness({ databasePath: temp.file('vigie.sqlite3'), dialogs: fakeDialogs() });
  });

  afterAll(async () => {
    await cleanUp(
      () => harness?.close(),
      () => temp?.remove(),
    );
  });

  it('listens on the loopback interface only', () => {
    expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the built page with its CSP as a header and as a meta tag', async () => {
    const page = await raw(harness.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain(`http-equiv="Content-Security-Policy"`);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<style|\sstyle=/);
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = await raw(harness.url, script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses paths that leave the renderer folder', async () => {
    for (const path of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const response = await raw(harness.url, path);
      expect(response.status, path).not.toBe(200);
      expect(response.body, path).not.toContain('"name": "vigie"');
    }
  });

  it('answers the core only to same-origin JSON posts', async () => {
    const call = (headers: Record<string, string>, body: string) =>
      raw(harness.url, INVOKE_PATH, { method: 'POST', headers, body });
    const json = { 'Content-Type': 'application/json', Origin: harness.origin };
    const stats = JSON.stringify({ channel: 'register.stats', payload: {} });

    const ok = await call(json, stats);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: { suppliers: 0, active: 0, tags: [] } });

    const otherSite = await call({ ...json, Origin: 'http://evil.example' }, stats);
    expect(otherSite.status).toBe(403);
    expect(JSON.parse(otherSite.body)).toEqual({ ok: false, error: { code: 'invalid-request', message: 'Demande refusée.' } });
    expect((await call({ 'Content-Type': 'application/json' }, stats)).status).toBe(403);
    expect((await call({ 'Content-Type': 'text/plain', Origin: harness.origin }, stats)).status).toBe(403);
    expect((await call(json, '{not json')).status).toBe(400);
    expect((await raw(harness.url, INVOKE_PATH)).status).toBe(405);

    // the core's own validation still applies behind the endpoint
    const unknown = await call(json, JSON.stringify({ channel: 'fs.readFile', payload: { path: '/etc/passwd' } }));
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: { code: 'invalid-request', message: 'Demande inconnue.' } });
    const malformed = await call(json, JSON.stringify({ channel: 'register.search', payload: { limit: 100_000 } }));
    expect(JSON.parse(malformed.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('gives the page the preload’s window.vigie: envelopes, unknown channels refused, not replaceable', async () => {
    const browser = await launchChromium();
    try {
      const app = await openApp(browser, harness, { screen: 'Registre' });
      const { page } = app;
      await page.getByRole('heading', { name: 'Registre des tiers' }).waitFor();
      expect(await page.evaluate("window.vigie.invoke('register.stats', {})")).toEqual({
        ok: true,
        value: { suppliers: 0, active: 0, tags: [] },
      });
      expect(await page.evaluate("window.vigie.invoke('shell.openExternal', {})")).toEqual({
        ok: false,
        error: { code: 'invalid-request', message: 'Demande inconnue.' },
      });
      expect(await page.evaluate("window.vigie.invoke('register.get', { id: -1 })")).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
      expect(await page.evaluate("(() => { try { window.vigie = null; } catch {} return typeof window.vigie.invoke; })()")).toBe(
        'function',
      );
      expect(app.problems).toEqual([]);
      await app.context.close();
    } finally {
      await browser.close();
    }
  });
});
