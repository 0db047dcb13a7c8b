import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRendererAsset, RENDERER_CSP, resolveRendererAsset } from '../../src-main/node/app/renderer-assets';

let base: string;
let root: string;

const INDEX_HTML = '<!doctype html><title>Vigie</title>';
const APP_JS = 'console.log("vigie");';
const SECRET = 'secret outside the renderer root';

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'vigie-renderer-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(root, 'assets', 'chunk.mjs'), 'export {};');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{margin:0}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'assets', 'app.js.map'), '{}');
  writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(root, 'assets', 'data.bin'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(root, 'assets', 'file name é.js'), APP_JS);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  // a sibling whose name starts like the root: a naive startsWith(root) check would let it through
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'secret.txt'), SECRET);
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('resolveRendererAsset', () => {
  it('maps / and the empty path to index.html', () => {
    expect(resolveRendererAsset(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveRendererAsset(root, '')).toBe(join(root, 'index.html'));
  });

  it('maps a URL path to the file under the root', () => {
    expect(resolveRendererAsset(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveRendererAsset(root, '/index.html')).toBe(join(root, 'index.html'));
  });

  it('decodes percent-encoded names once', () => {
    expect(resolveRendererAsset(root, '/assets/file%20name%20%C3%A9.js')).toBe(join(root, 'assets', 'file name é.js'));
    // a double-encoded dot-dot is a harmless literal folder name after one decoding, not a way out
    expect(resolveRendererAsset(root, '/%252e%252e/secret.txt')).toBe(join(root, '%2e%2e', 'secret.txt'));
  });

  it('stays inside the root for paths that merely go down and up again', () => {
    expect(resolveRendererAsset(root, '/assets/../index.html')).toBe(join(root, 'index.html'));
  });

  it.each([
    ['a plain ..', '/../secret.txt'],
    ['.. deeper in the path', '/assets/../../secret.txt'],
    ['a lower-case encoded ..', '/%2e%2e/secret.txt'],
    ['an upper-case encoded ..', '/%2E%2E/secret.txt'],
    ['an encoded slash after ..', '/..%2fsecret.txt'],
    ['a fully encoded ../', '/%2e%2e%2fsecret.txt'],
    ['half-encoded dots', '/.%2e/secret.txt'],
    ['an encoded backslash', '/..%5csecret.txt'],
    ['an encoded backslash in upper case', '/assets%5C..%5C..%5Csecret.txt'],
    ['a raw backslash', '/..\\secret.txt'],
    ['a Windows drive path', '/C:%5CWindows%5Cwin.ini'],
    ['a NUL byte', '/index.html%00.png'],
    ['a raw NUL byte', '/index.html\0'],
    ['a prefix-sharing sibling folder', '/../renderer-evil/secret.txt'],
    ['the root folder itself', '/.'],
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['a lone percent sign', '/%'],
  ])('refuses %s', (_label, urlPath) => {
    expect(resolveRendererAsset(root, urlPath)).toBeNull();
  });

  it('never resolves an absolute path to a file outside the root', () => {
    for (const urlPath of [join(base, 'secret.txt'), `/${join(base, 'secret.txt')}`, encodeURIComponent(join(base, 'secret.txt'))]) {
      const resolved = resolveRendererAsset(root, urlPath);
      expect(resolved === null || resolved.startsWith(root + sep)).toBe(true);
    }
  });
});

describe('loadRendererAsset', () => {
  const securityHeaders = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' };

  it('serves index.html for / with status 200, the CSP header and the HTML content type', async () => {
    const asset = await loadRendererAsset(root, '/');
    expect(asset.status).toBe(200);
    expect(asset.body.toString()).toBe(INDEX_HTML);
    expect(asset.headers).toEqual({ ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8' });
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8'],
    ['/assets/chunk.mjs', 'text/javascript; charset=utf-8'],
    ['/assets/style.css', 'text/css; charset=utf-8'],
    ['/assets/logo.svg', 'image/svg+xml'],
    ['/assets/app.js.map', 'application/json'],
    ['/assets/font.woff2', 'font/woff2'],
    ['/assets/data.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (urlPath, contentType) => {
    const asset = await loadRendererAsset(root, urlPath);
    expect(asset.status).toBe(200);
    expect(asset.headers['Content-Type']).toBe(contentType);
    expect(asset.headers['Content-Security-Policy']).toBe(RENDERER_CSP);
    expect(asset.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('returns the file bytes unchanged', async () => {
    const asset = await loadRendererAsset(root, '/assets/data.bin');
    expect(Buffer.isBuffer(asset.body)).toBe(true);
    expect([...(asset.body as Buffer)]).toEqual([0, 1, 2, 3]);
  });

  it.each([['/missing.js'], ['/assets/missing/deeper.css'], ['/assets']])('answers 404 for %s, with the CSP', async (urlPath) => {
    const asset = await loadRendererAsset(root, urlPath);
    expect(asset.status).toBe(404);
    expect(asset.headers).toEqual({ ...securityHeaders, 'Content-Type': 'text/plain' });
  });

  it.each([['/../secret.txt'], ['/%2e%2e/secret.txt'], ['/..%5csecret.txt'], ['/../renderer-evil/secret.txt'], ['/index.html%00']])(
    'answers 403 for %s without reading the file',
    async (urlPath) => {
      const asset = await loadRendererAsset(root, urlPath);
      expect(asset.status).toBe(403);
      expect(asset.body.toString()).not.toContain(SECRET);
      expect(asset.headers).toEqual({ ...securityHeaders, 'Content-Type': 'text/plain' });
    },
  );

  it('never serves a file outside the root when given its absolute path', async () => {
    const asset = await loadRendererAsset(root, `/${join(base, 'secret.txt')}`);
    expect(asset.status).not.toBe(200);
    expect(asset.body.toString()).not.toContain(SECRET);
  });
});

describe('RENDERER_CSP', () => {
  it('denies by default and allows only the app’s own scripts, without inline code or eval', () => {
    const directives = new Map(
      RENDERER_CSP.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).not.toMatch(/https?:|\*/);
  });
});
