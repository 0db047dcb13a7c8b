/**
 * Whether an IPC message comes from Vigie's own page: the app protocol, or the development
 * server during `npm run dev`. Anything else (a frame navigated elsewhere, an injected
 * iframe, a devtools page) is refused.
 */
export function isTrustedSenderUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (devServerUrl) {
    let dev: URL;
    try {
      dev = new URL(devServerUrl);
    } catch {
      return false;
    }
    return parsed.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1');
  }
  return false;
}

/** The privileged scheme the renderer is served from, instead of file:// URLs. */
export const APP_SCHEME = 'vigie';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
