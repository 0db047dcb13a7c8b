// « Tester la connexion »: each step's verdict and French explanation, the steps skipped after a
// blocking failure, timeouts on an injected clock, a real TLS handshake against local servers
// whose certificates are made here, and the whole check through the core against the fake API,
// with and without a stored token (which never appears in the answer nor in the logs).
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { createVigieCore, type VigieCore } from '../../src-main/node/app/vigie-core';
import { systemClock } from '../../src-main/node/clock';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import type { Logger } from '../../src-main/node/logger';
import { checkConnection, parseProxyAnswer, type ConnectionProbes, type ConnectionReport } from '../../src-main/node/network/connection-check';
import { createTlsProbe, lookupHost, proxyFromEnvironment } from '../../src-main/node/network/connection-probes';
import { LocalKeyCipher } from '../../src-main/node/token/secret-cipher';
import { leakForms } from '../support/test-tokens';
import { ManualClock } from '../support/manual-clock';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string, fields?: Record<string, unknown>) => lines.push(JSON.stringify({ message, fields }));
  return { lines, info: push, warn: push, error: push };
}

const okProbes = (): ConnectionProbes => ({
  resolveProxy: () => Promise.resolve('DIRECT'),
  lookup: () => Promise.resolve(['192.0.2.10']),
  tlsHandshake: () => Promise.resolve({ issuer: 'Certigna', subject: 'entreprise.api.gouv.fr', validTo: new Date('2027-03-01T12:00:00Z'), verifyError: null }),
  fetchUnauthenticated: () => Promise.resolve({ status: 401, json: { errors: [{ code: '00101', title: 'Interdit' }] } }),
  storedTokenPrivileges: () => Promise.resolve({ status: 'absent' }),
});

const PRODUCTION = 'https://entreprise.api.gouv.fr';

function statuses(report: ConnectionReport): string[] {
  return report.steps.map((step) => `${step.id}:${step.status}`);
}

function detailOf(report: ConnectionReport, id: string): string {
  return report.steps.find((step) => step.id === id)?.detail ?? '';
}

