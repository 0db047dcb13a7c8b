// The contract module itself: path matching, parameters, security, and response validation that
// accepts the contract's own examples and rejects bodies that break it (so that "valid" means
// something when other tests use it).
import { describe, expect, it } from 'vitest';
import {
  findOperation,
  getOperation,
  hasResponseSchema,
  jsonResponseSchema,
  parameters,
  pathParameterNames,
  pathTemplates,
  requiredHeaderParameters,
  requiredQueryParameters,
  responseExamples,
  responseHeaderNames,
  securityRequired,
  securitySchemes,
  sharedApiEntreprisePath,
  validateResponseBody,
} from './openapi-contract';

const URSSAF = '/v4/urssaf/unites_legales/{siren}/attestation_vigilance';

function urssafBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: {
      entity_status: { code: 'ok', libelle: 'Attestation délivrée', description: 'Délivrée.' },
      date_debut_validite: '2024-01-15',
      date_fin_validite: '2024-07-31',
      code_securite: 'ABCDEF123456789',
      document_url: 'https://example.test/attestation.pdf',
      document_url_expires_in: 86400,
      ...overrides,
    },
    links: {},
    meta: {},
  };
}

describe('loading', () => {
  it('lists the contract’s path templates', () => {
    const templates = pathTemplates();
    expect(templates.length).toBeGreaterThan(40);
    expect(templates).toContain('/privileges');
    expect(templates).toContain(URSSAF);
  });

  it('fails loudly, naming the expected place, when the shared material is missing', () => {
    expect(() => sharedApiEntreprisePath('no-such-file.yaml')).toThrow(/API Entreprise reference material not found: .*shared.*api-entreprise.*no-such-file\.yaml/s);
  });

  it('throws on an unknown template or method rather than answering vacuously', () => {
    expect(() => getOperation('/v4/nothing/{siren}')).toThrow(/not in the contract/);
    expect(() => getOperation(URSSAF, 'post')).toThrow(/no POST operation/);
    expect(() => findOperation('FETCH', '/privileges')).toThrow(/not an HTTP method/);
  });
});

describe('findOperation', () => {
  it('matches a concrete path, ignoring the query string, and extracts the path parameters', () => {
    const match = findOperation('GET', '/v4/urssaf/unites_legales/418166096/attestation_vigilance?recipient=1&context=x&object=y');
    expect(match).toMatchObject({ method: 'get', template: URSSAF, pathParams: { siren: '418166096' } });
    expect(match?.operation.summary).toBe('Attestation de vigilance');
  });

  it('prefers literal segments over parameters', () => {
    expect(findOperation('get', '/v4/insee/sirene/etablissements/diffusibles/41816609600069')?.template).toBe(
      '/v4/insee/sirene/etablissements/diffusibles/{siret}',
    );
    expect(findOperation('get', '/v4/insee/sirene/etablissements/41816609600069')?.template).toBe('/v4/insee/sirene/etablissements/{siret}');
    expect(findOperation('get', '/v4/djepva/api-association/associations/open_data/W751004076')?.template).toBe(
      '/v4/djepva/api-association/associations/open_data/{siren_or_rna}',
    );
  });

  it('decodes parameters and answers null for paths or methods the contract does not have', () => {
    expect(findOperation('get', '/v4/djepva/api-association/associations/W75%201004076')?.pathParams).toEqual({ siren_or_rna: 'W75 1004076' });
    expect(findOperation('get', '/v4/urssaf/unites_legales/%E0%A4%A/attestation_vigilance')).toBeNull();
    expect(findOperation('get', '/v4/urssaf/unites_legales/418166096')).toBeNull();
    expect(findOperation('get', '/v4/urssaf/unites_legales//attestation_vigilance')).toBeNull();
    expect(findOperation('get', '/v4//urssaf/unites_legales/418166096/attestation_vigilance')).toBeNull();
    expect(findOperation('get', '/privileges/')).toBeNull();
    expect(findOperation('get', '/privileges')?.template).toBe('/privileges');
    expect(findOperation('post', '/v4/urssaf/unites_legales/418166096/attestation_vigilance')).toBeNull();
  });
});

