import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { CATALOGUE_SCOPES, mintDevToken, verifyDevToken } from '../../src-main/node/fake-api/dev-token';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';

const TRACE = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Vérification fournisseur' };

interface ErrorBody {
  errors: { code: string; title: string; detail: string; source?: { parameter: string }; meta: Record<string, unknown> }[];
}

let api: FakeApiHandle;
let token: string;
let siren: string;
let siret: string;

beforeAll(async () => {
  api = await startFakeApi({ blacklistedJtis: ['jeton-divulgue'] });
  token = api.mintToken();
  const company = api.companies.example('active');
  siren = company.siren;
  siret = company.establishments[0]?.siret ?? '';
});

afterAll(async () => {
  await api.close();
});

function address(id: EndpointId, identifier: string | undefined, query: Record<string, string> = TRACE): string {
  const url = new URL(`${api.url}${endpointPath(id, identifier)}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

async function call(url: string, bearer: string | null = token): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers: bearer === null ? {} : { Authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

function firstError(body: unknown): ErrorBody['errors'][number] {
  const error = (body as ErrorBody).errors[0];
  if (!error) throw new Error('no error in body');
  return error;
}

describe('fake API: tokens', () => {
  it('mints tokens with exactly the claims of a real one, signed HS256', () => {
    const minted = mintDevToken({ jti: 'abc', uid: 'u-1', now: Date.parse('2026-01-01T00:00:00Z') });
    const header = JSON.parse(Buffer.from(minted.split('.')[0] ?? '', 'base64url').toString()) as unknown;
    expect(header).toEqual({ alg: 'HS256' });
    const check = verifyDevToken(minted);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(Object.keys(check.claims).sort()).toEqual(['exp', 'iat', 'jti', 'scopes', 'sub', 'uid', 'version']);
    expect(check.claims.scopes).toEqual([...CATALOGUE_SCOPES]);
    expect(check.claims.exp - check.claims.iat).toBeGreaterThan(540 * 86_400);
    expect(verifyDevToken(minted, 'another secret')).toEqual({ ok: false, reason: 'signature' });
  });

  it('answers 401 00101 without a token, with a garbage one, or one signed elsewhere', async () => {
    for (const bearer of [null, 'pas-un-jwt', mintDevToken({ secret: 'le secret de quelqu’un d’autre' })]) {
      const { status, body, headers } = await call(address('insee.unite_legale', siren), bearer);
      expect(status).toBe(401);
      expect(firstError(body)).toMatchObject({ code: '00101', title: 'Interdit', source: { parameter: 'token' }, meta: {} });
      expect(headers.get('ratelimit-limit')).toBe('250');
    }
  });

  it('refuses a token passed as a query parameter', async () => {
    const before = api.stats.tokenInQuery;
    const { status, body } = await call(address('insee.unite_legale', siren, { ...TRACE, token }), null);
    expect(status).toBe(401);
    expect(firstError(body).code).toBe('00101');
    expect(api.stats.tokenInQuery).toBe(before + 1);
  });

  it('answers 401 00103 to an expired token and 00105 to a blacklisted one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = api.mintToken({ issuedAt: now - 1_000, expiresAt: now - 10 });
    expect(firstError((await call(address('insee.unite_legale', siren), expired)).body)).toMatchObject({
      code: '00103',
      title: 'Jeton expiré',
    });
    const leaked = api.mintToken({ jti: 'jeton-divulgue' });
    expect(firstError((await call(address('insee.unite_legale', siren), leaked)).body).code).toBe('00105');
    const soonLeaked = api.mintToken({ jti: 'fuite-du-jour' });
    expect((await call(address('insee.unite_legale', siren), soonLeaked)).status).toBe(200);
    api.blacklist('fuite-du-jour');
    const refused = await call(address('insee.unite_legale', siren), soonLeaked);
    expect(refused.status).toBe(401);
    expect(firstError(refused.body).code).toBe('00105');
  });

  it('answers 403 00100 when the token lacks the scope, and lists the scopes on /privileges', async () => {
    const openDataOnly = api.mintToken({ scopes: ['open_data'] });
    const refused = await call(address('insee.unite_legale', siren), openDataOnly);
    expect(refused.status).toBe(403);
    expect(firstError(refused.body)).toMatchObject({ code: '00100', title: 'Privilèges insuffisants' });
    expect((await call(address('insee.unite_legale_diffusible', siren), openDataOnly)).status).toBe(200);
    // /privileges takes no trace parameters
    const privileges = await call(`${api.url}/privileges`, openDataOnly);
    expect(privileges.status).toBe(200);
    expect(privileges.body).toEqual({ data: { privileges: ['open_data'] }, links: {}, meta: {} });
  });
});

describe('fake API: parameters', () => {
  it('requires recipient (00203), context (00201) and object (00202)', async () => {
    const cases: [keyof typeof TRACE, string][] = [
      ['recipient', '00203'],
      ['context', '00201'],
      ['object', '00202'],
    ];
    for (const [missing, code] of cases) {
      const query: Record<string, string> = { ...TRACE };
      delete query[missing];
      const { status, body } = await call(address('urssaf.attestation_vigilance', siren, query));
      expect(status).toBe(422);
      expect(firstError(body)).toEqual({
        code,
        title: 'Entité non traitable',
        detail: `Le paramètre ${missing} est obligatoire`,
        source: { parameter: missing },
        meta: {},
      });
    }
    const none = await call(address('urssaf.attestation_vigilance', siren, {}));
    expect((none.body as ErrorBody).errors.map((e) => e.code)).toEqual(['00203', '00201', '00202']);
  });

  it('refuses a recipient that is not a SIRET and an object of 50 characters or more', async () => {
    const badRecipient = await call(address('insee.unite_legale', siren, { ...TRACE, recipient: '13002526500014' }));
    expect(badRecipient.status).toBe(422);
    expect(firstError(badRecipient.body)).toMatchObject({ code: '00203', source: { parameter: 'recipient' } });
    const longObject = await call(address('insee.unite_legale', siren, { ...TRACE, object: 'x'.repeat(50) }));
    expect(firstError(longObject.body)).toMatchObject({ code: '00202', source: { parameter: 'object' } });
    expect((await call(address('insee.unite_legale', siren, { ...TRACE, object: 'x'.repeat(49) }))).status).toBe(200);
  });

  it('answers 422 with the identifier code for a malformed SIREN or SIRET', async () => {
    const badSiren = await call(address('insee.unite_legale', '123456788'));
    expect(badSiren.status).toBe(422);
    expect(firstError(badSiren.body)).toMatchObject({ code: '00301', source: { parameter: 'siren' } });
    const badSiret = await call(address('insee.etablissement', `${siret.slice(0, 13)}${(Number(siret[13]) + 1) % 10}`));
    expect(firstError(badSiret.body)).toMatchObject({ code: '00302', source: { parameter: 'siret' } });
    const badAssociation = await call(address('djepva.association', 'W12'));
    expect(firstError(badAssociation.body)).toMatchObject({ code: '00333', source: { parameter: 'id' } });
  });

  it('answers the provider’s 404 for a valid SIREN it does not know', async () => {
    const { status, body } = await call(address('insee.unite_legale', '130025265'));
    expect(status).toBe(404);
    expect(firstError(body)).toMatchObject({ code: '01003', title: 'Entité non trouvée', meta: { provider: 'INSEE' } });
    expect(firstError(body).source).toBeUndefined();
  });

  it('answers 404 to unknown paths and 405 to other methods', async () => {
    expect((await fetch(`${api.url}/v3/nothing/here`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
    const post = await fetch(address('insee.unite_legale', siren), { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(post.status).toBe(405);
  });
});

describe('fake API: network exposure', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
    const reachable = (host: string): Promise<boolean> =>
      new Promise((resolve) => {
        const socket = connect({ host, port: api.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await reachable('127.0.0.1')).toBe(true);
    expect(await reachable('::1')).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && !info.internal && info.family === 'IPv4');
    if (external) expect(await reachable(external.address)).toBe(false);
  });
});
