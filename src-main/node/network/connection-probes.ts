// The probes « Tester la connexion » uses outside Chromium: the proxy from the environment
// (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), name resolution by the system resolver, and a TLS
// handshake (through the proxy's CONNECT tunnel when there is one) that reads the certificate
// without sending anything. The Electron shell swaps the proxy resolver for Chromium's.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import type { HttpTransport } from '../api-entreprise/api-client';
import { ApiEntrepriseError } from '../api-entreprise/api-error';
import type { ApiService } from '../app/api-service';
import type { TokenVault } from '../token/token-vault';
import type { ConnectionProbes, ProxyServer, StoredTokenCheck, TlsCertificateInfo, TlsProbe, UnauthenticatedProbe } from './connection-check';

/** Chromium's answer format from the environment variables curl and most tools honour. */
export function proxyFromEnvironment(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  // like Chromium, the loopback interface never goes through a proxy
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return 'DIRECT';
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return 'DIRECT';
    const [name = '', entryPort] = entry.split(':');
    if (entryPort !== undefined && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return 'DIRECT';
  }
  const raw = target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.ALL_PROXY ?? env.all_proxy) : (env.HTTP_PROXY ?? env.http_proxy ?? env.ALL_PROXY ?? env.all_proxy);
  if (!raw) return 'DIRECT';
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return 'DIRECT';
  }
  const scheme = proxy.protocol === 'https:' ? 'HTTPS' : proxy.protocol.startsWith('socks') ? 'SOCKS5' : 'PROXY';
  const proxyPort = proxy.port || (proxy.protocol === 'https:' ? '443' : proxy.protocol.startsWith('socks') ? '1080' : '80');
  return `${scheme} ${proxy.hostname}:${proxyPort}`;
}

export async function lookupHost(host: string): Promise<string[]> {
  const answers = await dnsLookup(host, { all: true });
  return answers.map((answer) => answer.address);
}

export interface TlsProbeOptions {
  /** Extra trusted certificates (PEM), besides Node's and the system's. */
  extraCertificates?: readonly string[];
}

/**
 * Handshake and certificate check like the app's own connection: Node's roots plus the system's
 * store where Node can read it (Node 22.15+/23.5+), so that a mairie's proxy certificate
 * installed on the computer is trusted here as it is by Chromium.
 */
export function createTlsProbe(options: TlsProbeOptions = {}): TlsProbe {
  return async ({ host, port, proxy }, signal) => {
    const socket = proxy ? await connectTunnel(proxy, host, port, signal) : undefined;
    return new Promise<TlsCertificateInfo>((resolve, reject) => {
      // the step timed out while the tunnel opened: an abort listener added now would never fire
      if (signal.aborted) {
        socket?.destroy();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const connection = tls.connect({
        host,
        port,
        ...(socket ? { socket } : {}),
        servername: isIP(host) !== 0 ? undefined : host,
        ca: trustedCertificates(options.extraCertificates ?? []),
        // the verdict is read below instead of failing the handshake: the certificate is what the user needs to hear about
        rejectUnauthorized: false,
      });
      const abort = () => {
        connection.destroy();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', abort, { once: true });
      connection.once('secureConnect', () => {
        const certificate = connection.getPeerCertificate();
        const error = connection.authorizationError as unknown;
        const verifyError = connection.authorized ? null : errorText(error);
        signal.removeEventListener('abort', abort);
        connection.end();
        connection.destroy();
        if (!certificate || Object.keys(certificate).length === 0) {
          reject(new Error('the server sent no certificate'));
          return;
        }
        resolve({
          issuer: firstOf(certificate.issuer?.O) ?? firstOf(certificate.issuer?.CN) ?? 'inconnu',
          subject: firstOf(certificate.subject?.CN) ?? firstOf(certificate.subject?.O) ?? 'inconnu',
          validTo: new Date(certificate.valid_to),
          verifyError,
        });
      });
      connection.once('error', (error) => {
        signal.removeEventListener('abort', abort);
        connection.destroy();
        reject(error);
      });
    });
  };
}

function trustedCertificates(extra: readonly string[]): string[] {
  const getCa = (tls as { getCACertificates?: (kind: 'default' | 'system' | 'bundled') => string[] }).getCACertificates;
  let system: string[] = [];
  if (getCa) {
    try {
      system = getCa('system');
    } catch {
      // no readable system store: Node's own roots only
    }
  }
  return [...(getCa ? getCa('default') : tls.rootCertificates), ...system, ...extra];
}

/** An HTTP CONNECT tunnel through the proxy, as a browser opens one for an https address. */
function connectTunnel(proxy: ProxyServer, host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const request = httpRequest({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: authority, headers: { Host: authority }, signal });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      const code = response.statusCode === 407 ? 'PROXY_AUTH' : 'PROXY_REFUSED';
      reject(Object.assign(new Error(`proxy answered ${response.statusCode ?? 'nothing'} to CONNECT`), { code }));
    });
    request.once('error', reject);
    request.end();
  });
}

function errorText(error: unknown): string {
  if (error instanceof Error) return (error as { code?: string }).code ?? error.message;
  return String(error);
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** GET without any token through the app's transport; the body is read as JSON when it is JSON. */
export function createUnauthenticatedProbe(transport: HttpTransport): UnauthenticatedProbe {
  return async (url, signal) => {
    const response = await transport(url, { method: 'GET', headers: { Accept: 'application/json' }, redirect: 'manual', signal });
    const text = (await response.text()).slice(0, 64 * 1024);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // an HTML page from a proxy or a captive portal: not the API
    }
    return { status: response.status, json };
  };
}

export interface AppConnectionProbeOptions {
  /** net.fetch in the app. */
  transport: HttpTransport;
  /** Chromium's resolver in the app; the environment variables otherwise. */
  resolveProxy?: (url: string) => Promise<string>;
  vault: Pick<TokenVault, 'privileges' | 'tokenForRequest' | 'markRefused'>;
  api: Pick<ApiService, 'checkPrivileges'>;
  tls?: TlsProbeOptions;
}

/** The probes as the app runs them: its transport, its API service (journaled calls) and its token vault. */
export function createAppConnectionProbes(options: AppConnectionProbeOptions): ConnectionProbes {
  const { vault, api } = options;
  return {
    resolveProxy: options.resolveProxy ?? ((url) => Promise.resolve(proxyFromEnvironment(url))),
    lookup: (host) => lookupHost(host),
    tlsHandshake: createTlsProbe(options.tls),
    fetchUnauthenticated: createUnauthenticatedProbe(options.transport),
    storedTokenPrivileges: async (): Promise<StoredTokenCheck> => {
      if (vault.privileges() === null) return { status: 'absent' };
      let token: string | null;
      try {
        token = vault.tokenForRequest();
      } catch (error) {
        // refused or expired: known already, so it is not sent again
        if (error instanceof ApiEntrepriseError) return { status: 'unusable', reason: error.userMessage };
        throw error;
      }
      if (token === null) return { status: 'absent' };
      try {
        return { status: 'checked', scopes: await api.checkPrivileges(token) };
      } catch (error) {
        if (error instanceof ApiEntrepriseError && error.refusesToken) vault.markRefused(error.kind);
        throw error;
      }
    },
  };
}
