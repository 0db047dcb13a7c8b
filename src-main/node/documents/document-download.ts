// Fetches the document behind an API Entreprise `document_url` at once, before it expires
// (BRIEF §3: a day for URSSAF, ten minutes for CIBTP), checks it is really a PDF or a ZIP, and
// keeps it in the document store. The URL is pre-signed: it is fetched without the API token,
// and its query string (the signature) never appears in an error or a log line.
import {
  ApiEntrepriseError,
  classifyStatus,
  retryAfterFromHeaders,
  type ApiErrorKind,
} from '../api-entreprise/api-error';
import { DEFAULT_TIMEOUTS_MS, type DocumentMediaType, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { Logger } from '../logger';
import { requireDocument } from './document-sniffing';
import type { PutResult } from './document-store';

/** `fetch`, Electron's `net.fetch` (system proxy and certificates), or a fake. */
export type DocumentTransport = (url: string, init: RequestInit) => Promise<Response>;

/** Where downloaded bytes go: the DocumentStore, or a fake. */
export interface DocumentSink {
  put(bytes: Uint8Array, mediaType: DocumentMediaType): Promise<PutResult>;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export interface DownloadDocumentOptions {
  /** The `document_url` of the JSON answer. */
  url: string;
  /** Epoch ms after which the URL is dead: see `documentUrlExpiresAt`. */
  expiresAt: number;
  /** What the endpoint may deliver (`EndpointSpec.documentTypes`). */
  accept: readonly DocumentMediaType[];
  transport: DocumentTransport;
  store: DocumentSink;
  /** Covers the whole download, headers and body. */
  timeoutMs?: number;
  /** Counted on the bytes received, whatever Content-Length says. */
  maxBytes?: number;
  now?: () => number;
  /** The caller's cancellation: the download stops and `signal.reason` is thrown as is. */
  signal?: AbortSignal;
  /** Carried by the errors, for the call journal. */
  endpoint?: EndpointId | null;
  logger?: Logger;
}

export interface DownloadedDocument extends PutResult {
  /** The URL without its query string nor fragment: safe to log. */
  source: string;
}

/** When a `document_url` stops working: the answer's arrival plus `document_url_expires_in` seconds. */
export function documentUrlExpiresAt(answerReceivedAtMs: number, expiresInSeconds: number): number {
  return answerReceivedAtMs + expiresInSeconds * 1_000;
}

/** Origin and path only: a pre-signed URL carries its secret in the query string. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Statuses by which a document host says the link is no longer valid (S3-style hosts answer 403). */
const EXPIRED_LINK_STATUSES = new Set([401, 403, 404, 410]);

/** A system error code from an error or its cause (`ECONNRESET`, `UND_ERR_SOCKET`), never a message. */
function errorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Downloads, checks and stores one document. Resolves to the stored document; rejects with an
 * ApiEntrepriseError (`document_expired`, `timeout`, `network`, `document_too_large`,
 * `document_invalid`, `document_storage`, or the status kinds of a failing host), or with
 * `signal.reason` when the caller cancelled. Nothing is stored unless everything succeeded.
 */
export async function downloadDocument(options: DownloadDocumentOptions): Promise<DownloadedDocument> {
  const {
    url,
    expiresAt,
    accept,
    transport,
    store,
    timeoutMs = DEFAULT_TIMEOUTS_MS.document,
    maxBytes = DEFAULT_MAX_DOCUMENT_BYTES,
    now = Date.now,
    signal,
    endpoint = null,
    logger,
  } = options;
  const source = redactUrl(url);
  const fail = (kind: ApiErrorKind, detail: string, extra: { status?: number; retryAfterMs?: number | null } = {}) =>
    new ApiEntrepriseError({
      kind,
      endpoint,
      status: extra.status ?? null,
      code: null,
      provider: null,
      retryInSeconds: null,
      retryAfterMs: extra.retryAfterMs ?? null,
      detail,
    });

  const started = now();
  try {
    checkUrl(url, fail);
    if (!Number.isFinite(expiresAt) || started >= expiresAt) {
      const ago = Number.isFinite(expiresAt) ? ` ${Math.round((started - expiresAt) / 1_000)} s ago` : '';
      throw fail('document_expired', `Document URL ${source} expired${ago}: not requested`);
    }
    if (accept.length === 0) throw fail('local_validation', 'No accepted document type given');
    if (!(timeoutMs > 0) || !(maxBytes > 0)) throw fail('local_validation', 'timeoutMs and maxBytes must be positive');
    signal?.throwIfAborted();

    const bytes = await fetchBody({ url, source, transport, timeoutMs, maxBytes, signal, now, fail });
    const mediaType = requireDocument(bytes, accept, { endpoint, source });
    const stored = await storeBytes(store, bytes, mediaType, source);
    logger?.info('document downloaded', {
      source,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      mediaType: stored.mediaType,
      alreadyStored: stored.alreadyStored,
      ms: now() - started,
    });
    return { ...stored, source };
  } catch (error) {
    if (error instanceof ApiEntrepriseError) {
      logger?.warn('document download failed', { source, kind: error.kind, detail: error.message });
    }
    throw error;
  }
}

type Fail = (kind: ApiErrorKind, detail: string, extra?: { status?: number; retryAfterMs?: number | null }) => ApiEntrepriseError;

function checkUrl(url: string, fail: Fail): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('malformed_response', 'document_url is not a valid URL');
  }
  const source = `${parsed.origin}${parsed.pathname}`;
  if (parsed.username !== '' || parsed.password !== '') {
    throw fail('malformed_response', `document_url ${source} carries credentials: refused`);
  }
  // plain http only for the local fake API
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) {
    throw fail('malformed_response', `document_url ${source} is not an https URL: refused`);
  }
}

