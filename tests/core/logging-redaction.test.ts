// The redaction layer every log line passes through: secrets in every form they reach a log in
// (JWTs, Authorization headers, `token=` parameters, secret-named fields at any depth, errors and
// their stacks, the token registered at run time) never come out; ordinary text comes out as is.
import { describe, expect, it } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { mintDevToken } from '../../src-main/node/fake-api/dev-token';
import {
  isSecretFieldName,
  MAX_STRING_LENGTH,
  REDACTED,
  Redactor,
  registerSecret,
  sharedRedactor,
} from '../../src-main/node/logging/redaction';

// a token of the shape API Entreprise issues (HS256 JWT with uid, jti, scopes...)
const JWT = mintDevToken({ now: Date.UTC(2026, 10, 28) });
const OPAQUE = 'sk_live_4f9a2c7e1b3d5f60'; // not JWT-shaped: only the runtime registration catches it

/** Everything a value serialises to: the test for "the secret is nowhere". */
const dump = (value: unknown) => JSON.stringify(value);

describe('text', () => {
  it('removes JWT-shaped strings wherever they are', () => {
    const r = new Redactor();
    expect(JWT).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const text of [
      JWT,
      `token refused: ${JWT}.`,
      `https://entreprise.api.gouv.fr/v3/x?jwt=${JWT}&y=1`,
      `(${JWT})`,
      `"${JWT}"`,
      // unsigned JWT (alg none): empty signature
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"123"}').toString('base64url')}.`,
    ]) {
      const out = r.redactText(text);
      expect(out).not.toMatch(/eyJ[\w-]{2,}\.[\w-]{2,}/);
      expect(out).toContain(REDACTED);
    }
    expect(r.redactText(`before ${JWT} after`)).toBe(`before ${REDACTED} after`);
  });

  it('removes Authorization and Bearer values in every spelling', () => {
    const r = new Redactor();
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def-123', `Authorization: ${REDACTED}`],
      ['authorization=Basic dXNlcjpwYXNz', `authorization=${REDACTED}`],
      ['{"Authorization":"Bearer abc123"}', `{"Authorization":"${REDACTED}"}`],
      ["headers: { authorization: 'Bearer abc123' }", `headers: { authorization: '${REDACTED}' }`],
      ['Proxy-Authorization: Digest xyz', `Proxy-Authorization: ${REDACTED}`],
      ['fetch failed (bearer abc123 refused)', `fetch failed (bearer ${REDACTED} refused)`],
      ['sent Bearer abc123, got 401', `sent Bearer ${REDACTED}, got 401`],
    ];
    for (const [input, expected] of cases) expect(r.redactText(input)).toBe(expected);
    // idempotent: redacting twice changes nothing more
    expect(r.redactText(r.redactText('Authorization: Bearer abc'))).toBe(`Authorization: ${REDACTED}`);
    // the word alone is not a secret
    expect(r.redactText('Authorization header missing')).toBe('Authorization header missing');
  });

  it('removes token= and other secret parameters of URLs, forms and command lines', () => {
    const r = new Redactor();
    expect(r.redactText('GET /v3/insee/x?token=abc123&recipient=13002526500013')).toBe(
      `GET /v3/insee/x?token=${REDACTED}&recipient=13002526500013`,
    );
    expect(r.redactText('https://h/p?a=1&access_token=xyz#frag')).toBe(`https://h/p?a=1&access_token=${REDACTED}#frag`);
    expect(r.redactText('api_key=k1 password=p2 client_secret="s 3"')).toBe(`api_key=${REDACTED} password=${REDACTED} client_secret=${REDACTED}`);
    expect(r.redactText('https://s3/doc.pdf?X-Amz-Credential=AKIA/x&X-Amz-Signature=abcdef')).toBe(
      `https://s3/doc.pdf?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}`,
    );
    // names that merely contain the word are not secrets
    expect(r.redactText('tokenInQuery=3 retryAfter=2')).toBe('tokenInQuery=3 retryAfter=2');
  });

  it('removes secret members of JSON quoted inside a message', () => {
    const r = new Redactor();
    const body = JSON.stringify({ data: { token: 'abc', nested: { password: 'p\\"q' } }, jwt: 'x' });
    const out = r.redactText(`answer: ${body}`);
    expect(out).not.toMatch(/"abc"|p\\\\"q|"x"/);
    expect(JSON.parse(out.slice('answer: '.length))).toEqual({ data: { token: REDACTED, nested: { password: REDACTED } }, jwt: REDACTED });
  });

  it('leaves ordinary French text, identifiers, dates and plain URLs unchanged', () => {
    const r = new Redactor();
    for (const text of [
      'Import terminé : 995 fournisseurs créés, 5 rejetés.',
      'SIRET 13002526500013, SIREN 130025265',
      '2026-11-28T02:00:00.000Z',
      'https://entreprise.api.gouv.fr/v3/urssaf/unites_legales/130025265/attestation_vigilance?recipient=13002526500013',
      'Le jeton API Entreprise a expiré : demandez-en un nouveau.',
      'eyJ alone is not a token, nor is a.b.c',
    ]) {
      expect(r.redactText(text)).toBe(text);
    }
  });

  it('cuts a huge string after redacting it, so that a cut never exposes half a secret', () => {
    const r = new Redactor();
    const long = `${'x'.repeat(MAX_STRING_LENGTH - 10)} ${JWT} ${'y'.repeat(50_000)}`;
    const out = r.redactText(long);
    expect(out).not.toContain(JWT.slice(0, 20));
    expect(out.length).toBeLessThan(MAX_STRING_LENGTH + 100);
    expect(out).toMatch(/more characters\]$/);
  });
});

