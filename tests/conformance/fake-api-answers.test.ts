// The fake API against the official contract (../shared/api-entreprise/openapi.yaml): every
// catalogue endpoint's 200 answer validates against the path's response schema, and the error
// answers carry the codes, titles and providers of the path's examples.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENDPOINTS, endpointPath, type EndpointId, type EndpointSpec } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { ENDPOINT_PROVIDERS, providerOf } from '../../src-main/node/fake-api/endpoint-providers';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import * as errors from '../../src-main/node/fake-api/json-api-errors';
import { MASKED } from '../../src-main/node/fake-api/payloads/insee-payloads';
import type { SyntheticCompany } from '../../src-main/node/fake-api/synthetic-companies';

type Json = Record<string, unknown>;

interface ExampleError {
  code: string;
  title: string;
  detail: string;
  meta?: Json | null;
}

const openapi = parse(readFileSync(resolve(__dirname, '../../../shared/api-entreprise/openapi.yaml'), 'utf8')) as {
  paths: Record<string, { get: { responses: Record<string, Json> } }>;
  components: { schemas: { Error: Json } };
};

const TRACE = { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Contrôle de conformité' };
const API_IDS = (Object.keys(ENDPOINTS) as EndpointId[]).filter((id) => id !== 'privileges');

/** The catalogue writes `{siren}` where the contract's path says `{siren_or_rna}`. */
function contractPath(spec: EndpointSpec): string {
  return spec.id === 'djepva.association' ? spec.pathTemplate.replace('{siren}', '{siren_or_rna}') : spec.pathTemplate;
}

function response(spec: EndpointSpec, status: string): Json {
  const operation = openapi.paths[contractPath(spec)]?.get;
  if (!operation) throw new Error(`${spec.pathTemplate} is not in openapi.yaml`);
  const answer = operation.responses[status];
  if (!answer) throw new Error(`${spec.pathTemplate} has no ${status} response`);
  return answer;
}

function exampleErrors(spec: EndpointSpec, status: string): ExampleError[] {
  const content = (response(spec, status).content as Json | undefined)?.['application/json'] as Json | undefined;
  const examples = (content?.examples ?? {}) as Record<string, { value: { errors: ExampleError[] } }>;
  return Object.values(examples).flatMap((example) => example.value.errors);
}

/**
 * Two repairs before conversion: `type: date` (DGFIP v4) is not an OpenAPI type, and fields whose
 * description says the value "est remplacée par [ND]" accept "[ND]" even when they have an enum.
 */
function repair(node: unknown, acceptMasked: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => repair(item, acceptMasked));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = repair(value, acceptMasked);
  if (copy.type === 'date') {
    copy.type = 'string';
    copy.format = 'date';
  }
  if (acceptMasked && Array.isArray(copy.enum) && typeof copy.description === 'string' && copy.description.includes('[ND]')) {
    copy.enum = [...(copy.enum as unknown[]), MASKED];
  }
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const format of ['boolean', 'double', 'float']) ajv.addFormat(format, true);