interface FetchBodyInput {
  url: string;
  source: string;
  transport: DocumentTransport;
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
  now: () => number;
  fail: Fail;
}

/** The whole body within the time and size limits, as one buffer. */
async function fetchBody(input: FetchBodyInput): Promise<Uint8Array> {
  const { url, source, transport, timeoutMs, maxBytes, signal, now, fail } = input;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(fail('timeout', `Document download from ${source} took longer than ${timeoutMs} ms`));
  }, timeoutMs);
  const onCancel = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onCancel, { once: true });
  // a transport that ignores the signal must not hold the download past its deadline
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const race = <T>(promise: Promise<T>) => Promise.race([promise, aborted]);

  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let response: Response | undefined;
  let complete = false;
  try {
    response = await race(
      transport(url, {
        method: 'GET',
        // no Authorization: the URL is pre-signed, and the token must not leave for another host
        headers: { Accept: 'application/pdf, application/zip;q=0.9, */*;q=0.1' },
        credentials: 'omit',
        redirect: 'follow',
        signal: controller.signal,
      }),
    );

    // a redirect may lead elsewhere: the final address must pass the same checks as the first
    if (response.redirected && response.url !== '') checkUrl(response.url, fail);
    if (response.status !== 200) throw statusError(response, source, now, fail);

    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw fail('document_too_large', `Document from ${source} announced ${declared} bytes, more than the ${maxBytes} allowed`);
    }

    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      reader = response.body.getReader();
      for (;;) {
        const { done, value } = await race(reader.read());
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          throw fail('document_too_large', `Document from ${source} exceeded ${maxBytes} bytes while downloading: stopped`);
        }
        chunks.push(value);
      }
    }
    complete = true;
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (timedOut) throw controller.signal.reason;
    if (signal?.aborted) throw signal.reason;
    if (error instanceof ApiEntrepriseError) throw error;
    const code = errorCode(error);
    const during = response ? 'while receiving the body' : 'before any answer';
    throw fail('network', `Document download from ${source} failed ${during}${code ? ` (${code})` : ''}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
    if (!complete) {
      // drop the connection rather than drain a body nobody will read
      controller.abort(controller.signal.reason ?? new Error('download abandoned'));
      if (reader) reader.cancel().catch(() => undefined);
      else response?.body?.cancel().catch(() => undefined);
    }
  }
}

function statusError(response: Response, source: string, now: () => number, fail: Fail): ApiEntrepriseError {
  const status = response.status;
  if (EXPIRED_LINK_STATUSES.has(status)) {
    return fail('document_expired', `Document host answered ${status} for ${source}: the link is no longer valid`, { status });
  }
  if (status === 429) {
    return fail('rate_limited', `Document host answered 429 for ${source}`, {
      status,
      retryAfterMs: retryAfterFromHeaders(response.headers, now()),
    });
  }
  const kind = status >= 500 ? classifyStatus(status, null) : 'unexpected_status';
  return fail(kind, `Document host answered ${status} for ${source}`, { status });
}

async function storeBytes(store: DocumentSink, bytes: Uint8Array, mediaType: DocumentMediaType, source: string): Promise<PutResult> {
  try {
    return await store.put(bytes, mediaType);
  } catch (error) {
    if (error instanceof ApiEntrepriseError) throw error;
    const code = errorCode(error);
    throw ApiEntrepriseError.local('document_storage', `Document from ${source} could not be stored${code ? ` (${code})` : ''}`);
  }
}