describe('secrets registered at run time', () => {
  it('masks the registered token in every form it may take, until it is unregistered', () => {
    const r = new Redactor();
    const forget = r.registerSecret(OPAQUE);
    const encoded = encodeURIComponent(`${OPAQUE}/+`);
    expect(r.redactText(`token ${OPAQUE} refused`)).toBe(`token ${REDACTED} refused`);
    expect(r.redactText(`x=${Buffer.from(OPAQUE).toString('base64')}`)).toBe(`x=${REDACTED}`);
    const withSlash = new Redactor();
    withSlash.registerSecret(`${OPAQUE}/+`);
    expect(withSlash.redactText(`?q=${encoded}`)).toBe(`?q=${REDACTED}`);
    // in keys and values, at any depth
    const value = r.redactValue({ list: [{ deep: { text: `a ${OPAQUE} b` } }], [OPAQUE]: 1 });
    expect(dump(value)).not.toContain(OPAQUE);
    forget();
    forget();
    expect(r.secretCount).toBe(0);
    expect(r.redactText(`token ${OPAQUE}`)).toBe(`token ${OPAQUE}`);
  });

  it('ignores values too short to be a secret, and counts registrations', () => {
    const r = new Redactor();
    r.registerSecret('1234');
    expect(r.secretCount).toBe(0);
    expect(r.redactText('code 1234')).toBe('code 1234');
    const a = r.registerSecret(OPAQUE);
    const b = r.registerSecret(OPAQUE);
    a();
    expect(r.redactText(OPAQUE)).toBe(REDACTED);
    b();
    expect(r.redactText(OPAQUE)).toBe(OPAQUE);
    r.registerSecret(OPAQUE);
    r.clearSecrets();
    expect(r.redactText(OPAQUE)).toBe(OPAQUE);
  });

  it('a longer secret containing a shorter one is removed whole', () => {
    const r = new Redactor();
    r.registerSecret('abcdefgh');
    r.registerSecret('abcdefgh-ijklmnop');
    expect(r.redactText('v=abcdefgh-ijklmnop;')).toBe(`v=${REDACTED};`);
  });

  it('the shared redactor is the one registerSecret feeds', () => {
    const forget = registerSecret(OPAQUE);
    try {
      expect(sharedRedactor.redactText(OPAQUE)).toBe(REDACTED);
    } finally {
      forget();
    }
    expect(sharedRedactor.redactText(OPAQUE)).toBe(OPAQUE);
  });
});

