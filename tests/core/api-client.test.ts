import { describe, expect, it, vi } from 'vitest';
import { ApiEntrepriseClient, type ApiClientOptions, type HttpTransport } from '../../src-main/node/api-entreprise/api-client';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { RateLimiter } from '../../src-main/node/api-entreprise/rate-limiter';
import type { NormalizedAnswer } from '../../src-main/common/company-records';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { mintTestToken } from '../support/test-tokens';

// minted by the test, never a stored token
const TOKEN = mintTestToken({ iat: 1_700_000_000, exp: 2_000_000_000 });
const COMMUNE = makeSiret(999);
const SIREN = makeSiren(1);

const empty: NormalizedAnswer = { company: null, establishment: null, attestations: [], facts: {} };

interface Scripted {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

function scriptedTransport(script: Scripted[]) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const transport: HttpTransport = async (url, init) => {
    requests.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    const next = script.shift() ?? { status: 500, body: { errors: [{ code: '99999' }] } };
    if (next.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, next.delayMs);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    }
    const window = Math.ceil(Date.now() / 1000) + 60;
    return new Response(next.text ?? JSON.stringify(next.body ?? { data: {}, links: {}, meta: {} }), {
      status: next.status,
      headers: {
        'Content-Type': next.text ? 'text/html' : 'application/json',
        'RateLimit-Limit': '250',
        'RateLimit-Remaining': '200',
        'RateLimit-Reset': String(window),
        ...next.headers,
      },
    });
  };
  return { transport, requests };
}

function client(transport: HttpTransport, overrides: Partial<ApiClientOptions> = {}) {
  return new ApiEntrepriseClient({
    baseUrl: 'http://127.0.0.1:9/',
    transport,
    tokenProvider: () => TOKEN,
    defaults: { recipient: COMMUNE, context: 'Gestion d’un référentiel tiers', object: 'Registre des tiers' },
    limiter: new RateLimiter(),
    normalize: () => empty,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2_000 },
    random: () => 0.5,
    ...overrides,
  });
}

const jsonApiError = (code: string, extra: Record<string, unknown> = {}) => ({ errors: [{ code, title: 't', detail: 'd', meta: extra }] });

