import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { Prng } from '../../src-main/node/fake-api/deterministic-random';
import { startFakeApi, type FakeApiHandle, type FakeApiOptions } from '../../src-main/node/fake-api/fake-api-server';
import { parseLatency, sampleLatencyMs } from '../../src-main/node/fake-api/latency';

const TRACE = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Tests de robustesse' };
const SLOW_MS = 400;
const HUGE_BYTES = 3 * 1024 * 1024;

let api: FakeApiHandle;
let token: string;
let siren: string;
let siret: string;

beforeAll(async () => {
  api = await startFakeApi({ slowMs: SLOW_MS, hugeBodyBytes: HUGE_BYTES, providerRetryInSeconds: 7 });
  token = api.mintToken();
  const company = api.companies.example('urssaf_ok');
  siren = company.siren;
  siret = company.establishments[0]?.siret ?? '';
});

afterAll(async () => {
  await api.close();
});

afterEach(() => {
  api.faults.clear();
});

function address(target: FakeApiHandle, id: EndpointId, identifier: string): string {
  const url = new URL(`${target.url}${endpointPath(id, identifier)}`);
  for (const [key, value] of Object.entries(TRACE)) url.searchParams.set(key, value);
  return url.toString();
}

function get(id: EndpointId, identifier: string, init: RequestInit = {}, target: FakeApiHandle = api, bearer = token): Promise<Response> {
  return fetch(address(target, id, identifier), {
    ...init,
    headers: { Authorization: `Bearer ${bearer}`, 'Cache-Control': 'no-cache' },
  });
}

async function errorOf(response: Response): Promise<{ code: string; title: string; meta: Record<string, unknown> }> {
  const body = (await response.json()) as { errors: { code: string; title: string; meta: Record<string, unknown> }[] };
  const error = body.errors[0];
  if (!error) throw new Error('no error');
  return error;
}

