// The API Entreprise client: plain Node, the HTTP transport injected (Electron's net.fetch in the
// app, so that the system proxy and certificate store apply; global fetch in tests and the CLI).
// The token comes from a provider on every request and goes only into the Authorization header.
import type { NormalizedAnswer } from '../../common/company-records';
import { checkIdentifier } from '../../common/identifiers';
import { type Clock, sleep, systemClock } from '../clock';
import {
  ApiEntrepriseError,
  type ApiErrorKind,
  classifyStatus,
  readJsonApiError,
  retryAfterFromHeaders,
} from './api-error';
import { type CallContext, validateCallContext } from './call-context';
import {
  DEFAULT_TIMEOUTS_MS,
  type DocumentMediaType,
  endpointPath,
  ENDPOINTS,
  type EndpointId,
  type EndpointSpec,
  type TimeoutClass,
} from './endpoint-catalogue';
import type { Permit, RateLimiter } from './rate-limiter';

/** fetch's shape: global fetch and Electron's net.fetch both fit. */
export type HttpTransport = (url: string, init: RequestInit) => Promise<Response>;

/** Returns the token, or null when none is stored. Called for every request, never cached here. */
export type TokenProvider = () => Promise<string | null> | string | null;

export interface StoredDocumentRef {
  sha256: string;
  sizeBytes: number;
  mediaType: DocumentMediaType;
  storedPath: string;
}

/** Downloads a `document_url` at once and keeps the bytes (see src-main/node/documents). */
export type DocumentFetcher = (request: {
  endpoint: EndpointId;
  url: string;
  /** Epoch ms after which the URL no longer works. */
  expiresAt: number;
  accept: readonly DocumentMediaType[];
  signal?: AbortSignal;
}) => Promise<StoredDocumentRef>;

export type AnswerNormalizer = (endpoint: EndpointId, payload: unknown, identifier: string) => NormalizedAnswer;

/** One HTTP attempt, for the call journal: never the token, never a header. */
export interface CallAttemptRecord {
  endpoint: EndpointId;
  identifier: string | null;
  context: CallContext;
  startedAt: number;
  durationMs: number;
  attempt: number;
  httpStatus: number | null;
  outcome: 'ok' | ApiErrorKind;
  errorCode: string | null;
  cached: boolean;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ApiClientOptions {
  baseUrl: string;
  transport: HttpTransport;
  tokenProvider: TokenProvider;
  defaults: CallContext;
  limiter: RateLimiter;
  normalize: AnswerNormalizer;
  fetchDocument?: DocumentFetcher;
  clock?: Clock;
  random?: () => number;
  timeoutsMs?: Partial<Record<TimeoutClass, number>>;
  retry?: Partial<RetryPolicy>;
  /** Largest JSON answer accepted. */
  maxJsonBytes?: number;
  onAttempt?: (record: CallAttemptRecord) => void;
  /** A 401: the token is refused and every call stops until `acceptNewToken()`. */
  onTokenRefused?: (error: ApiEntrepriseError) => void;
  userAgent?: string;
}

export interface CallOptions {
  /** Overrides of the client's default recipient, context and object. */
  context?: Partial<CallContext>;
  /** `Cache-Control: no-cache`: only for an explicit action of the user. */
  bypassCache?: boolean;
  signal?: AbortSignal;
}

export interface ApiCallResult {
  endpoint: EndpointId;
  identifier: string | null;
  status: number;
  /** Served from the server's cache (attestations are cached until 8:00 the next day). */
  cached: boolean;
  receivedAt: number;
  attempts: number;
  payload: unknown;
  normalized: NormalizedAnswer | null;
  document: StoredDocumentRef | null;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };

export class ApiEntrepriseClient {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeouts: Record<TimeoutClass, number>;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private refusal: ApiEntrepriseError | null = null;

