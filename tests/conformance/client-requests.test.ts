// Every request the client can emit, checked against the official contract: path and method
// exist, the mandatory query and header parameters are there, and the token travels as the
// contract's Bearer scheme — never in the URL.
import { describe, expect, it } from 'vitest';
import type { NormalizedAnswer } from '../../src-main/common/company-records';
import { ApiEntrepriseClient, type HttpTransport } from '../../src-main/node/api-entreprise/api-client';
import { ENDPOINT_IDS, ENDPOINTS, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { RateLimiter } from '../../src-main/node/api-entreprise/rate-limiter';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { findOperation, requiredHeaderParameters, requiredQueryParameters, securityRequired, securitySchemes } from './openapi-contract';

const TOKEN = 'header.payload.signature-of-a-test-token';
const empty: NormalizedAnswer = { company: null, establishment: null, attestations: [], facts: {} };

interface Captured {
  url: URL;
  method: string;
  headers: Record<string, string>;
}

async function captureRequest(endpoint: EndpointId, options: { bypassCache?: boolean } = {}): Promise<Captured> {
  const captured: Captured[] = [];
  const transport: HttpTransport = (url, init) => {
    captured.push({ url: new URL(url), method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) } });
    return Promise.resolve(new Response('{"data":{},"links":{},"meta":{}}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
  };
  const client = new ApiEntrepriseClient({
    baseUrl: 'https://entreprise.api.gouv.fr',
    transport,
    tokenProvider: () => TOKEN,
    defaults: { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Mise à jour du registre' },
    limiter: new RateLimiter(),
    normalize: () => empty,
  });
  const kind = ENDPOINTS[endpoint].identifier;
  const identifier = kind === 'siren' ? makeSiren(7) : kind === 'siret' ? makeSiret(7) : null;
  await client.call(endpoint, identifier, options);
  expect(captured).toHaveLength(1);
  return captured[0] as Captured;
}

/** The contract's verdict on one request: an empty list when it conforms. */
function contractViolations(request: Captured): string[] {
  const violations: string[] = [];
  const match = findOperation(request.method, request.url.pathname);
  if (!match) return [`${request.method} ${request.url.pathname} is not in the contract`];
  for (const name of requiredQueryParameters(match.template)) {
    const value = request.url.searchParams.get(name);
    if (value === null || value.trim() === '') violations.push(`missing query parameter ${name}`);
  }
  const headerNames = Object.keys(request.headers).map((h) => h.toLowerCase());
  for (const name of requiredHeaderParameters(match.template)) {
    if (!headerNames.includes(name.toLowerCase())) violations.push(`missing header ${name}`);
  }
  if (securityRequired(match.template)) {
    const schemes = securitySchemes(match.template);
    const bearer = schemes.some((s) => s.type === 'http' && s.scheme?.toLowerCase() === 'bearer');
    if (!bearer) violations.push('contract security is not a Bearer scheme');
    if (!/^Bearer [^\s]+$/.test(request.headers.Authorization ?? '')) violations.push('no Authorization: Bearer header');
  }
  if (request.url.toString().includes(TOKEN)) violations.push('token in the URL');
  return violations;
}

describe('requests conform to the official contract', () => {
  it.each(ENDPOINT_IDS)('%s', async (endpoint) => {
    const request = await captureRequest(endpoint);
    expect(request.method).toBe('GET');
    expect(contractViolations(request)).toEqual([]);
    expect(request.url.protocol).toBe('https:');
  });

  it('keeps conforming when the user forces a fresh answer (Cache-Control is a documented header)', async () => {
    const request = await captureRequest('urssaf.attestation_vigilance', { bypassCache: true });
    expect(request.headers['Cache-Control']).toBe('no-cache');
    expect(contractViolations(request)).toEqual([]);
  });

  it('would catch a dropped mandatory parameter, an unknown path or a token in the URL', async () => {
    const request = await captureRequest('dgfip.attestation_fiscale');
    const withoutObject = new URL(request.url);
    withoutObject.searchParams.delete('object');
    expect(contractViolations({ ...request, url: withoutObject })).toEqual(['missing query parameter object']);
    const unknownPath = new URL(request.url);
    unknownPath.pathname = unknownPath.pathname.replace('/v4/dgfip/', '/v4/dgfip_typo/');
    expect(contractViolations({ ...request, url: unknownPath })[0]).toMatch(/not in the contract/);
    const leaky = new URL(request.url);
    leaky.searchParams.set('token', TOKEN);
    expect(contractViolations({ ...request, url: leaky })).toContain('token in the URL');
    expect(contractViolations({ ...request, headers: { Accept: 'application/json' } })).toContain('no Authorization: Bearer header');
  });
});