describe('connection check with injected probes', () => {
  it('reports every step ok, in order, with the certificate’s issuer and expiry in French', async () => {
    const report = await checkConnection({ baseUrl: PRODUCTION, probes: okProbes(), clock: systemClock, logger: recordingLogger() });
    expect(report.ok).toBe(true);
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ok', 'tls:ok', 'api:ok']);
    expect(report.steps.map((step) => step.label)).toEqual([
      'Proxy du poste',
      'Adresse du service (DNS)',
      'Connexion sécurisée (certificat)',
      'Réponse d’API Entreprise',
    ]);
    expect(detailOf(report, 'proxy')).toContain('Aucun proxy');
    expect(detailOf(report, 'tls')).toBe('Certificat valide, délivré par «\u00a0Certigna\u00a0», valable jusqu’au 01/03/2027.');
    expect(detailOf(report, 'api')).toContain('Aucun jeton n’est encore enregistré');
  });

  it('stops at a DNS failure: the later steps are marked ignored with the reason', async () => {
    const probes = okProbes();
    probes.lookup = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND entreprise.api.gouv.fr'), { code: 'ENOTFOUND' }));
    let tlsCalled = false;
    probes.tlsHandshake = () => {
      tlsCalled = true;
      return Promise.reject(new Error('must not run'));
    };
    const logger = recordingLogger();
    const report = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:echec', 'tls:ignore', 'api:ignore']);
    expect(tlsCalled).toBe(false);
    expect(detailOf(report, 'dns')).toContain('ne trouve pas l’adresse de entreprise.api.gouv.fr');
    expect(detailOf(report, 'dns')).toContain('contactez le service informatique de la mairie');
    expect(detailOf(report, 'tls')).toBe('Non testé : l’étape «\u00a0Adresse du service (DNS)\u00a0» a échoué, corrigez-la d’abord.');
    // the precise English reason is in the log
    expect(logger.lines.join('\n')).toContain('ENOTFOUND');
  });

  it('names the proxy in use, and leaves the name resolution to it', async () => {
    const probes = okProbes();
    probes.resolveProxy = () => Promise.resolve('PROXY proxy.mairie.local:3128; DIRECT');
    let lookedUp = false;
    probes.lookup = () => {
      lookedUp = true;
      return Promise.resolve([]);
    };
    const seen: unknown[] = [];
    probes.tlsHandshake = (target) => {
      seen.push(target.proxy);
      return okProbes().tlsHandshake(target, new AbortController().signal);
    };
    const report = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger: recordingLogger() });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:ok', 'api:ok']);
    expect(detailOf(report, 'proxy')).toContain('proxy proxy.mairie.local:3128');
    expect(lookedUp).toBe(false);
    expect(seen).toEqual([{ scheme: 'PROXY', host: 'proxy.mairie.local', port: 3128 }]);
  });

  it('explains a certificate that an intercepting proxy signed', async () => {
    const probes = okProbes();
    probes.tlsHandshake = () =>
      Promise.resolve({ issuer: 'Pare-feu Mairie CA', subject: 'entreprise.api.gouv.fr', validTo: new Date('2027-01-01'), verifyError: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const report = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger: recordingLogger() });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ok', 'tls:echec', 'api:ignore']);
    expect(detailOf(report, 'tls')).toContain('«\u00a0Pare-feu Mairie CA\u00a0»');
    expect(detailOf(report, 'tls')).toContain('inspecte les connexions chiffrées');
  });

  it('skips DNS for an address already numeric, and TLS for plain http', async () => {
    const report = await checkConnection({ baseUrl: 'http://127.0.0.1:8750', probes: okProbes(), clock: systemClock, logger: recordingLogger() });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:ignore', 'api:ok']);
    expect(detailOf(report, 'dns')).toContain('127.0.0.1 est déjà une adresse numérique');
    expect(report.ok).toBe(true);
  });

  it('reports an unreachable API in plain words, and an answer that is not the API’s', async () => {
    const probes = okProbes();
    probes.fetchUnauthenticated = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
    const logger = recordingLogger();
    const report = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ok', 'tls:ok', 'api:echec']);
    expect(detailOf(report, 'api')).toContain('API Entreprise ne répond pas');
    expect(logger.lines.join('\n')).toContain('ECONNREFUSED');

    probes.fetchUnauthenticated = () => Promise.resolve({ status: 200, json: null });
    const portal = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger });
    expect(detailOf(portal, 'api')).toContain('Une réponse inattendue est arrivée à la place d’API Entreprise (code 200)');

    probes.fetchUnauthenticated = () => Promise.resolve({ status: 407, json: null });
    const auth = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger });
    expect(detailOf(auth, 'api')).toContain('Le proxy demande une identification');
  });

  it('times a silent step out on the injected clock, without waiting for real time', async () => {
    const clock = new ManualClock();
    const probes = okProbes();
    probes.fetchUnauthenticated = (_url, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    const pending = checkConnection({ baseUrl: PRODUCTION, probes, clock, logger: recordingLogger(), timeoutsMs: { api: 15_000 } });
    await clock.advance(14_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    const report = await pending;
    const api = report.steps.find((step) => step.id === 'api');
    expect(api?.status).toBe('echec');
    expect(api?.detail).toContain('API Entreprise n’a pas répondu à temps en 15 secondes');
    expect(api?.durationMs).toBe(15_000);
  });

  it('says when the stored token is refused by the API, and when it is known unusable and not sent', async () => {
    const probes = okProbes();
    probes.storedTokenPrivileges = () =>
      Promise.reject(new ApiEntrepriseError({ kind: 'token_expired', endpoint: 'privileges', status: 401, code: '00103', provider: null, retryInSeconds: null, retryAfterMs: null, detail: 'token expired' }));
    const refused = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger: recordingLogger() });
    expect(detailOf(refused, 'api')).toContain('API Entreprise répond, mais refuse le jeton enregistré. Le jeton API Entreprise a expiré');

    probes.storedTokenPrivileges = () => Promise.resolve({ status: 'unusable', reason: 'Le jeton API Entreprise a été révoqué.' });
    const unusable = await checkConnection({ baseUrl: PRODUCTION, probes, clock: systemClock, logger: recordingLogger() });
    expect(detailOf(unusable, 'api')).toBe('API Entreprise répond. Le jeton enregistré n’a pas été envoyé : le jeton API Entreprise a été révoqué.');
    expect(unusable.steps.find((step) => step.id === 'api')?.status).toBe('ok');
  });
});