  constructor(private readonly options: ApiClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timeouts = { ...DEFAULT_TIMEOUTS_MS, ...options.timeoutsMs };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** The error that stopped every call (a refused token), if any. */
  get tokenRefusal(): ApiEntrepriseError | null {
    return this.refusal;
  }

  /** A new token was stored and validated: calls may resume. */
  acceptNewToken(): void {
    this.refusal = null;
  }

  /** Calls one endpoint for one SIREN/SIRET, with throttling, bounded retries and the document download. */
  async call(endpointId: EndpointId, identifier: string | null, options: CallOptions = {}): Promise<ApiCallResult> {
    const spec = ENDPOINTS[endpointId];
    const merged = { ...this.options.defaults, ...options.context };
    // /privileges concerns the token only: it takes no recipient, context nor object
    const context = spec.identifier === 'none' ? merged : validateCallContext(merged);
    const id = this.checkIdentifier(spec, identifier);
    let attempt = 0;
    for (;;) {
      attempt += 1;
      try {
        return await this.attempt(spec, id, context, attempt, options);
      } catch (raw) {
        const error = raw instanceof ApiEntrepriseError ? raw : this.unexpected(spec, raw);
        if (!error.retryable || attempt >= this.retry.maxAttempts || options.signal?.aborted) throw error;
        const delay = this.retryDelay(error, attempt);
        if (delay === null) throw error;
        await sleep(this.clock, delay, options.signal);
      }
    }
  }

  private checkIdentifier(spec: EndpointSpec, identifier: string | null): string | null {
    if (spec.identifier === 'none') return null;
    const check = checkIdentifier(identifier ?? '', spec.identifier);
    if (!check.ok) {
      throw ApiEntrepriseError.local('local_validation', `invalid ${spec.identifier} for ${spec.id}`, {
        endpoint: spec.id,
        userMessage: check.message,
      });
    }
    return check.value;
  }

  /**
   * Full jitter over an exponential ceiling; a provider's `retry_in` and a 429's delay are floors.
   * A wait longer than the policy allows is not done here: the error goes back to the caller
   * (the refresh engine reschedules, a lookup reports).
   */
  private retryDelay(error: ApiEntrepriseError, attempt: number): number | null {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    let delay = this.random() * ceiling;
    if (error.kind === 'rate_limited') {
      // the limiter holds the pool until the server's delay is over; a little jitter spreads the restart
      delay = Math.min(this.retry.baseDelayMs, delay);
    }
    if (error.retryInSeconds !== null) delay = Math.max(delay, error.retryInSeconds * 1_000);
    return delay > this.retry.maxDelayMs ? null : delay;
  }

  private async attempt(
    spec: EndpointSpec,
    identifier: string | null,
    context: CallContext,
    attempt: number,
    options: CallOptions,
  ): Promise<ApiCallResult> {
    if (this.refusal) throw this.refusal;
    const token = await this.options.tokenProvider();
    if (!token) throw this.error(spec, 'token_missing', null, null, 'no token stored');
    const permit = await this.options.limiter.acquire(spec.pool, options.signal);
    // the token may have been refused while this call waited for its turn
    if (this.refusal) {
      permit.abandon();
      throw this.refusal;
    }
    const startedAt = this.clock.now();
    const record = (httpStatus: number | null, outcome: CallAttemptRecord['outcome'], errorCode: string | null, cached = false) =>
      this.options.onAttempt?.({
        endpoint: spec.id,
        identifier,
        context,
        startedAt,
        durationMs: this.clock.now() - startedAt,
        attempt,
        httpStatus,
        outcome,
        errorCode,
        cached,
      });
    let response: Response | undefined;
    let body: string;
    const timeout = this.timeouts[spec.timeout === 'document' ? 'document' : 'json'];
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const cancelTimer = this.clock.setTimer(() => controller.abort(new TimeoutSignal()), timeout);
    try {
      response = await this.options.transport(this.url(spec, identifier, context), {
        method: 'GET',
        headers: this.headers(token, options.bypassCache === true),
        signal: controller.signal,
        redirect: 'error',
      });
      body = await readLimitedText(response, this.options.maxJsonBytes ?? 5 * 1024 * 1024);
    } catch (raw) {
      if (raw instanceof BodyTooLargeError && response) {
        // the server answered, with far more than any endpoint sends: not worth another try
        permit.complete(response.status, response.headers);
        record(response.status, 'malformed_response', null);
        throw new ApiEntrepriseError({
          kind: 'malformed_response',
          endpoint: spec.id,
          status: response.status,
          code: null,
          provider: null,
          retryInSeconds: null,
          retryAfterMs: null,
          detail: `answer of ${spec.id} larger than the JSON cap`,
          retryable: false,
        });
      }
      permit.abandon();
      const kind: ApiErrorKind = controller.signal.reason instanceof TimeoutSignal ? 'timeout' : 'network';
      if (options.signal?.aborted) throw raw;
      record(null, kind, null);
      throw this.error(spec, kind, null, null, `${kind} on ${spec.id}: ${describeTransportError(raw)}`);
    } finally {
      cancelTimer();
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
    const cached = response.headers.get('x-response-cached') === 'true';
    const parsed = parseJson(body);
    if (response.status !== 200) {
      const info = readJsonApiError(parsed);
      const kind = classifyStatus(response.status, info?.code ?? null);
      const retryAfterMs = kind === 'rate_limited' ? retryAfterFromHeaders(response.headers, this.clock.now()) : null;
      permit.complete(response.status, response.headers, retryAfterMs);
      record(response.status, kind, info?.code ?? null);
      const error = new ApiEntrepriseError({
        kind,
        endpoint: spec.id,
        status: response.status,
        code: info?.code ?? null,
        provider: info?.provider ?? null,
        retryInSeconds: info?.retryInSeconds ?? null,
        retryAfterMs,
        detail: `HTTP ${response.status}${info?.code ? ` (${info.code})` : ''} on ${spec.id}`,
      });
      if (error.refusesToken) this.refuseToken(error);
      throw error;
    }
    permit.complete(response.status, response.headers);
    const contentType = response.headers.get('content-type') ?? '';
    if (parsed === undefined || !contentType.includes('json')) {
      record(200, 'malformed_response', null, cached);
      // an HTML maintenance page or a cut answer: transient, unlike an answer that parses but does not fit
      throw new ApiEntrepriseError({
        kind: 'malformed_response',
        endpoint: spec.id,
        status: 200,
        code: null,
        provider: null,
        retryInSeconds: null,
        retryAfterMs: null,
        detail: `unreadable JSON answer from ${spec.id} (${contentType.slice(0, 40)})`,
        retryable: true,
      });
    }
    const receivedAt = this.clock.now();
    let normalized: NormalizedAnswer | null = null;
    if (identifier !== null) {
      try {
        normalized = this.options.normalize(spec.id, parsed, identifier);
      } catch (error) {
        record(200, 'malformed_response', null, cached);
        throw this.error(spec, 'malformed_response', 200, null, `answer of ${spec.id} does not match its schema: ${String(error).slice(0, 300)}`);
      }
    }
    let document: StoredDocumentRef | null = null;
    const link = documentLink(parsed);
    if (spec.response === 'document' && link && this.options.fetchDocument) {
      try {
        document = await this.options.fetchDocument({
          endpoint: spec.id,
          url: link.url,
          expiresAt: receivedAt + link.expiresInSeconds * 1_000,
          accept: spec.documentTypes,
          signal: options.signal,
        });
      } catch (error) {
        const failure = error instanceof ApiEntrepriseError ? error : this.unexpected(spec, error);
        record(200, failure.kind, null, cached);
        throw failure;
      }
    }
    record(200, 'ok', null, cached);
    return { endpoint: spec.id, identifier, status: 200, cached, receivedAt, attempts: attempt, payload: parsed, normalized, document };
  }

  private refuseToken(error: ApiEntrepriseError): void {
    if (this.refusal) return;
    this.refusal = error;
    this.options.onTokenRefused?.(error);
  }

  private url(spec: EndpointSpec, identifier: string | null, context: CallContext): string {
    const path = endpointPath(spec.id, identifier ?? undefined);
    if (spec.identifier === 'none') return `${this.baseUrl}${path}`;
    const query = new URLSearchParams({ recipient: context.recipient, context: context.context, object: context.object });
    return `${this.baseUrl}${path}?${query.toString()}`;
  }

  private headers(token: string, bypassCache: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? 'Vigie',
    };
    if (bypassCache) headers['Cache-Control'] = 'no-cache';
    return headers;
  }

  private error(spec: EndpointSpec, kind: ApiErrorKind, status: number | null, code: string | null, detail: string): ApiEntrepriseError {
    if (status === null && code === null) return ApiEntrepriseError.local(kind, detail, { endpoint: spec.id });
    return new ApiEntrepriseError({ kind, endpoint: spec.id, status, code, provider: null, retryInSeconds: null, retryAfterMs: null, detail });
  }

  private unexpected(spec: EndpointSpec, raw: unknown): ApiEntrepriseError {
    return this.error(spec, 'unexpected_status', null, null, `unexpected failure on ${spec.id}: ${describeTransportError(raw)}`);
  }
}

class BodyTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes`);
  }
}

class TimeoutSignal extends Error {
  constructor() {
    super('timeout');
  }
}

/** Error text from a transport failure, cut short: it never contains our headers, but keep it small. */
function describeTransportError(raw: unknown): string {
  if (raw instanceof Error) {
    const cause = raw.cause instanceof Error ? ` (${raw.cause.message})` : '';
    return `${raw.name}: ${raw.message}${cause}`.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]').slice(0, 200);
  }
  return String(raw).slice(0, 200);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function documentLink(payload: unknown): { url: string; expiresInSeconds: number } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const data = (payload as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const url = (data as { document_url?: unknown }).document_url;
  // most answers say `document_url_expires_in`; CNETP, CIBTP, PRO BTP and FNTP say `expires_in`
  const record = data as { document_url_expires_in?: unknown; expires_in?: unknown };
  const expires = record.document_url_expires_in ?? record.expires_in;
  if (typeof url !== 'string' || url === '') return null;
  return { url, expiresInSeconds: typeof expires === 'number' && expires > 0 ? expires : 60 };
}

export type { Permit };