describe('structured fields', () => {
  it('masks fields named like secrets at any depth, and keeps flags and counts', () => {
    const r = new Redactor();
    const fields = {
      endpoint: 'urssaf.attestation_vigilance',
      request: {
        headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k', Accept: 'application/json' },
        body: [{ token: 'abc' }, { accessToken: 'def' }, { client_secret: 'ghi' }, { PASSWORD: 'jkl' }, { jwt: 'mno' }],
      },
      config: { credentials: { user: 'u', pass: 'p' }, cookie: 'c=1' },
      tokenRefused: true,
      tokenInQuery: 3,
      token: null,
    };
    const out = r.redactFields(fields);
    expect(out).toEqual({
      endpoint: 'urssaf.attestation_vigilance',
      request: {
        headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, Accept: 'application/json' },
        body: [{ token: REDACTED }, { accessToken: REDACTED }, { client_secret: REDACTED }, { PASSWORD: REDACTED }, { jwt: REDACTED }],
      },
      config: { credentials: REDACTED, cookie: REDACTED },
      tokenRefused: true,
      tokenInQuery: 3,
      token: null,
    });
    for (const name of ['token', 'Authorization', 'x-api-key', 'clientSecret', 'refresh_token', 'passwd']) expect(isSecretFieldName(name)).toBe(true);
    for (const name of ['tokenInQuery', 'endpoint', 'siret', 'authorizedScopes']) expect(isSecretFieldName(name)).toBe(false);
  });

  it('redacts strings inside arrays, Maps, Sets, Headers and URLs', () => {
    const r = new Redactor();
    const headers = new Headers({ authorization: `Bearer ${JWT}`, 'content-type': 'application/json' });
    const out = r.redactValue({
      list: [`Bearer ${JWT}`],
      map: new Map<string, unknown>([['authorization', 'x'], ['note', JWT]]),
      set: new Set([JWT]),
      headers,
      url: new URL(`https://h/p?token=${JWT}`),
    });
    expect(dump(out)).not.toContain(JWT);
    expect(out).toMatchObject({ map: { authorization: REDACTED, note: REDACTED }, headers: { authorization: REDACTED, 'content-type': 'application/json' } });
  });

  it('turns errors into name, message, stack, code and cause, all redacted', () => {
    const r = new Redactor();
    const root = Object.assign(new Error(`socket closed while sending Authorization: Bearer ${JWT}`), { code: 'ECONNRESET' });
    const error = new Error(`request failed for ${JWT}`, { cause: root });
    (error as Error & { config?: unknown }).config = { headers: { authorization: `Bearer ${JWT}` } };
    const out = r.redactValue({ error }) as { error: Record<string, unknown> };
    expect(dump(out)).not.toContain(JWT.slice(10, 40));
    expect(out.error.name).toBe('Error');
    expect(out.error.message).toBe(`request failed for ${REDACTED}`);
    expect(String(out.error.stack)).toMatch(/^Error: request failed for \[redacted\]\n\s+at /);
    expect(out.error.config).toEqual({ headers: { authorization: REDACTED } });
    expect(out.error.cause).toMatchObject({ name: 'Error', code: 'ECONNRESET', message: `socket closed while sending Authorization: ${REDACTED}` });
  });

  it('uses what an API error says about itself, plus its stack', () => {
    const r = new Redactor();
    const error = new ApiEntrepriseError({
      kind: 'network',
      endpoint: 'insee.unite_legale',
      status: null,
      code: null,
      provider: null,
      retryInSeconds: null,
      retryAfterMs: null,
      detail: `network on insee.unite_legale: TypeError: fetch failed (Bearer ${JWT})`,
    });
    const out = r.redactValue(error) as Record<string, unknown>;
    expect(out).toMatchObject({ name: 'ApiEntrepriseError', kind: 'network', endpoint: 'insee.unite_legale', retryable: true });
    expect(dump(out)).not.toContain(JWT);
    expect(typeof out.stack).toBe('string');
  });

  it('never throws: cycles, depth, bytes, bigint, functions, throwing getters', () => {
    const r = new Redactor();
    const cycle: Record<string, unknown> = { name: 'a' };
    cycle.self = cycle;
    let deep: Record<string, unknown> = { leaf: JWT };
    for (let i = 0; i < 50; i += 1) deep = { deep };
    const out = r.redactValue({
      cycle,
      deep,
      bytes: Buffer.from(JWT),
      big: 10n ** 30n,
      fn: function named() {},
      date: new Date(Date.UTC(2026, 0, 2)),
      many: Array.from({ length: 1_000 }, (_, i) => i),
    }) as Record<string, unknown>;
    expect(out.cycle).toEqual({ name: 'a', self: '[circular]' });
    expect(dump(out.deep)).toContain('[object]');
    expect(out.bytes).toBe(`[${Buffer.byteLength(JWT)} bytes]`);
    expect(out.big).toBe('1000000000000000000000000000000');
    expect(out.fn).toBe('[function named]');
    expect(out.date).toBe('2026-01-02T00:00:00.000Z');
    expect((out.many as unknown[]).length).toBe(101);
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(() => r.redactValue(hostile)).not.toThrow();
    expect(r.redactFields(undefined)).toEqual({});
  });

  it('a seeded fuzz: the token planted anywhere in random text never comes out', () => {
    const r = new Redactor();
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pieces = [' ', '=', '&', '"', "'", ':', ',', ';', '\n', '(', ')', 'Bearer ', 'token=', 'Authorization: ', 'é', '/', '?', '%20'];
    for (let i = 0; i < 500; i += 1) {
      let text = '';
      for (let j = 0; j < 12; j += 1) text += pieces[Math.floor(random() * pieces.length)];
      const at = Math.floor(random() * (text.length + 1));
      const planted = `${text.slice(0, at)}${JWT}${text.slice(at)}`;
      const out = r.redactText(planted);
      expect(out).not.toContain(JWT.split('.')[2]);
      expect(out).not.toContain(JWT.split('.')[1]?.slice(0, 24));
    }
  });
});