describe('fake API: provider failures', () => {
  it('502 with a provider code and meta.retry_in', async () => {
    api.faults.forceNext('provider_error', 1, { endpoint: 'urssaf.attestation_vigilance' });
    const urssaf = await get('urssaf.attestation_vigilance', siren);
    expect(urssaf.status).toBe(502);
    expect(await errorOf(urssaf)).toMatchObject({ code: '04502', meta: { provider: 'ACOSS', retry_in: 7 } });
    expect(urssaf.headers.get('ratelimit-limit')).toBe('100');

    api.faults.forceNext('provider_error');
    const insee = await get('insee.unite_legale', siren);
    expect(await errorOf(insee)).toMatchObject({ code: '01999', meta: { provider: 'INSEE', retry_in: 7 } });
    expect(api.stats.faults.provider_error).toBe(2);
  });

  it('503 and 504 with the provider’s codes', async () => {
    api.faults.forceNext('unavailable');
    const unavailable = await get('insee.unite_legale', siren);
    expect(unavailable.status).toBe(503);
    expect((await errorOf(unavailable)).code).toBe('01001');
    api.faults.forceNext('gateway_timeout');
    const timeout = await get('dgfip.attestation_fiscale', siren);
    expect(timeout.status).toBe(504);
    expect(await errorOf(timeout)).toMatchObject({ code: '03002', meta: { provider: 'DGFIP - Adélie' } });
    api.faults.forceNext('conflict');
    const conflict = await get('insee.unite_legale', siren);
    expect(conflict.status).toBe(409);
    expect((await errorOf(conflict)).code).toBe('00015');
  });

  it('answers too late for a client timeout, and still answers', async () => {
    api.faults.forceNext('slow', 2);
    await expect(get('insee.unite_legale', siren, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    // like the real server, the abandoned call still runs: the same call now would get a 409
    const duplicate = await get('insee.unite_legale', siren);
    expect(duplicate.status).toBe(409);
    const started = performance.now();
    const late = await get('insee.siege_social', siren);
    expect(late.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 20);
  });
});

describe('fake API: broken answers', () => {
  it('an HTML error page with status 200', async () => {
    api.faults.forceNext('html_200');
    const response = await get('insee.unite_legale', siren);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    await expect(response.json()).rejects.toThrow();
  });

  it('malformed JSON with status 200', async () => {
    api.faults.forceNext('malformed_json');
    const response = await get('insee.unite_legale', siren);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text.startsWith('{"data":')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('a connection reset in the middle of the body', async () => {
    api.faults.forceNext('connection_reset');
    await expect(get('insee.unite_legale', siren).then((response) => response.text())).rejects.toThrow();
    expect(api.stats.byStatus.reset).toBe(1);
  });

  it('a huge body without Content-Length', async () => {
    api.faults.forceNext('huge_body');
    const response = await get('insee.unite_legale', siren);
    expect(response.headers.get('content-length')).toBeNull();
    const bytes = await response.arrayBuffer();
    expect(bytes.byteLength).toBeGreaterThan(HUGE_BYTES);
  });

  it('a truncated PDF behind a valid document_url', async () => {
    const answer = await get('urssaf.attestation_vigilance', siren);
    const url = ((await answer.json()) as { data: { document_url: string } }).data.document_url;
    api.faults.forceNext('truncated_pdf');
    const truncated = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(Buffer.from(truncated.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const complete = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(truncated.length).toBeLessThan(complete.length);
    expect(Buffer.from(truncated).toString('latin1')).not.toContain('%%EOF');
    await expect(PDFDocument.load(complete)).resolves.toBeDefined();
  });
});

describe('fake API: targeting faults', () => {
  it('forces a fault for one company, SIRET calls included, until cleared', async () => {
    api.faults.forceFor(siren, 'unavailable');
    expect((await get('insee.unite_legale', siren)).status).toBe(503);
    expect((await get('insee.etablissement', siret)).status).toBe(503);
    const other = api.companies.at(3);
    expect((await get('insee.unite_legale', other.siren)).status).toBe(200);
    api.faults.clear(siren);
    expect((await get('insee.unite_legale', siren)).status).toBe(200);
  });

  it('forces a fault for the next N matching calls only', async () => {
    api.faults.forceNext('provider_error', 2, { pool: 'json' });
    const statuses: number[] = [];
    // the URSSAF call is in another pool: it does not consume the forced faults
    statuses.push((await get('urssaf.attestation_vigilance', siren)).status);
    for (let i = 0; i < 3; i += 1) statuses.push((await get('insee.unite_legale', siren)).status);
    expect(statuses).toEqual([200, 502, 502, 200]);
    expect(api.faults.pending).toBe(0);
  });

  it('draws random faults deterministically from the seed', async () => {
    const run = async (options: FakeApiOptions): Promise<number[]> => {
      const target = await startFakeApi({ faultRate: 0.3, faultWeights: { provider_error: 1, unavailable: 1 }, ...options });
      try {
        const bearer = target.mintToken();
        const statuses: number[] = [];
        for (const company of target.companies.find(['active'], 40)) {
          statuses.push((await get('insee.unite_legale', company.siren, {}, target, bearer)).status);
        }
        expect(target.stats.faults.provider_error + target.stats.faults.unavailable).toBe(statuses.filter((s) => s !== 200).length);
        return statuses;
      } finally {
        await target.close();
      }
    };
    const first = await run({ seed: 'graine-a' });
    const again = await run({ seed: 'graine-a' });
    const other = await run({ seed: 'graine-b' });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const failures = first.filter((s) => s !== 200).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
    expect(new Set(first)).toEqual(new Set([200, 502, 503]));
  });
});

describe('fake API: latency', () => {
  it('draws a log-normal latency with the requested median and 99th percentile, reproducibly', () => {
    const spec = parseLatency('120:1500');
    const draws = Array.from({ length: 4_000 }, (_, i) => sampleLatencyMs(spec, new Prng('vigie', 'latency', i)));
    const sorted = [...draws].sort((a, b) => a - b);
    const median = sorted[2_000] ?? 0;
    const p99 = sorted[3_960] ?? 0;
    expect(median).toBeGreaterThan(105);
    expect(median).toBeLessThan(135);
    expect(p99).toBeGreaterThan(1_100);
    expect(p99).toBeLessThan(2_000);
    expect(sampleLatencyMs(spec, new Prng('vigie', 'latency', 7))).toBe(draws[7]);
    expect(sampleLatencyMs(parseLatency('40'), new Prng('x'))).toBe(40);
    expect(sampleLatencyMs(parseLatency('none'), new Prng('x'))).toBe(0);
  });

  it('delays answers by the configured latency', async () => {
    const slow = await startFakeApi({ latency: { kind: 'fixed', ms: 120 } });
    try {
      const started = performance.now();
      const response = await get('insee.unite_legale', slow.companies.at(0).siren, {}, slow, slow.mintToken());
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });
});
