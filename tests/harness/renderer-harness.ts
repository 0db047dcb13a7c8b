// Runs the built renderer in an ordinary browser against the real core: a local HTTP server
// serves out/renderer (as the app protocol does in Electron) and answers POST /__vigie/invoke
// through the demonstration switcher's dispatch (as ipcMain does), so the demonstration works
// here as in the app. The init script below is the preload's API over that connection, so the
// page cannot tell the difference.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { IPC_CHANNELS } from '../../src-main/common/ipc-channels';
import type { IpcEnvelope } from '../../src-main/common/ipc-contract';
import type { FileDialogs } from '../../src-main/node/app/file-dialogs';
import { loadRendererAsset, RENDERER_CSP } from '../../src-main/node/app/renderer-assets';
import { DemoModeSwitcher } from '../../src-main/node/app/demo-mode';
import { createVigieCore, type VigieCore, type VigieCoreOptions } from '../../src-main/node/app/vigie-core';
import { silentLogger } from '../../src-main/node/logger';

export const INVOKE_PATH = '/__vigie/invoke';
export const RENDERER_ROOT = resolve(import.meta.dirname, '../../out/renderer');
/** Larger requests are refused before parsing: the contract's biggest request is a few kilobytes. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface RendererHarnessOptions {
  databasePath: string;
  dialogs: FileDialogs;
  /** Defaults to the built renderer, out/renderer. */
  rendererRoot?: string;
  /** The rest of the core's adapters (store, cipher, clock, desktop actions...), as the Electron shell passes them. */
  core?: Omit<VigieCoreOptions, 'databasePath' | 'dialogs' | 'logger'>;
  /** Size of the demonstration register « Essayer avec des données de démonstration » builds. */
  demoSupplierCount?: number;
}

export interface RendererHarness {
  /** The page to open, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  readonly origin: string;
  /** For `page.addInitScript({ content })`: defines `window.vigie` like the preload does. */
  readonly initScript: string;
  /** The real core behind the page, for seeding data and checking what was written. */
  readonly core: VigieCore;
  /** The demonstration switcher every request goes through, as in the app (demo-mode.ts). */
  readonly demo: DemoModeSwitcher;
  close(): Promise<void>;
}

type Envelope = IpcEnvelope<unknown>;

const REFUSED: Envelope = { ok: false, error: { code: 'invalid-request', message: 'Demande refusée.' } };
const MALFORMED: Envelope = {
  ok: false,
  error: { code: 'invalid-request', message: 'Demande mal formée : elle a été refusée.' },
};

export async function startRendererHarness(options: RendererHarnessOptions): Promise<RendererHarness> {
  const rendererRoot = options.rendererRoot ?? RENDERER_ROOT;
  if (!existsSync(resolve(rendererRoot, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererRoot}: run \`npx electron-vite build\` first`);
  }
  // as the Electron shell: the switcher, then the real core answering its channels
  let real: VigieCore | null = null;
  const desktop = options.core?.desktop;
  const demo = new DemoModeSwitcher({
    userDataDir: options.core?.userDataDir ?? dirname(options.databasePath),
    logger: silentLogger,
    realCore: () => real,
    demoCore: {
      dialogs: options.dialogs,
      desktop: desktop && { openExternal: (url) => desktop.openExternal(url), notify: (title, body) => desktop.notify?.(title, body) },
    },
    supplierCount: options.demoSupplierCount,
  });
  const core = createVigieCore({
    ...options.core,
    databasePath: options.databasePath,
    dialogs: options.dialogs,
    logger: silentLogger,
    demoMode: demo.handlers,
  });
  real = core;
  let origin = '';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('internal error');
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path === INVOKE_PATH) {
      if (request.method !== 'POST') return sendJson(response, 405, REFUSED);
      // only the page itself may call the core: no other site open in the browser, no plain form post
      if (request.headers.origin !== origin || !request.headers['content-type']?.startsWith('application/json')) {
        return sendJson(response, 403, REFUSED);
      }
      const body = await readBody(request);
      if (body === null) return sendJson(response, 413, MALFORMED);
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        return sendJson(response, 400, MALFORMED);
      }
      if (typeof message !== 'object' || message === null || !('channel' in message)) {
        return sendJson(response, 400, MALFORMED);
      }
      const payload = 'payload' in message ? message.payload : undefined;
      return sendJson(response, 200, await demo.dispatch(message.channel, payload));
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
      response.end('method not allowed');
      return;
    }
    // the same lookup, traversal guard, content types and CSP header as the Electron app protocol
    const asset = await loadRendererAsset(rendererRoot, path);
    response.writeHead(asset.status, { ...asset.headers, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
  };

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(0, '127.0.0.1', () => resolveListen());
    });
  } catch (error) {
    await demo.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  let closed = false;
  return {
    url: `${origin}/`,
    origin,
    initScript: bridgeInitScript(origin),
    core,
    demo,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeServer(server);
      await demo.close();
    },
  };
}

function sendJson(response: ServerResponse, status: number, envelope: Envelope): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': RENDERER_CSP,
  });
  response.end(JSON.stringify(envelope));
}

/** The request body as text, or null when it is larger than any legitimate request. */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    // keep-alive connections from the browser would hold close() open
    server.closeAllConnections();
  });
}

/**
 * The preload's `window.vigie`, as a script run in the page before its own scripts. Plain
 * JavaScript text (not a serialized function) so that no transpiler helper can leak into it.
 * Like the preload, it refuses unknown channels locally, always resolves to an envelope when
 * the core answered, and rejects only when the connection itself fails.
 */
export function bridgeInitScript(origin: string): string {
  return `(() => {
  const ORIGIN = ${JSON.stringify(origin)};
  const ENDPOINT = ORIGIN + ${JSON.stringify(INVOKE_PATH)};
  const CHANNELS = Object.freeze(${JSON.stringify(IPC_CHANNELS)});
  if (window.location.origin !== ORIGIN) return;
  // captured now, so that page code replacing them cannot intercept calls to the core
  const fetchOriginal = window.fetch.bind(window);
  const stringify = JSON.stringify;
  const invoke = (channel, request) => {
    if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-request', message: 'Demande inconnue.' } });
    }
    return fetchOriginal(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stringify({ channel, payload: request === undefined ? null : request }),
      credentials: 'same-origin',
      cache: 'no-store',
    }).then((response) => response.json());
  };
  Object.defineProperty(window, 'vigie', {
    value: Object.freeze({ invoke }),
    enumerable: true,
    configurable: false,
    writable: false,
  });
})();`;
}
