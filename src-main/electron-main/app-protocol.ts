import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from '../node/ipc/trusted-sender';
import { loadRendererAsset } from '../node/app/renderer-assets';

/** Must run before `app` is ready: the scheme behaves like https (secure origin, fetch allowed). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer from disk under vigie://app/, never through file:// URLs. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('forbidden', { status: 403 });
    const asset = await loadRendererAsset(rendererRoot, url.pathname);
    return new Response(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body), {
      status: asset.status,
      headers: asset.headers,
    });
  });
}