describe('proxy answers', () => {
  it('reads Chromium’s list and the environment variables', () => {
    expect(parseProxyAnswer('DIRECT')).toBeNull();
    expect(parseProxyAnswer('PROXY 10.0.0.1:8080; DIRECT')).toEqual({ scheme: 'PROXY', host: '10.0.0.1', port: 8080 });
    expect(parseProxyAnswer('SOCKS5 [::1]:1080')).toEqual({ scheme: 'SOCKS5', host: '::1', port: 1080 });
    const env = { HTTPS_PROXY: 'http://proxy.mairie.local:3128', NO_PROXY: 'intranet.local,.mairie.local' };
    expect(proxyFromEnvironment('https://entreprise.api.gouv.fr/v3', env)).toBe('PROXY proxy.mairie.local:3128');
    expect(proxyFromEnvironment('https://compta.mairie.local/', env)).toBe('DIRECT');
    expect(proxyFromEnvironment('http://127.0.0.1:8750', env)).toBe('DIRECT');
    expect(proxyFromEnvironment('https://entreprise.api.gouv.fr', {})).toBe('DIRECT');
  });
});

// ---------------------------------------------------------------------------------------------
// A real TLS handshake: certificates made here with node:crypto (a minimal X.509 in DER).

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}
const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(at: Date): Buffer {
  const iso = at.toISOString();
  const rest = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return at.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2, 4)}${rest}`, 'ascii')) : der(0x18, Buffer.from(`${iso.slice(0, 4)}${rest}`, 'ascii'));
}
const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

function selfSignedCertificate(options: { host: string; organisation: string; notBefore: Date; notAfter: Date }): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = sequence(set(sequence(oid('2.5.4.10'), utf8(options.organisation))), set(sequence(oid('2.5.4.3'), utf8(options.host))));
  const san = sequence(oid('2.5.29.17'), der(0x04, sequence(der(0x82, Buffer.from(options.host, 'ascii')))));
  const serial = createHash('sha256').update(options.host + options.organisation + String(Date.now())).digest().subarray(0, 8);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ECDSA_SHA256,
    name,
    sequence(time(options.notBefore), time(options.notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, sequence(san)),
  );
  const signature = sign('sha256', tbs, privateKey as KeyObject);
  const certificate = sequence(tbs, ECDSA_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${certificate.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`.replace(/\n\n/g, '\n');
  return { cert: pem, key: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })).export({ type: 'pkcs8', format: 'pem' }) as string };
}

