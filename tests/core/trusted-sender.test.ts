import { describe, expect, it } from 'vitest';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, isTrustedSenderUrl } from '../../src-main/node/ipc/trusted-sender';

describe('isTrustedSenderUrl without a development server', () => {
  it('names the app origin vigie://app', () => {
    expect(APP_SCHEME).toBe('vigie');
    expect(APP_HOST).toBe('app');
    expect(APP_ORIGIN).toBe('vigie://app');
  });

  it.each([['vigie://app/index.html'], ['vigie://app/'], ['vigie://app/index.html#/registre?q=dupont'], [`${APP_ORIGIN}/index.html`]])(
    'trusts the app page %s',
    (url) => {
      expect(isTrustedSenderUrl(url)).toBe(true);
    },
  );

  it.each([
    ['another host of the app scheme', 'vigie://evil/'],
    ['a host that only starts like the app', 'vigie://app.evil/index.html'],
    ['the app host with a port', 'vigie://app:8080/index.html'],
    ['the app scheme without a host', 'vigie:app/index.html'],
    ['a file URL', 'file:///C:/Users/agent/Downloads/piege.html'],
    ['a Unix file URL', 'file:///home/agent/out/renderer/index.html'],
    ['the API Entreprise site', 'https://entreprise.api.gouv.fr'],
    ['https with the app host', 'https://app/index.html'],
    ['a local web server', 'http://localhost:5173/'],
    ['about:blank', 'about:blank'],
    ['a data URL', 'data:text/html,<script>alert(1)</script>'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['the empty string', ''],
    ['garbage', 'not a url'],
    ['a relative path', '/index.html'],
  ])('refuses %s', (_label, url) => {
    expect(isTrustedSenderUrl(url)).toBe(false);
  });

  it('refuses a missing URL (a frame that is gone)', () => {
    expect(isTrustedSenderUrl(undefined)).toBe(false);
  });
});

describe('isTrustedSenderUrl with a development server', () => {
  const dev = 'http://localhost:5173';

  it.each([['http://localhost:5173/'], ['http://localhost:5173/index.html'], ['http://localhost:5173/src/main.tsx?t=1']])(
    'trusts the development server page %s',
    (url) => {
      expect(isTrustedSenderUrl(url, dev)).toBe(true);
    },
  );

  it('still trusts the app protocol', () => {
    expect(isTrustedSenderUrl('vigie://app/index.html', dev)).toBe(true);
  });

  it.each([
    ['a different port', 'http://localhost:5174/'],
    ['the default port', 'http://localhost/'],
    ['https instead of http', 'https://localhost:5173/'],
    ['127.0.0.1 when the server is localhost (another origin)', 'http://127.0.0.1:5173/'],
    ['a host that starts like localhost', 'http://localhost.evil.example:5173/'],
    ['a remote host on the same port', 'http://evil.example:5173/'],
    ['credentials pointing elsewhere', 'http://localhost:5173@evil.example/'],
    ['garbage', '::::'],
  ])('refuses %s', (_label, url) => {
    expect(isTrustedSenderUrl(url, dev)).toBe(false);
  });

  it('accepts a 127.0.0.1 development server', () => {
    expect(isTrustedSenderUrl('http://127.0.0.1:5173/index.html', 'http://127.0.0.1:5173/')).toBe(true);
    expect(isTrustedSenderUrl('http://127.0.0.1:5174/index.html', 'http://127.0.0.1:5173/')).toBe(false);
  });

  it.each([['http://192.168.1.20:5173'], ['http://dev.mairie.example:5173'], ['https://entreprise.api.gouv.fr']])(
    'never trusts a development server that is not on this machine (%s), even for its own pages',
    (devServer) => {
      expect(isTrustedSenderUrl(`${devServer}/index.html`, devServer)).toBe(false);
    },
  );
});

describe('isTrustedSenderUrl with a malformed development server URL', () => {
  // main.ts reads it from ELECTRON_RENDERER_URL; lockDownWebContents calls this function from
  // will-navigate, where an exception means preventDefault() is never called: it must trust
  // nothing rather than throw.
  it.each([['not a url'], ['localhost:5173'], ['']])('trusts only the app protocol when the development server URL is %j', (devServer) => {
    expect(() => isTrustedSenderUrl('http://localhost:5173/', devServer)).not.toThrow();
    expect(isTrustedSenderUrl('https://evil.example/', devServer)).toBe(false);
    expect(isTrustedSenderUrl('vigie://app/index.html', devServer)).toBe(true);
  });
});