async function failure(promise: Promise<unknown>): Promise<ApiEntrepriseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiEntrepriseError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('requests', () => {
  it('sends the token only as a Bearer header and the mandatory parameters in the query', async () => {
    const { transport, requests } = scriptedTransport([{ status: 200 }]);
    const tokenProvider = vi.fn(() => TOKEN);
    const result = await client(transport, { tokenProvider }).call('insee.unite_legale', `${SIREN.slice(0, 3)} ${SIREN.slice(3)}`);
    expect(result).toMatchObject({ status: 200, identifier: SIREN, attempts: 1 });
    const [request] = requests;
    const url = new URL(request?.url ?? '');
    expect(url.pathname).toBe(`/v4/insee/sirene/unites_legales/${SIREN}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      recipient: COMMUNE,
      context: 'Gestion d’un référentiel tiers',
      object: 'Registre des tiers',
    });
    expect(request?.url).not.toContain(TOKEN);
    expect(request?.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['Cache-Control']).toBeUndefined();
    expect(tokenProvider).toHaveBeenCalledTimes(1);
  });

  it('overrides the context per call and bypasses the server cache only when asked', async () => {
    const { transport, requests } = scriptedTransport([{ status: 200, headers: { 'X-Response-Cached': 'true' } }]);
    const result = await client(transport).call('urssaf.attestation_vigilance', SIREN, {
      context: { context: 'Marchés publics', object: 'Marché 2026-14' },
      bypassCache: true,
    });
    expect(result.cached).toBe(true);
    expect(new URL(requests[0]?.url ?? '').searchParams.get('object')).toBe('Marché 2026-14');
    expect(requests[0]?.headers['Cache-Control']).toBe('no-cache');
  });

  it('refuses bad parameters before any request, with French messages', async () => {
    const { transport, requests } = scriptedTransport([]);
    const c = client(transport);
    const cases: [Promise<unknown>, RegExp][] = [
      [c.call('insee.unite_legale', '123456789'), /clé de contrôle/],
      [c.call('insee.etablissement', SIREN), /14 chiffres/],
      [c.call('insee.unite_legale', SIREN, { context: { recipient: '12345678901234' } }), /SIRET de la commune/],
      [c.call('insee.unite_legale', SIREN, { context: { object: 'x'.repeat(50) } }), /moins de 50 caractères/],
      [c.call('insee.unite_legale', SIREN, { context: { context: '  ' } }), /cadre de la demande/],
    ];
    for (const [promise, message] of cases) {
      const error = await failure(promise);
      expect(error.kind).toBe('local_validation');
      expect(error.userMessage).toMatch(message);
    }
    expect(requests).toHaveLength(0);
  });
});

describe('errors and retries', () => {
  it('classifies final answers and never retries them', async () => {
    const cases: [number, string, string][] = [
      [403, '00100', 'not_authorized'],
      [404, '04003', 'not_found'],
      [422, '00201', 'bad_parameter'],
      [451, '00451', 'legally_unavailable'],
    ];
    for (const [status, code, kind] of cases) {
      const { transport, requests } = scriptedTransport([{ status, body: jsonApiError(code, { provider: 'INSEE' }) }]);
      const error = await failure(client(transport).call('insee.unite_legale', SIREN));
      expect(error).toMatchObject({ kind, status, code, retryable: false });
      expect(requests).toHaveLength(1);
    }
  });

  it('retries provider failures, waiting at least what the provider asks', async () => {
    const { transport, requests } = scriptedTransport([
      { status: 502, body: jsonApiError('04501', { provider: 'URSSAF', retry_in: 0.05 }) },
      { status: 503, body: jsonApiError('04502') },
      { status: 200 },
    ]);
    const started = Date.now();
    const result = await client(transport).call('urssaf.attestation_vigilance', SIREN);
    expect(result.attempts).toBe(3);
    expect(requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives back a provider failure whose retry_in is beyond the policy', async () => {
    const { transport, requests } = scriptedTransport([{ status: 502, body: jsonApiError('04501', { retry_in: 3600 }) }]);
    const error = await failure(client(transport).call('dgfip.attestation_fiscale', SIREN));
    expect(error).toMatchObject({ kind: 'provider_error', retryInSeconds: 3600, retryable: true });
    expect(requests).toHaveLength(1);
  });

  it('times out, retries a bounded number of times, then reports a timeout', async () => {
    const { transport, requests } = scriptedTransport([{ status: 200, delayMs: 500 }, { status: 200, delayMs: 500 }, { status: 200, delayMs: 500 }]);
    const error = await failure(client(transport, { timeoutsMs: { json: 40 } }).call('insee.unite_legale', SIREN));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(requests).toHaveLength(3);
  });

  it('waits out a 429 and reads its delay from Retry-After, else from RateLimit-Reset', async () => {
    const { transport, requests } = scriptedTransport([
      {
        status: 429,
        body: jsonApiError('00429'),
        headers: { 'Retry-After': '1', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1) },
      },
      { status: 200 },
    ]);
    const started = Date.now();
    await client(transport).call('insee.unite_legale', SIREN);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    const reset = Math.ceil(Date.now() / 1000) + 30;
    const { transport: t2 } = scriptedTransport([
      { status: 429, body: jsonApiError('00429'), headers: { 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(reset) } },
    ]);
    const error = await failure(client(t2, { retry: { maxAttempts: 1 } }).call('insee.unite_legale', SIREN));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('treats an HTML page with status 200 as an unreadable answer, worth a bounded retry', async () => {
    const page = { status: 200, text: '<html><body>Maintenance</body></html>' };
    const { transport, requests } = scriptedTransport([page, page, page]);
    const error = await failure(client(transport).call('insee.unite_legale', SIREN));
    expect(error).toMatchObject({ kind: 'malformed_response', retryable: true });
    expect(requests).toHaveLength(3);
  });

  it('does not retry an answer that parses but does not fit the endpoint', async () => {
    const { transport, requests } = scriptedTransport([{ status: 200, body: { data: 'nonsense' } }]);
    const normalize = () => {
      throw new Error('data: expected object');
    };
    const error = await failure(client(transport, { normalize }).call('insee.unite_legale', SIREN));
    expect(error).toMatchObject({ kind: 'malformed_response', retryable: false });
    expect(requests).toHaveLength(1);
  });

  it('stops every call once the token is refused, until a new token is accepted', async () => {
    const { transport, requests } = scriptedTransport([{ status: 401, body: jsonApiError('00105') }, { status: 200 }]);
    const onTokenRefused = vi.fn();
    const c = client(transport, { onTokenRefused });
    const first = await failure(c.call('insee.unite_legale', SIREN));
    expect(first).toMatchObject({ kind: 'token_blacklisted', retryable: false });
    expect(first.userMessage).toMatch(/révoqué/);
    const second = await failure(c.call('urssaf.attestation_vigilance', SIREN));
    expect(second.kind).toBe('token_blacklisted');
    expect(requests).toHaveLength(1);
    expect(onTokenRefused).toHaveBeenCalledTimes(1);
    c.acceptNewToken();
    await c.call('insee.unite_legale', SIREN);
    expect(requests).toHaveLength(2);
  });

  it('says so when no token is stored, without sending anything', async () => {
    const { transport, requests } = scriptedTransport([]);
    const error = await failure(client(transport, { tokenProvider: () => null }).call('insee.unite_legale', SIREN));
    expect(error.kind).toBe('token_missing');
    expect(requests).toHaveLength(0);
  });

  it('keeps the token out of every error, log record and serialisation', async () => {
    const attempts: unknown[] = [];
    const hostile: HttpTransport = (url, init) =>
      Promise.reject(new TypeError(`fetch failed for ${url} with ${JSON.stringify(init.headers)}`));
    const error = await failure(client(hostile, { onAttempt: (r) => attempts.push(r) }).call('insee.unite_legale', SIREN));
    expect(error.kind).toBe('network');
    for (const text of [String(error), error.message, error.stack ?? '', JSON.stringify(error), JSON.stringify(attempts), error.userMessage]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split('.')[2] as string);
    }
    expect(attempts).toHaveLength(3);
  });
});

describe('documents', () => {
  it('downloads the document at once, within the URL lifetime, and fails the call when it cannot', async () => {
    const body = { data: { document_url: 'http://127.0.0.1:9/doc.pdf?sig=abc', document_url_expires_in: 86_400 }, links: {}, meta: {} };
    const { transport } = scriptedTransport([{ status: 200, body }, { status: 200, body }, { status: 200, body }, { status: 200, body }]);
    const fetchDocument = vi.fn().mockResolvedValueOnce({ sha256: 'a'.repeat(64), sizeBytes: 10, mediaType: 'application/pdf', storedPath: 'aa/aa/x.pdf' });
    const c = client(transport, { fetchDocument });
    const result = await c.call('urssaf.attestation_vigilance', SIREN);
    expect(result.document?.sha256).toBe('a'.repeat(64));
    const request = fetchDocument.mock.calls[0]?.[0] as { expiresAt: number; accept: string[]; url: string };
    expect(request.url).toBe(body.data.document_url);
    expect(request.accept).toEqual(['application/pdf']);
    expect(request.expiresAt - result.receivedAt).toBe(86_400_000);

    // a truncated download is tried again with a fresh answer, a bounded number of times
    fetchDocument.mockRejectedValue(
      new ApiEntrepriseError({ kind: 'document_invalid', endpoint: 'urssaf.attestation_vigilance', status: null, code: null, provider: null, retryInSeconds: null, retryAfterMs: null, detail: 'not a pdf' }),
    );
    const error = await failure(c.call('urssaf.attestation_vigilance', SIREN));
    expect(error.kind).toBe('document_invalid');
    expect(fetchDocument).toHaveBeenCalledTimes(4);
  });
});