describe('parameters and security', () => {
  it('requires recipient, context and object in the query, and a bearer JWT in Authorization', () => {
    expect(requiredQueryParameters(URSSAF).sort()).toEqual(['context', 'object', 'recipient']);
    expect(requiredHeaderParameters(URSSAF)).toEqual([]);
    expect(parameters(URSSAF).map((p) => `${p.in}:${p.name}`)).toContain('header:Cache-Control');
    expect(pathParameterNames(URSSAF)).toEqual(['siren']);
    expect(securityRequired(URSSAF)).toBe(true);
    expect(securitySchemes(URSSAF)).toEqual([
      { name: 'jwt_bearer_token', type: 'http', scheme: 'bearer', bearerFormat: 'JWT', headerName: 'Authorization', in: 'header' },
    ]);
  });

  it('exposes the response headers and error examples the fake API must reproduce', () => {
    expect(responseHeaderNames(URSSAF, 200)).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Response-Cached']));
    expect(responseExamples(URSSAF, 401).map((e) => (e.value as { errors: { code: string }[] }).errors[0]?.code).sort()).toEqual(['00101', '00103', '00105']);
    expect(responseExamples(URSSAF, 200)).toEqual([]);
  });
});

describe('validateResponseBody', () => {
  it('accepts a conforming body, including the nulls the contract allows', () => {
    expect(validateResponseBody(URSSAF, 200, urssafBody())).toEqual({ valid: true, errors: [] });
    const refused = urssafBody({
      entity_status: { code: 'refus_de_delivrance', libelle: 'Refusée', description: 'Pas à jour.' },
      date_debut_validite: null,
      date_fin_validite: null,
      code_securite: null,
      document_url: null,
      document_url_expires_in: null,
    });
    expect(validateResponseBody(URSSAF, '200', refused).valid).toBe(true);
  });

  it('rejects what breaks the contract: unknown enum value, wrong type, bad date, missing or extra field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['enum', urssafBody({ entity_status: { code: 'peut_etre', libelle: 'x', description: 'y' } }), /\/data\/entity_status\/code must be equal to one of the allowed values/],
      ['type', urssafBody({ document_url_expires_in: '86400' }), /\/data\/document_url_expires_in must be integer,null/],
      ['format', urssafBody({ date_fin_validite: '31/07/2024' }), /\/data\/date_fin_validite must match format "date"/],
      ['required', urssafBody({ code_securite: undefined }), /\/data must have required property 'code_securite'/],
      ['additional', urssafBody({ renamed_field: 1 }), /\/data must NOT have additional properties \(additionalProperty=renamed_field\)/],
      ['root', { errors: [] }, /^\/ must have required property 'data'/],
    ];
    for (const [what, body, error] of cases) {
      const result = validateResponseBody(URSSAF, 200, JSON.parse(JSON.stringify(body)));
      expect(result.valid, what).toBe(false);
      expect(result.errors.some((e) => error.test(e)), `${what}: ${result.errors.join(' | ')}`).toBe(true);
    }
  });

  it('checks error bodies against the shared Error schema ($ref resolved)', () => {
    const body = { errors: [{ code: '04003', title: 'Entité non trouvée', detail: 'Inconnue.', meta: { provider: 'ACOSS' } }] };
    expect(validateResponseBody(URSSAF, 404, body).valid).toBe(true);
    expect(validateResponseBody(URSSAF, 404, { errors: [{ code: '04003' }] }).errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/required property 'title'/), expect.stringMatching(/required property 'detail'/)]),
    );
  });

  it('reads the contract’s `type: date` as a date string (DGFIP v4)', () => {
    const template = '/v4/dgfip/unites_legales/{siren}/attestation_fiscale';
    const schema = jsonResponseSchema(template, 200) as { properties: { data: { properties: Record<string, unknown> } } };
    expect(schema.properties.data.properties['date_periode_analysee']).toMatchObject({ type: 'string', format: 'date' });
    const body = (date: string) => ({
      data: { document_url: 'https://example.test/a.pdf', document_url_expires_in: 60, date_delivrance_attestation: '2024-05-02', date_periode_analysee: date },
      links: {},
      meta: {},
    });
    expect(validateResponseBody(template, 200, body('2024-04-30')).valid).toBe(true);
    expect(validateResponseBody(template, 200, body('2024-04-31')).valid).toBe(false);
  });

  it('refuses to validate a status the contract gives no JSON schema for', () => {
    expect(hasResponseSchema('/privileges', 200)).toBe(false);
    expect(() => validateResponseBody('/privileges', 200, { data: { privileges: [] } })).toThrow(/declares no application\/json schema for GET \/privileges 200/);
  });
});
