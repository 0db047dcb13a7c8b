// The validation boundary of every normaliser: the smallest acceptable payload (nulls and missing
// optional fields everywhere) goes through; unusable payloads throw MalformedPayloadError — an
// ApiEntrepriseError of kind `malformed_response` — whose message, issues and JSON never carry a
// value of the payload.
import { describe, expect, it } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { ENDPOINT_IDS, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { FACT_LABELS, MalformedPayloadError, normalizeAnswer } from '../../src-main/node/api-entreprise/normalizers/normalize-answer';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const SIREN = makeSiren(2024);
const SIRET = makeSiret(2024, 5);

/** The least each endpoint needs: what the normaliser relies on, every other field null or absent. */
const MINIMAL: Record<EndpointId, { identifier: string; payload: unknown }> = {
  privileges: { identifier: '', payload: { data: { privileges: [] } } },
  'insee.unite_legale': { identifier: SIREN, payload: { data: { siren: SIREN, personne_physique_attributs: null, date_creation: null } } },
  'insee.unite_legale_diffusible': { identifier: SIREN, payload: { data: { siren: SIREN } } },
  'insee.etablissement': { identifier: SIRET, payload: { data: { siret: SIRET, adresse: null } } },
  'insee.etablissement_diffusible': { identifier: SIRET, payload: { data: { siret: SIRET } } },
  'insee.siege_social': { identifier: SIREN, payload: { data: { siret: SIRET, unite_legale: null } } },
  'insee.siege_social_diffusible': { identifier: SIREN, payload: { data: { siret: SIRET } } },
  'urssaf.attestation_vigilance': { identifier: SIREN, payload: { data: { entity_status: { code: 'ok', libelle: null, description: null } } } },
  'dgfip.attestation_fiscale': { identifier: SIREN, payload: { data: { document_url: null, date_periode_analysee: null } } },
  'infogreffe.extrait_rcs': { identifier: SIREN, payload: { data: { siren: SIREN, mandataires_sociaux: null, capital: null } } },
  'infogreffe.mandataires_sociaux': { identifier: SIREN, payload: { data: [], meta: null } },
  'inpi.extrait_rne': { identifier: SIREN, payload: { data: { identite_entreprise: { siren: SIREN, prenoms: null }, etablissements: null } } },
  'qualibat.certification': { identifier: SIRET, payload: { data: { entity: null } } },
  'ademe.certification_rge': { identifier: SIRET, payload: { data: [{ data: { qualification: null, meta: null } }] } },
  'opqibi.certification': { identifier: SIREN, payload: { data: { qualifications: null } } },
  'qualifelec.certificats': { identifier: SIRET, payload: { data: [{ data: { qualification: null, assurance_civile: null } }] } },
  'carif_oref.qualiopi': { identifier: SIRET, payload: { data: { declarations_activites_etablissement: [{ certification_qualiopi: null }] } } },
  'cnetp.attestation': { identifier: SIREN, payload: { data: { document_url: null } } },
  'cibtp.attestation': { identifier: SIRET, payload: { data: {} } },
  'probtp.attestation': { identifier: SIRET, payload: { data: { expires_in: null } } },
  'probtp.conformite': { identifier: SIRET, payload: { data: { eligible: true } } },
  'msa.conformite': { identifier: SIRET, payload: { data: { status: 'under_investigation' } } },
  'fntp.carte_professionnelle': { identifier: SIREN, payload: { data: {} } },
  'djepva.association': { identifier: SIREN, payload: { data: { activites: null, etablissements: null } } },
  'vies.numero_tva': { identifier: SIREN, payload: { data: { tva_number: `FR00${SIREN}` } } },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const UNUSABLE: [string, unknown][] = [
  ['no payload', null],
  ['a string', 'Service indisponible'],
  ['an array', []],
  ['no data', { links: {}, meta: {} }],
  ['data null', { data: null }],
  ['data of the wrong kind', { data: 42 }],
];

describe.each(ENDPOINT_IDS)('%s', (endpoint) => {
  it('accepts a payload of nulls and missing optional fields, without inventing a "no"', () => {
    const { identifier, payload } = MINIMAL[endpoint];
    const answer = normalizeAnswer(endpoint, payload, identifier);
    for (const a of answer.attestations) {
      expect(a.status).not.toBe('refused');
      expect(a.details).toEqual(Object.fromEntries(Object.entries(a.details).filter(([, v]) => v.trim() !== '')));
      for (const date of [a.validFrom, a.validUntil, a.issuedOn, a.periodAnalyzed]) if (date !== null) expect(date).toMatch(ISO_DATE);
    }
    for (const key of Object.keys(answer.facts)) expect(Object.keys(FACT_LABELS)).toContain(key);
  });

  // a bare list is one of the shapes /privileges may take
  const unusable = UNUSABLE.filter(([, payload]) => !(endpoint === 'privileges' && Array.isArray(payload)));

  it.each(unusable)('throws MalformedPayloadError on %s', (_what, payload) => {
    let caught: unknown;
    try {
      normalizeAnswer(endpoint, payload, MINIMAL[endpoint].identifier);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedPayloadError);
    expect(caught).toBeInstanceOf(ApiEntrepriseError);
    const error = caught as MalformedPayloadError;
    expect(error).toMatchObject({ name: 'MalformedPayloadError', kind: 'malformed_response', endpoint, retryable: false });
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.userMessage).toMatch(/Réponse illisible/);
  });
});

describe('MalformedPayloadError', () => {
  const CANARY = 'CANARY-7f3a-données-personnelles';

  const leaks: [EndpointId, unknown][] = [
    ['insee.unite_legale', { data: { siren: `${CANARY}123456789`, personne_physique_attributs: { nom_naissance: CANARY } } }],
    ['insee.etablissement', { data: { siret: SIRET, adresse: { libelle_voie: { nested: CANARY } } } }],
    ['urssaf.attestation_vigilance', { data: { entity_status: { code: 'ok' }, date_fin_validite: CANARY, code_securite: CANARY } }],
    ['urssaf.attestation_vigilance', { data: { entity_status: CANARY } }],
    ['msa.conformite', { data: { status: [CANARY] } }],
    ['infogreffe.mandataires_sociaux', { data: [{ data: { nom: CANARY, prenom: 12 } }, CANARY] }],
    ['djepva.association', { data: { nom: CANARY, date_creation: CANARY } }],
    ['vies.numero_tva', { data: { tva_number: { value: CANARY } } }],
    ['privileges', { data: { privileges: [{ secret: CANARY }] } }],
  ];

  it.each(leaks)('%s: names paths and expected types, never payload values', (endpoint, payload) => {
    let caught: unknown;
    try {
      normalizeAnswer(endpoint, payload, SIREN);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedPayloadError);
    const error = caught as MalformedPayloadError;
    const everything = [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(error.issues), JSON.stringify(error.toJSON())].join('\n');
    expect(everything).not.toContain('CANARY');
    expect(error.message).toMatch(new RegExp(`^Unusable API Entreprise answer for ${endpoint.replace('.', '\\.')}: `));
  });

  it('summarises issues as path: problem, and caps their number', () => {
    const error = (() => {
      try {
        normalizeAnswer('insee.etablissement', { data: { siret: 12, siege_social: 'oui', adresse: { code_postal: true } } }, SIRET);
      } catch (e) {
        return e as MalformedPayloadError;
      }
      throw new Error('did not throw');
    })();
    expect(error.issues).toEqual([
      'data.siret: invalid_type (expected string)',
      'data.siege_social: invalid_type (expected boolean)',
      'data.adresse.code_postal: invalid_type (expected string or number)',
    ]);

    const many = Object.fromEntries(
      ['prenom_usuel', 'prenom_1', 'nom_usage', 'nom_naissance', 'pseudonyme', 'raison_sociale'].map((k) => [k, true]),
    );
    const capped = (() => {
      try {
        normalizeAnswer(
          'insee.unite_legale',
          { data: { siren: SIREN, personne_physique_attributs: many, personne_morale_attributs: many, type: [], rna: {}, categorie_entreprise: {} } },
          SIREN,
        );
      } catch (e) {
        return e as MalformedPayloadError;
      }
      throw new Error('did not throw');
    })();
    expect(capped.issues).toHaveLength(9);
    expect(capped.issues[8]).toMatch(/^… and \d+ more$/);
  });
});
