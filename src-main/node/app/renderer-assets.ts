import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The renderer's Content-Security-Policy, sent as a header as well as in index.html. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Maps a URL path of the app protocol to a file under the built renderer, or null when the
 * path would leave that folder (`..`, encoded separators, absolute paths).
 */
export function resolveRendererAsset(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relative);
  return full.startsWith(base + sep) ? full : null;
}

export interface RendererAsset {
  status: number;
  body: Buffer | string;
  headers: Record<string, string>;
}

/** Reads one built renderer file for the app protocol (Electron) or the test harness (HTTP). */
export async function loadRendererAsset(root: string, urlPath: string): Promise<RendererAsset> {
  const file = resolveRendererAsset(root, urlPath);
  const headers = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' };
  if (file === null) return { status: 403, body: 'forbidden', headers: { ...headers, 'Content-Type': 'text/plain' } };
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    return { status: 200, body, headers: { ...headers, 'Content-Type': type } };
  } catch {
    return { status: 404, body: 'not found', headers: { ...headers, 'Content-Type': 'text/plain' } };
  }
}