function compile(schema: unknown, acceptMasked = false): ValidateFunction {
  const converted = openapiSchemaToJsonSchema(repair(schema, acceptMasked) as never) as Json;
  delete converted.$schema;
  return ajv.compile(converted);
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(spec: EndpointSpec, acceptMasked: boolean): ValidateFunction {
  const key = `${spec.id}|${acceptMasked}`;
  let validate = validators.get(key);
  if (!validate) {
    const content = (response(spec, '200').content as Json)['application/json'] as Json;
    validate = compile(content.schema, acceptMasked);
    validators.set(key, validate);
  }
  return validate;
}

const errorValidator = compile(openapi.components.schemas.Error);

/** Which companies get a 200 from each endpoint: several kinds each, to exercise every branch. */
const SUBJECTS: Record<Exclude<EndpointId, 'privileges'>, (c: SyntheticCompany) => boolean> = {
  'insee.unite_legale': () => true,
  'insee.unite_legale_diffusible': () => true,
  'insee.etablissement': () => true,
  'insee.etablissement_diffusible': () => true,
  'insee.siege_social': () => true,
  'insee.siege_social_diffusible': () => true,
  'urssaf.attestation_vigilance': (c) => c.coverage.urssaf !== 'unknown',
  'dgfip.attestation_fiscale': (c) => c.coverage.dgfip,
  'infogreffe.extrait_rcs': (c) => c.coverage.rcs,
  'infogreffe.mandataires_sociaux': (c) => c.coverage.rcs && c.officers.length > 0,
  'inpi.extrait_rne': (c) => c.coverage.rne,
  'qualibat.certification': (c) => c.coverage.qualibat,
  'ademe.certification_rge': (c) => c.coverage.rge,
  'opqibi.certification': (c) => c.coverage.opqibi,
  'qualifelec.certificats': (c) => c.coverage.qualifelec,
  'carif_oref.qualiopi': (c) => c.coverage.qualiopi,
  'cnetp.attestation': (c) => c.coverage.cnetp,
  'cibtp.attestation': (c) => c.coverage.cibtp,
  'probtp.attestation': (c) => c.coverage.probtp,
  'probtp.conformite': (c) => c.coverage.probtp,
  'msa.conformite': (c) => c.coverage.msa !== null,
  'fntp.carte_professionnelle': (c) => c.coverage.fntp,
  'djepva.association': (c) => c.association,
  'vies.numero_tva': (c) => c.coverage.vies,
};

let api: FakeApiHandle;
let token: string;
let population: SyntheticCompany[];

beforeAll(async () => {
  // no rate limit in the way: this file checks shapes, not limits
  api = await startFakeApi({
    companyCount: 1_500,
    poolLimits: { json: 10_000, urssaf: 10_000, documents: 10_000, dgfip: 10_000, cibtp: 10_000, inpi_rne: 10_000 },
  });
  token = api.mintToken();
  population = [...api.companies.all()];
});

afterAll(async () => {
  await api.close();
});

/** Up to a dozen companies of varied kinds among those the endpoint knows. */
function subjectsFor(id: Exclude<EndpointId, 'privileges'>): SyntheticCompany[] {
  const known = population.filter(SUBJECTS[id]);
  const picked = new Map<string, SyntheticCompany>();
  const kinds: ((c: SyntheticCompany) => boolean)[] = [
    (c) => c.type === 'personne_morale' && !c.association,
    (c) => c.type === 'personne_physique',
    (c) => c.association,
    (c) => c.ceasedOn !== null,
    (c) => c.diffusion === 'partiellement_diffusible' && c.type === 'personne_physique',
    (c) => c.diffusion === 'partiellement_diffusible' && c.type === 'personne_morale',
    (c) => c.coverage.urssaf === 'refus_de_delivrance',
    (c) => c.establishments.some((e) => !e.active) && c.ceasedOn === null,
    (c) => c.establishments.some((e) => e.address.repetition !== null),
  ];
  for (const kind of kinds) {
    const found = known.find(kind);
    if (found) picked.set(found.siren, found);
  }
  for (const company of known.slice(0, 3)) picked.set(company.siren, company);
  return [...picked.values()];
}

async function call(spec: EndpointSpec, identifier: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const url = new URL(`${api.url}${endpointPath(spec.id, identifier)}`);
  for (const [key, value] of Object.entries(TRACE)) url.searchParams.set(key, value);
  const answer = await fetch(url, { headers: { Authorization: `Bearer ${token}`, 'Cache-Control': 'no-cache' } });
  return { status: answer.status, body: await answer.json(), headers: answer.headers };
}

describe('fake API answers against openapi.yaml', () => {
  it.each(API_IDS)('%s: 200 answers validate against the path’s schema, with its documented headers', async (id) => {
    const spec = ENDPOINTS[id];
    const subjects = subjectsFor(id);
    expect(subjects.length, `no company answers ${id}`).toBeGreaterThan(0);
    const documentedHeaders = Object.keys((response(spec, '200').headers as Json | undefined) ?? {});
    for (const company of subjects) {
      const identifier = spec.identifier === 'siret' ? (company.establishments.at(-1)?.siret ?? '') : company.siren;
      const { status, body, headers } = await call(spec, identifier);
      expect(status, `${id} ${identifier}`).toBe(200);
      const masked = id.endsWith('_diffusible') && company.diffusion === 'partiellement_diffusible';
      const validate = validatorFor(spec, masked);
      expect(validate(body), `${id} ${identifier}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      for (const header of documentedHeaders) {
        // "X-Cache-Expires-in": the contract says it is present (possibly empty) on cached paths
        expect(headers.has(header), `${id} answers without ${header}`).toBe(true);
      }
    }
  });

  it('validates for real: the schemas reject an unknown field, a missing one, a wrong enum value', async () => {
    const company = population.find((c) => c.coverage.urssaf === 'ok');
    const spec = ENDPOINTS['urssaf.attestation_vigilance'];
    const { body } = await call(spec, company?.siren ?? '');
    const good = body as { data: Json; links: Json; meta: Json };
    const validate = validatorFor(spec, false);
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, data: { ...good.data, surprise: 1 } })).toBe(false);
    const { code_securite: _dropped, ...withoutCode } = good.data;
    expect(validate({ ...good, data: withoutCode })).toBe(false);
    expect(validate({ ...good, data: { ...good.data, entity_status: { code: 'peut-être', libelle: '', description: '' } } })).toBe(false);
    const person = population.find((c) => c.diffusion === 'partiellement_diffusible' && c.type === 'personne_physique');
    const masked = (await call(ENDPOINTS['insee.unite_legale_diffusible'], person?.siren ?? '')).body;
    // "[ND]" in `sexe` is allowed by the field's description, not by its enum
    expect(validatorFor(ENDPOINTS['insee.unite_legale_diffusible'], false)(masked)).toBe(false);
    expect(validatorFor(ENDPOINTS['insee.unite_legale_diffusible'], true)(masked)).toBe(true);
  });

  it('masks the protected fields of partially diffusible companies in the open-data answers only', async () => {
    const person = population.find((c) => c.diffusion === 'partiellement_diffusible' && c.type === 'personne_physique');
    if (!person) throw new Error('no partially diffusible sole trader');
    const open = (await call(ENDPOINTS['insee.unite_legale_diffusible'], person.siren)).body as { data: Json };
    const full = (await call(ENDPOINTS['insee.unite_legale'], person.siren)).body as { data: Json };
    expect(open.data.status_diffusion).toBe('partiellement_diffusible');
    expect(open.data.diffusable_commercialement).toBe(false);
    expect(open.data.personne_physique_attributs).toMatchObject({ nom_naissance: MASKED, prenom_1: MASKED, sexe: MASKED });
    expect(full.data.personne_physique_attributs).toMatchObject({ nom_naissance: person.person?.lastName });
    const siret = person.establishments[0]?.siret ?? '';
    const openEstablishment = (await call(ENDPOINTS['insee.etablissement_diffusible'], siret)).body as { data: { adresse: Json } };
    expect(openEstablishment.data.adresse).toMatchObject({
      numero_voie: MASKED,
      libelle_voie: MASKED,
      code_postal: MASKED,
      libelle_commune: person.establishments[0]?.address.town.name,
    });
    const fullEstablishment = (await call(ENDPOINTS['insee.etablissement'], siret)).body as { data: { adresse: Json } };
    expect(fullEstablishment.data.adresse.numero_voie).toBe(person.establishments[0]?.address.number);
    const diffusible = population.find((c) => c.diffusion === 'diffusible' && c.type === 'personne_physique');
    const plain = (await call(ENDPOINTS['insee.unite_legale_diffusible'], diffusible?.siren ?? '')).body;
    expect(JSON.stringify(plain)).not.toContain(MASKED);
  });

  it('reports ceased companies and closed establishments as INSEE does', async () => {
    const ceased = population.find((c) => c.ceasedOn !== null);
    if (!ceased) throw new Error('no ceased company');
    const legal = (await call(ENDPOINTS['insee.unite_legale'], ceased.siren)).body as { data: Json };
    expect(legal.data.etat_administratif).toBe('C');
    expect(typeof legal.data.date_cessation).toBe('number');
    const head = (await call(ENDPOINTS['insee.siege_social'], ceased.siren)).body as { data: Json };
    expect(head.data.etat_administratif).toBe('F');
    const rcs = (await call(ENDPOINTS['infogreffe.extrait_rcs'], ceased.siren)).body as { data: Json };
    if (ceased.coverage.rcs) expect(rcs.data.date_radiation).toBe(ceased.ceasedOn);
  });
});

describe('fake API errors against openapi.yaml', () => {
  it.each(API_IDS)('%s: the 404 and provider errors carry the contract’s codes and provider', (id) => {
    const spec = ENDPOINTS[id];
    const provider = ENDPOINT_PROVIDERS[id];
    const ours = errors.notFound(provider).body.errors[0];
    const documented = exampleErrors(spec, '404');
    expect(documented.map((e) => e.code)).toContain(ours?.code);
    expect(documented.find((e) => e.code === ours?.code)?.meta).toEqual({ provider: provider.name });
    expect(exampleErrors(spec, '504').map((e) => e.code)).toContain(errors.gatewayTimeout(provider).body.errors[0]?.code);
    expect(exampleErrors(spec, '502').map((e) => e.code)).toContain(errors.providerError(provider, 1).body.errors[0]?.code);
  });

  it.each(API_IDS)('%s: the identifier error code is one of the path’s 422 codes', (id) => {
    const spec = ENDPOINTS[id];
    if (spec.identifier === 'none') return;
    const parameter = id === 'djepva.association' ? 'id' : spec.identifier;
    const ours = errors.invalidIdentifier(parameter).body.errors[0]?.code;
    const documented = exampleErrors(spec, '422').map((e) => e.code);
    // the ADEME path documents the SIREN code (00301) although it takes a SIRET: 00302 is served
    if (id === 'ademe.certification_rge') expect(documented).toContain('00301');
    else expect(documented).toContain(ours);
  });

  it('answers the authentication, scope, parameter and rate-limit errors word for word', () => {
    const urssaf = ENDPOINTS['urssaf.attestation_vigilance'];
    const documented = [...exampleErrors(urssaf, '401'), ...exampleErrors(urssaf, '403'), ...exampleErrors(urssaf, '422'), ...exampleErrors(urssaf, '429'), ...exampleErrors(urssaf, '409')];
    const ours = [
      errors.invalidToken(),
      errors.expiredToken(),
      errors.blacklistedToken(),
      errors.insufficientPrivileges(),
      errors.missingParameter('context'),
      errors.missingParameter('object'),
      errors.missingParameter('recipient'),
      errors.invalidIdentifier('siren'),
      errors.tooManyRequests(),
      errors.conflict(),
    ];
    for (const answer of ours) {
      const [error] = answer.body.errors;
      const example = documented.find((e) => e.code === error?.code);
      expect(example, error?.code).toBeDefined();
      expect({ code: error?.code, title: error?.title, detail: error?.detail }).toEqual({
        code: example?.code,
        title: example?.title,
        detail: example?.detail,
      });
      expect(errorValidator(answer.body)).toBe(true);
    }
    expect(errors.invalidToken().status).toBe(401);
    expect(errors.insufficientPrivileges().status).toBe(403);
    expect(errors.tooManyRequests().status).toBe(429);
  });

  it('serves error bodies that validate against the contract’s Error schema', async () => {
    const refused = await fetch(`${api.url}${endpointPath('insee.unite_legale', '130025265')}`);
    expect(errorValidator(await refused.json())).toBe(true);
    const unknown = await call(ENDPOINTS['dgfip.attestation_fiscale'], '130025265');
    expect(unknown.status).toBe(404);
    expect(errorValidator(unknown.body)).toBe(true);
    for (const provider of new Set(API_IDS.map((id) => providerOf(id)))) {
      if (!provider) continue;
      for (const answer of [errors.providerError(provider, 5), errors.providerUnavailable(provider), errors.gatewayTimeout(provider)]) {
        expect(errorValidator(answer.body)).toBe(true);
      }
    }
  });
});