async function httpsServer(material: { cert: string; key: string }): Promise<{ server: HttpsServer; port: number }> {
  const server = createHttpsServer(material, (_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A forward proxy that opens CONNECT tunnels, or refuses them with 407. */
async function connectProxy(mode: 'tunnel' | 'auth-required'): Promise<{ server: HttpServer; port: number; tunnels: string[] }> {
  const tunnels: string[] = [];
  const server = createHttpServer();
  server.on('connect', (request, client) => {
    tunnels.push(request.url ?? '');
    if (mode === 'auth-required') {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="mairie"\r\n\r\n');
      return;
    }
    const [, port] = (request.url ?? '').split(':');
    const upstream = netConnect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, tunnels };
}

describe('TLS step against real local servers', () => {
  const DAY = 86_400_000;
  const servers: { close: (callback: () => void) => void }[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  const tlsOnly = (options: { proxy?: string; trusted?: string[] } = {}): ConnectionProbes => ({
    ...okProbes(),
    resolveProxy: () => Promise.resolve(options.proxy ?? 'DIRECT'),
    lookup: (host) => lookupHost(host),
    tlsHandshake: createTlsProbe({ extraCertificates: options.trusted ?? [] }),
  });

  it('opens nothing once its step has timed out (the signal aborted while the proxy tunnel opened)', async () => {
    let connections = 0;
    const silent = createNetServer((socket) => {
      connections += 1;
      socket.on('error', () => undefined);
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const controller = new AbortController();
    controller.abort(new Error('step timed out'));
    const port = (silent.address() as AddressInfo).port;
    await expect(createTlsProbe()({ host: '127.0.0.1', port, proxy: null }, controller.signal)).rejects.toThrow('step timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections).toBe(0);
  });

  it('recognises a self-signed certificate and names who issued it', async () => {
    const material = selfSignedCertificate({ host: 'localhost', organisation: 'Proxy Filtrant Mairie', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
    const { server, port } = await httpsServer(material);
    servers.push(server);
    const logger = recordingLogger();
    const report = await checkConnection({ baseUrl: `https://localhost:${port}`, probes: tlsOnly(), clock: systemClock, logger });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ok', 'tls:echec', 'api:ignore']);
    expect(detailOf(report, 'tls')).toContain('délivré par «\u00a0Proxy Filtrant Mairie\u00a0», n’est pas reconnu par ce poste');
    expect(detailOf(report, 'tls')).toContain('Contactez le service informatique de la mairie');
    expect(logger.lines.join('\n')).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('accepts a trusted certificate, then tells an expired one and one for another host apart', async () => {
    const good = selfSignedCertificate({ host: 'localhost', organisation: 'Autorité de test', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.UTC(2099, 0, 15, 12)) });
    const expired = selfSignedCertificate({ host: 'localhost', organisation: 'Autorité périmée', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 5, 30, 12)) });
    const otherHost = selfSignedCertificate({ host: 'portail-wifi.example', organisation: 'Portail', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
    const trusted = [good.cert, expired.cert, otherHost.cert];
    const run = async (material: { cert: string; key: string }) => {
      const { server, port } = await httpsServer(material);
      servers.push(server);
      return checkConnection({ baseUrl: `https://localhost:${port}`, probes: tlsOnly({ trusted }), clock: systemClock, logger: recordingLogger() });
    };
    const ok = await run(good);
    expect(statuses(ok)).toEqual(['proxy:ok', 'dns:ok', 'tls:ok', 'api:ok']);
    expect(detailOf(ok, 'tls')).toBe('Certificat valide, délivré par «\u00a0Autorité de test\u00a0», valable jusqu’au 15/01/2099.');

    const old = await run(expired);
    expect(detailOf(old, 'tls')).toContain('a expiré le 30/06/2021');
    expect(detailOf(old, 'tls')).toContain('date et l’heure de l’ordinateur');

    const wrong = await run(otherHost);
    expect(detailOf(wrong, 'tls')).toContain('celui d’un autre site («\u00a0portail-wifi.example\u00a0»)');
  });

  it('reads the certificate through the proxy’s CONNECT tunnel, and explains a proxy asking for a password', async () => {
    const material = selfSignedCertificate({ host: 'localhost', organisation: 'Proxy Filtrant Mairie', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
    const { server, port } = await httpsServer(material);
    servers.push(server);
    const proxy = await connectProxy('tunnel');
    servers.push(proxy.server);
    const report = await checkConnection({ baseUrl: `https://localhost:${port}`, probes: tlsOnly({ proxy: `PROXY 127.0.0.1:${proxy.port}` }), clock: systemClock, logger: recordingLogger() });
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:echec', 'api:ignore']);
    expect(proxy.tunnels).toEqual([`localhost:${port}`]);
    expect(detailOf(report, 'tls')).toContain('«\u00a0Proxy Filtrant Mairie\u00a0»');

    const guarded = await connectProxy('auth-required');
    servers.push(guarded.server);
    const refused = await checkConnection({ baseUrl: `https://localhost:${port}`, probes: tlsOnly({ proxy: `PROXY 127.0.0.1:${guarded.port}` }), clock: systemClock, logger: recordingLogger() });
    expect(detailOf(refused, 'tls')).toContain('demande une identification que Vigie ne peut pas fournir');
  });
});

describe('connection.test through the core, against the fake API', () => {
  let api: FakeApiHandle;
  let dir: string;
  let core: VigieCore | undefined;
  const logger = recordingLogger();

  beforeAll(async () => {
    api = await startFakeApi({ seed: 'connection-test', companyCount: 5 });
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(() => {
    core?.close();
    core = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function start(): VigieCore {
    dir = mkdtempSync(join(tmpdir(), 'vigie-connection-'));
    const created = createVigieCore({
      databasePath: join(dir, 'vigie.sqlite3'),
      dialogs: { chooseCsvToImport: () => Promise.resolve(null), chooseCsvExportPath: () => Promise.resolve(null) },
      logger,
      userDataDir: dir,
      cipher: new LocalKeyCipher(join(dir, 'token.key')),
    });
    core = created;
    return created;
  }

  async function test(vigie: VigieCore): Promise<ConnectionReport> {
    const answer = await vigie.dispatch('connection.test', {});
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as ConnectionReport;
  }

  it('without a token: the API’s 401 proves it is reachable', async () => {
    const vigie = start();
    vigie.settings.update({ apiEnvironment: 'local', localApiUrl: api.url, communeSiret: '13002526500013' });
    const report = await test(vigie);
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:ignore', 'api:ok']);
    expect(detailOf(report, 'api')).toContain('Aucun jeton n’est encore enregistré');
    expect(report.apiUrl).toBe(api.url);
  });

  it('with a stored token: /privileges through the app’s client, journaled, the token nowhere in the answer or the logs', async () => {
    const vigie = start();
    vigie.settings.update({ apiEnvironment: 'local', localApiUrl: api.url, communeSiret: '13002526500013' });
    const token = api.mintToken({ issuedAt: Math.floor(Date.now() / 1000) });
    const stored = await vigie.dispatch('token.submit', { token, consentToWeakProtection: true });
    expect(stored.ok).toBe(true);
    const before = (await vigie.dispatch('journal.search', {})) as { ok: true; value: { total: number } };
    const report = await test(vigie);
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:ignore', 'api:ok']);
    expect(detailOf(report, 'api')).toMatch(/^API Entreprise répond et reconnaît le jeton de la commune \(\d+ droits\)\.$/);
    const after = (await vigie.dispatch('journal.search', {})) as { ok: true; value: { total: number; rows: { endpoint: string }[] } };
    expect(after.value.total).toBe(before.value.total + 1);
    expect(after.value.rows[0]?.endpoint).toBe('privileges');
    const text = JSON.stringify(report) + logger.lines.join('\n');
    for (const form of leakForms(token)) expect(text).not.toContain(form);
  });

  it('a blacklisted token: reachable, but refused, and the token is marked refused', async () => {
    const vigie = start();
    vigie.settings.update({ apiEnvironment: 'local', localApiUrl: api.url, communeSiret: '13002526500013' });
    const token = api.mintToken({ issuedAt: Math.floor(Date.now() / 1000), jti: 'a1b2c3d4-0000-4000-8000-00000000beef' });
    expect((await vigie.dispatch('token.submit', { token, consentToWeakProtection: true })).ok).toBe(true);
    api.blacklist('a1b2c3d4-0000-4000-8000-00000000beef');
    const report = await test(vigie);
    expect(report.steps.find((step) => step.id === 'api')?.status).toBe('echec');
    expect(detailOf(report, 'api')).toContain('refuse le jeton enregistré');
    expect(vigie.vault.summary().state).toBe('revoque');
  });

  it('an API that is not there: the connection is refused, said plainly', async () => {
    const vigie = start();
    const closed = await startFakeApi({ seed: 'closed', companyCount: 1 });
    const url = closed.url;
    await closed.close();
    vigie.settings.update({ apiEnvironment: 'local', localApiUrl: url });
    const report = await test(vigie);
    expect(statuses(report)).toEqual(['proxy:ok', 'dns:ignore', 'tls:ignore', 'api:echec']);
    expect(detailOf(report, 'api')).toContain('API Entreprise ne répond pas');
  });
});
