// A local fake of API Entreprise for development, demos, end-to-end tests and benchmarks: every
// endpoint of the catalogue, with the real server's checks (token, scope, trace parameters,
// identifiers), rate limits and headers, document URLs that expire, and deterministic latency and
// faults. Plain node:http, bound to 127.0.0.1 only: it must never be reachable from the network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSiren } from '../../common/identifiers';
import type { EndpointSpec, RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import { AttestationCache } from './attestation-cache';
import { CONTROL_PREFIX, handleControl } from './control-routes';
import { Prng } from './deterministic-random';
import { mintDevToken, type MintOptions } from './dev-token';
import { DOCUMENT_PATH_PREFIX, DocumentStore } from './document-store';
import { providerOf } from './endpoint-providers';
import { CACHED_ENDPOINTS, resolveOptions, type FakeApiOptions } from './fake-api-options';
import { createStats, recordStatus, resetStats, type FakeApiStats } from './fake-api-stats';
import { FaultController, type FaultKind, type FaultTarget } from './fault-injection';
import {
  sendBytes,
  sendHtmlErrorPage,
  sendHugeBody,
  sendJson,
  sendMalformedJson,
  sendText,
  sendThenReset,
  sendTruncatedPdf,
  type HeaderMap,
} from './http-answers';
import {
  conflict,
  gatewayTimeout,
  methodNotAllowed,
  notFound,
  providerError,
  providerUnavailable,
  tooManyRequests,
  unknownRoute,
  type ErrorAnswer,
} from './json-api-errors';
import { sampleLatencyMs, type LatencySpec } from './latency';
import { PAYLOAD_BUILDERS } from './payloads/endpoint-payloads';
import type { PayloadContext, PayloadResult, Subject } from './payloads/payload-context';
import { bearerToken, checkIdentifier, checkScope, checkToken, checkTraceParameters } from './request-checks';
import { matchRoute } from './route-matcher';
import { FixedWindowCounter, IpBanPolicy, rateLimitHeaders, retryAfterSeconds, type WindowDecision } from './server-rate-limits';
import { SyntheticCompanies } from './synthetic-companies';

export type { FakeApiOptions } from './fake-api-options';
export type { FakeApiStats } from './fake-api-stats';

export const FAKE_API_HOST = '127.0.0.1';

export interface FakeApiHandle {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  /** Live counters (see FakeApiStats); `resetStats()` zeroes them in place. */
  stats: FakeApiStats;
  resetStats(): void;
  /** Forces faults for an identifier or for the next N calls (see FaultController). */
  faults: FaultController;
  /** The synthetic population, to pick test subjects (`companies.example('urssaf_refused')`). */
  companies: SyntheticCompanies;
  /** A token this server accepts (signed with its secret). */
  mintToken(options?: Omit<MintOptions, 'secret'>): string;
  /** Adds a token id to the blacklist (401 00105 from now on). */
  blacklist(jti: string): void;
  /** Forgets the rate-limit windows, bans and the attestation cache. */
  resetLimits(): void;
  close(): Promise<void>;
}

interface Abortable {
  closing: boolean;
  timers: Set<{ timer: NodeJS.Timeout; resolve: (completed: boolean) => void }>;
}

/** Waits, unless the server closes meanwhile: resolves false then, and the answer is dropped. */
function sleep(state: Abortable, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!state.closing);
  return new Promise((resolve) => {
    const entry = {
      resolve,
      timer: setTimeout(() => {
        state.timers.delete(entry);
        resolve(!state.closing);
      }, ms),
    };
    state.timers.add(entry);
  });
}

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApiHandle> {
  const opts = resolveOptions(options);
  const companies = new SyntheticCompanies({ seed: opts.seed, count: opts.companyCount });
  const documents = new DocumentStore(opts.seed);
  const cache = new AttestationCache();
  const stats = createStats();
  const faults = new FaultController(opts.seed, { rate: opts.faultRate, weights: opts.faultWeights });
  const pools = {} as Record<RateLimitPoolId, FixedWindowCounter>;
  for (const [pool, limit] of Object.entries(opts.poolLimits) as [RateLimitPoolId, number][]) {
    pools[pool] = new FixedWindowCounter(limit, opts.windowMs);
  }
  const ceilings = opts.globalCeilings.map((c) => new FixedWindowCounter(c.limit, c.windowMs));
  const ban = opts.ipBan ? new IpBanPolicy(opts.ipBan) : null;
  const callCounts = new Map<string, number>();
  const inFlightCalls = new Set<string>();
  const state: Abortable = { closing: false, timers: new Set() };
  let baseUrl = '';

  const nextCallKey = (prefix: string): string => {
    const n = (callCounts.get(prefix) ?? 0) + 1;
    callCounts.set(prefix, n);
    return `${prefix}|${n}`;
  };

  const latencyMs = (spec: LatencySpec, callKey: string): number => sampleLatencyMs(spec, new Prng(opts.seed, 'latency', callKey));

  const server = createServer((req, res) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const started = Date.now();
    res.once('close', () => {
      stats.inFlight -= 1;
      opts.log?.(`${req.method ?? '?'} ${pathOf(req)} ${res.headersSent ? res.statusCode : 'reset'} ${Date.now() - started}ms`);
    });
    handle(req, res).catch((error: unknown) => {
      opts.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ code: '00500', title: 'Erreur interne', detail: 'Erreur interne du faux serveur', meta: {} }] });
      else res.destroy();
    });
  });

  function pathOf(req: IncomingMessage): string {
    // the query is left out: it may carry a misplaced token
    return (req.url ?? '/').split('?')[0] ?? '/';
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const nowMs = opts.now();
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (ban?.isBanned(ip, nowMs)) {
      // a banned IP gets no answer at all (BRIEF §3)
      stats.bannedRequests += 1;
      recordStatus(stats, null, 'reset');
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', baseUrl);
    if (url.pathname.startsWith(DOCUMENT_PATH_PREFIX)) return serveDocument(req, res, url.pathname);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      // for a server started by the CLI, whose `stats` and `faults` a test cannot reach directly
      recordStatus(stats, null, await handleControl(req, res, url.pathname, stats, faults));
      return;
    }
    const route = matchRoute(url.pathname);
    if (req.method !== 'GET') return answerError(res, null, methodNotAllowed(), {});
    if (!route) return answerError(res, null, unknownRoute(), {});
    const { endpoint, identifier } = route;
    stats.apiCalls += 1;
    stats.byEndpoint[endpoint.id] = (stats.byEndpoint[endpoint.id] ?? 0) + 1;
    if (url.searchParams.has('token')) stats.tokenInQuery += 1;

    // rate limits first, keyed by the token when it is genuine, by the IP otherwise
    const token = bearerToken(req.headers.authorization);
    const verdict = checkToken(token, opts.jwtSecret, opts.blacklistedJtis, nowMs);
    const limitKey = verdict.claims ? `jti:${verdict.claims.jti}` : `ip:${ip}`;
    const banKey = `${limitKey}|${endpoint.pool}`;
    ban?.noteRequest(ip, banKey, nowMs);
    const ceilingDecisions = ceilings.map((counter) => counter.peek(ip, nowMs));
    const blockingCeiling = ceilingDecisions.find((decision) => !decision.allowed);
    const poolDecision = pools[endpoint.pool].peek(limitKey, nowMs);
    if (blockingCeiling) {
      stats.ipCeilingHits += 1;
      return answerTooManyRequests(res, endpoint, blockingCeiling, nowMs, banKey);
    }
    if (!poolDecision.allowed) return answerTooManyRequests(res, endpoint, poolDecision, nowMs, banKey);
    for (const counter of ceilings) counter.commit(ip, nowMs);
    pools[endpoint.pool].commit(limitKey, nowMs);
    const headers: HeaderMap = rateLimitHeaders(poolDecision);

    if (!verdict.ok) return answerError(res, endpoint.pool, verdict.answer, headers);
    const claims = verdict.claims;
    const scopeError = checkScope(endpoint, claims);
    if (scopeError) return answerError(res, endpoint.pool, scopeError, headers);
    if (endpoint.id !== 'privileges') {
      const parameterError = checkTraceParameters(url.searchParams) ?? checkIdentifier(endpoint, identifier);
      if (parameterError) return answerError(res, endpoint.pool, parameterError, headers);
    }

    // the real server refuses a second identical call while the first one runs, even when the
    // client has given up on the first: the entry goes when the server is done, not the client
    const flightKey = `${limitKey}|${url.pathname}|${url.search}`;
    if (opts.rejectDuplicateInFlight && inFlightCalls.has(flightKey)) return answerError(res, endpoint.pool, conflict(), headers);
    inFlightCalls.add(flightKey);
    try {
      await answerCall(req, res, endpoint, identifier, claims.scopes, headers, nowMs);
    } finally {
      inFlightCalls.delete(flightKey);
    }
  }

  /** After the checks: latency, faults, then the provider's answer. */
  async function answerCall(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: EndpointSpec,
    identifier: string | null,
    scopes: readonly string[],
    headers: HeaderMap,
    nowMs: number,
  ): Promise<void> {
    const callKey = nextCallKey(`${endpoint.id}|${identifier ?? ''}`);
    const target: FaultTarget = { kind: 'api', endpoint: endpoint.id, identifier, callKey };
    const fault = faults.decide(target);
    if (fault) stats.faults[fault] += 1;
    const latency = opts.latencyByPool[endpoint.pool] ?? opts.latency;
    if (!(await sleep(state, latencyMs(latency, callKey) + (fault === 'slow' ? opts.slowMs : 0)))) return;
    if (res.destroyed) return;

    const provider = providerOf(endpoint.id);
    if (provider && fault === 'provider_error') return answerError(res, endpoint.pool, providerError(provider, opts.providerRetryInSeconds), headers);
    if (provider && fault === 'unavailable') return answerError(res, endpoint.pool, providerUnavailable(provider), headers);
    if (provider && fault === 'conflict') return answerError(res, endpoint.pool, conflict(), headers);
    if (provider && fault === 'gateway_timeout') {
      if (!(await sleep(state, opts.gatewayTimeoutDelayMs))) return;
      return answerError(res, endpoint.pool, gatewayTimeout(provider), headers);
    }

    const answer = buildAnswer(endpoint, identifier, scopes, nowMs, req.headers['cache-control']);
    if (answer.kind === 'error') return answerError(res, endpoint.pool, answer.error, headers);
    Object.assign(headers, answer.headers);
    if (answer.cached) stats.cachedAnswers += 1;
    if (fault && deliverBrokenAnswer(res, endpoint.pool, fault, answer.body, headers)) return;
    recordStatus(stats, endpoint.pool, 200);
    sendJson(res, 200, answer.body, headers);
  }

  type BuiltAnswer =
    | { kind: 'ok'; body: unknown; headers: HeaderMap; cached: boolean }
    | { kind: 'error'; error: ErrorAnswer };

  function buildAnswer(
    endpoint: EndpointSpec,
    identifier: string | null,
    scopes: readonly string[],
    nowMs: number,
    cacheControl: string | undefined,
  ): BuiltAnswer {
    if (endpoint.id === 'privileges') {
      return { kind: 'ok', body: { data: { privileges: [...scopes] }, links: {}, meta: {} }, headers: {}, cached: false };
    }
    const provider = providerOf(endpoint.id);
    const subject = identifier === null ? null : findSubject(endpoint, identifier);
    if (!provider) throw new Error(`no provider for ${endpoint.id}`);
    if (!subject || identifier === null) return { kind: 'error', error: notFound(provider) };
    const cacheable = CACHED_ENDPOINTS.has(endpoint.id);
    const noCache = /(^|,)\s*no-cache\s*(,|$)/i.test(cacheControl ?? '');
    if (cacheable && !noCache) {
      const hit = cache.lookup(endpoint.id, identifier, nowMs);
      if (hit) return { kind: 'ok', body: hit.body, headers: cacheHeaders(true, hit.expiresInSeconds), cached: true };
    }
    const ctx: PayloadContext = {
      baseUrl,
      nowMs,
      seed: opts.seed,
      documents,
      documentTtlSeconds: (id) => opts.documentTtlSeconds[id],
    };
    const result: PayloadResult = PAYLOAD_BUILDERS[endpoint.id](ctx, subject);
    if (result.kind === 'not_found') return { kind: 'error', error: notFound(provider) };
    if (!cacheable) return { kind: 'ok', body: result.body, headers: {}, cached: false };
    const stored = cache.store(endpoint.id, identifier, result.body, result.document, nowMs);
    return { kind: 'ok', body: stored.body, headers: cacheHeaders(false, stored.expiresInSeconds), cached: false };
  }

  function cacheHeaders(cached: boolean, expiresInSeconds: number): HeaderMap {
    return { 'X-Response-Cached': String(cached), 'X-Cache-Expires-in': String(expiresInSeconds) };
  }

  function findSubject(endpoint: EndpointSpec, identifier: string): Subject | null {
    if (endpoint.identifier === 'siret') {
      const found = companies.bySiret(identifier);
      return found ? { company: found.company, establishment: found.establishment } : null;
    }
    const company = isValidSiren(identifier) ? companies.bySiren(identifier) : companies.byRna(identifier);
    return company ? { company, establishment: null } : null;
  }

  /** Writes the broken variants of a successful answer; false when the fault does not apply here. */
  function deliverBrokenAnswer(res: ServerResponse, pool: RateLimitPoolId, fault: FaultKind, body: unknown, headers: HeaderMap): boolean {
    switch (fault) {
      case 'html_200':
        recordStatus(stats, pool, 200);
        sendHtmlErrorPage(res);
        return true;
      case 'malformed_json':
        recordStatus(stats, pool, 200);
        sendMalformedJson(res, body, headers);
        return true;
      case 'connection_reset':
        recordStatus(stats, pool, 'reset');
        sendThenReset(res, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(body)), headers);
        return true;
      case 'huge_body':
        recordStatus(stats, pool, 200);
        void sendHugeBody(res, 'json', opts.hugeBodyBytes, headers);
        return true;
      default:
        return false;
    }
  }

  function answerError(res: ServerResponse, pool: RateLimitPoolId | null, error: ErrorAnswer, headers: HeaderMap): void {
    recordStatus(stats, pool, error.status);
    sendJson(res, error.status, error.body, headers);
  }

  function answerTooManyRequests(
    res: ServerResponse,
    endpoint: EndpointSpec,
    decision: WindowDecision,
    nowMs: number,
    banKey: string,
  ): void {
    ban?.noteRefusal(banKey, decision.resetAtMs);
    const headers = rateLimitHeaders({ ...decision, remaining: 0 });
    if (opts.retryAfter) headers['Retry-After'] = String(retryAfterSeconds(decision.resetAtMs, nowMs));
    answerError(res, endpoint.pool, tooManyRequests(), headers);
  }

  async function serveDocument(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET') return answerError(res, null, methodNotAllowed(), {});
    if (req.headers.authorization !== undefined) stats.documents.withAuthorization += 1;
    const id = pathname.slice(DOCUMENT_PATH_PREFIX.length).replace(/\.pdf$/, '');
    const found = documents.lookup(id, opts.now());
    if (found.status === 'unknown') {
      stats.documents.unknown += 1;
      recordStatus(stats, null, 404);
      return sendText(res, 404, 'Document inconnu');
    }
    if (found.status === 'expired') {
      stats.documents.expired += 1;
      recordStatus(stats, null, 410);
      return sendText(res, 410, 'Ce lien de téléchargement a expiré');
    }
    const { document } = found;
    const callKey = nextCallKey(`document|${document.id}`);
    const fault = faults.decide({
      kind: 'document',
      endpoint: document.endpoint,
      identifier: document.content.siret ?? document.content.siren,
      callKey,
    });
    if (fault) stats.faults[fault] += 1;
    const delay = latencyMs(opts.documentLatency, callKey) + (fault === 'slow' ? opts.slowMs : 0);
    if (!(await sleep(state, delay)) || res.destroyed) return;
    const pdf = await documents.pdfBytes(document);
    const headers: HeaderMap = { 'Cache-Control': 'no-store' };
    switch (fault) {
      case 'truncated_pdf':
        recordStatus(stats, null, 200);
        return sendTruncatedPdf(res, pdf);
      case 'html_200':
        recordStatus(stats, null, 200);
        return sendHtmlErrorPage(res);
      case 'connection_reset':
        recordStatus(stats, null, 'reset');
        return sendThenReset(res, 'application/pdf', pdf, headers);
      case 'huge_body':
        recordStatus(stats, null, 200);
        return sendHugeBody(res, 'pdf', opts.hugeBodyBytes, headers);
      default:
        stats.documents.served += 1;
        recordStatus(stats, null, 200);
        return sendBytes(res, 200, 'application/pdf', pdf, headers);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: FAKE_API_HOST, port: opts.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${FAKE_API_HOST}:${port}`;

  return {
    url: baseUrl,
    port,
    stats,
    resetStats: () => resetStats(stats),
    faults,
    companies,
    mintToken: (mint = {}) => mintDevToken({ now: opts.now(), ...mint, secret: opts.jwtSecret }),
    blacklist: (jti) => {
      opts.blacklistedJtis.add(jti);
    },
    resetLimits: () => {
      for (const counter of [...Object.values(pools), ...ceilings]) counter.reset();
      ban?.reset();
      cache.clear();
    },
    close: () => closeServer(server, state),
  };
}

function closeServer(server: ReturnType<typeof createServer>, state: Abortable): Promise<void> {
  state.closing = true;
  for (const entry of state.timers) {
    clearTimeout(entry.timer);
    entry.resolve(false);
  }
  state.timers.clear();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // slow answers and keep-alive sockets must not hold the process
    server.closeAllConnections();
  });
}
