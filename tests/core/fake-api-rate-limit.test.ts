import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { resolveOptions } from '../../src-main/node/fake-api/fake-api-options';
import { startFakeApi, type FakeApiHandle, type FakeApiOptions } from '../../src-main/node/fake-api/fake-api-server';

const TRACE = { recipient: '13002526500013', context: 'Marchés publics', object: 'Consultation 2026-14' };
/** 100 ms into a second, so window ends and second boundaries differ. */
const T0 = 1_800_000_000_100;

let clock = T0;

function address(api: FakeApiHandle, id: EndpointId, identifier?: string): string {
  const url = new URL(`${api.url}${endpointPath(id, identifier)}`);
  for (const [key, value] of Object.entries(TRACE)) url.searchParams.set(key, value);
  return url.toString();
}

function get(api: FakeApiHandle, id: EndpointId, identifier: string | undefined, token: string): Promise<Response> {
  return fetch(address(api, id, identifier), { headers: { Authorization: `Bearer ${token}` } });
}

async function withServer(options: FakeApiOptions, run: (api: FakeApiHandle) => Promise<void>): Promise<void> {
  const api = await startFakeApi({ now: () => clock, ...options });
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

describe('fake API: rate limits per token and pool', () => {
  let api: FakeApiHandle;
  let token: string;
  let siren: string;

  beforeAll(async () => {
    clock = T0;
    api = await startFakeApi({ now: () => clock, windowMs: 1_000, poolLimits: { json: 3 } });
    token = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
    siren = api.companies.example('active', 'dgfip_known').siren;
  });

  afterAll(async () => {
    await api.close();
  });

  it('counts down RateLimit-Remaining, then answers 429 00429 with Retry-After, then lets through after the window', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await get(api, 'insee.unite_legale', siren, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      expect(response.headers.get('ratelimit-reset')).toBe('1800000001');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await get(api, 'insee.unite_legale', siren, token);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      errors: [{ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', meta: {} }],
    });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe('1800000001');
    expect(api.stats.rateLimited).toBe(1);
    expect(api.stats.byPool.json.rateLimited).toBe(1);
    expect(api.stats.byPool.json.byStatus).toEqual({ '200': 3, '429': 1 });

    // other pools and other tokens have their own windows
    expect((await get(api, 'dgfip.attestation_fiscale', siren, token)).status).toBe(200);
    const otherToken = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
    expect((await get(api, 'insee.unite_legale', siren, otherToken)).status).toBe(200);

    clock = T0 + 1_000;
    const after = await get(api, 'insee.unite_legale', siren, token);
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit-remaining')).toBe('2');
    expect(after.headers.get('ratelimit-reset')).toBe('1800000002');
  });

  it('applies the DGFIP pool of five calls per window by default', async () => {
    clock = T0 + 10_000;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get(api, 'dgfip.attestation_fiscale', siren, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('fake API: rate-limit variants', () => {
  it('rounds RateLimit-Reset up to the next second for sub-second windows', async () => {
    clock = T0;
    await withServer({ windowMs: 250, poolLimits: { json: 1 } }, async (api) => {
      const token = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
      const siren = api.companies.at(0).siren;
      const first = await get(api, 'insee.unite_legale', siren, token);
      // the window ends at …000.250: announced as …001
      expect(first.headers.get('ratelimit-reset')).toBe('1800000001');
      const refused = await get(api, 'insee.unite_legale', siren, token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      clock = T0 + 150;
      expect((await get(api, 'insee.unite_legale', siren, token)).status).toBe(200);
    });
  });

  it('can leave Retry-After out, so clients must fall back on RateLimit-Reset', async () => {
    clock = T0;
    await withServer({ retryAfter: false, poolLimits: { urssaf: 1 } }, async (api) => {
      const token = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
      const siren = api.companies.example('urssaf_ok').siren;
      expect((await get(api, 'urssaf.attestation_vigilance', siren, token)).status).toBe(200);
      const refused = await get(api, 'urssaf.attestation_vigilance', siren, token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBeNull();
      // one-minute windows aligned on the epoch: this one ends at 1800000060
      expect(refused.headers.get('ratelimit-reset')).toBe('1800000060');
    });
  });

  it('enforces the per-IP ceiling whatever the token, and scales it with the window', async () => {
    expect(resolveOptions({ windowMs: 1_000 }).globalCeilings).toEqual([
      { limit: 1000, windowMs: 1_000 },
      { limit: 2000, windowMs: 10_000 },
    ]);
    clock = T0;
    await withServer({ windowMs: 1_000, globalCeilings: [{ limit: 4, windowMs: 1_000 }] }, async (api) => {
      const tokens = [api.mintToken(), api.mintToken()];
      const siren = api.companies.at(0).siren;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await get(api, 'insee.unite_legale', siren, tokens[i % 2] ?? '')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(api.stats.ipCeilingHits).toBe(1);
    });
  });

  it('bans an IP that keeps calling through 429s: it then gets no answer at all', async () => {
    clock = T0;
    await withServer({ poolLimits: { json: 1 }, ipBan: { afterIgnored429: 2, durationMs: 60_000 } }, async (api) => {
      const token = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
      const siren = api.companies.at(0).siren;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await get(api, 'insee.unite_legale', siren, token)).status);
      expect(statuses).toEqual([200, 429, 429, 429]);
      await expect(get(api, 'insee.unite_legale', siren, token)).rejects.toThrow();
      expect(api.stats.bannedRequests).toBe(1);
    });
  });

  it('answers 409 00015 to a call identical to one still running', async () => {
    clock = T0;
    await withServer({ latency: { kind: 'fixed', ms: 150 } }, async (api) => {
      const token = api.mintToken({ issuedAt: Math.floor(T0 / 1000) });
      const siren = api.companies.at(0).siren;
      const responses = await Promise.all([get(api, 'insee.unite_legale', siren, token), get(api, 'insee.unite_legale', siren, token)]);
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const conflict = responses.find((r) => r.status === 409);
      expect(((await conflict?.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('00015');
      expect(api.stats.maxInFlight).toBeGreaterThanOrEqual(2);
    });
  });
});
