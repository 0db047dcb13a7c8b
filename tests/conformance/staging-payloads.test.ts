// Conformance of Vigie's reading of API Entreprise against the official staging test cases
// (`../shared/api-entreprise/payloads/`) and contract (`openapi.yaml`):
//   - every endpoint of the catalogue is an operation of the contract, and has its staging folder;
//   - every staging folder is either covered or explicitly skipped, with the reason;
//   - every success payload of a covered folder validates against the contract's response schema
//     (this also proves the contract module), goes through `normalizeAnswer` and yields the
//     records expected for that very case (one explicit expectation per file);
//   - every error payload, and every error example of the contract for these endpoints, is
//     classified by `readJsonApiError` + `classifyStatus` into the kind Vigie must react to:
//     a 404 is `not_found`, never a refusal.
import { describe, expect, it } from 'vitest';
import type { AttestationRecord, CompanyRecord, EstablishmentRecord, NormalizedAnswer } from '../../src-main/common/company-records';
import { classifyStatus, readJsonApiError, TOKEN_REFUSALS, type ApiErrorKind } from '../../src-main/node/api-entreprise/api-error';
import { ENDPOINTS, endpointPath, type EndpointId, type EndpointSpec } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { MalformedPayloadError, normalizeAnswer } from '../../src-main/node/api-entreprise/normalizers/normalize-answer';
import {
  findOperation,
  hasResponseSchema,
  requiredQueryParameters,
  responseExamples,
  responseStatuses,
  securityRequired,
  validateResponseBody,
} from './openapi-contract';
import { folderForTemplate, readStagingCases, stagingFolders, templateKey, type StagingCase } from './staging-data';

// ---------------------------------------------------------------------------------------------
// Which folders are covered, which are not and why
// ---------------------------------------------------------------------------------------------

const V3_OF_V4 = 'v3 predecessor of a v4 endpoint Vigie calls (deprecated; BRIEF §3: newest version only)';
const NOT_CALLED = 'endpoint Vigie does not call (not in the catalogue)';

const SKIPPED_FOLDERS: Record<string, string> = {
  api_entreprise_v3_acoss_attestations_sociales: V3_OF_V4,
  api_entreprise_v3_dgfip_attestations_fiscales: V3_OF_V4,
  api_entreprise_v3_insee_etablissements: V3_OF_V4,
  api_entreprise_v3_insee_etablissements_diffusables: V3_OF_V4,
  api_entreprise_v3_insee_sieges_diffusables_unites_legales: V3_OF_V4,
  api_entreprise_v3_insee_sieges_unites_legales: V3_OF_V4,
  api_entreprise_v3_insee_unites_legales: V3_OF_V4,
  api_entreprise_v3_insee_unites_legales_diffusables: V3_OF_V4,
  api_entreprise_v3_qualibat_certifications_batiment: `${V3_OF_V4}; the v3 one is PDF only`,
  api_entreprise_v3_insee_adresses_etablissements: 'v3-only address endpoint: Vigie reads the address from the v4 establishment answer',
  api_entreprise_v3_insee_adresses_etablissements_diffusables: 'v3-only address endpoint: Vigie reads the address from the v4 establishment answer',
  api_entreprise_v4_mi_unites_legales_open_data: 'open-data twin of the association endpoint; Vigie calls the authenticated one',
  api_entreprise_v3_mi_associations: `${NOT_CALLED}: v3 RNA data, superseded by the v4 DJEPVA association endpoint`,
  api_entreprise_v3_mi_documents_associations: NOT_CALLED,
  api_entreprise_v3_banque_de_france_bilans_entreprise: NOT_CALLED,
  api_entreprise_v3_data_subvention_subventions: NOT_CALLED,
  api_entreprise_v3_dgddi_eori: NOT_CALLED,
  api_entreprise_v3_dgfip_chiffres_affaires: NOT_CALLED,
  api_entreprise_v3_dgfip_liasses_fiscales: NOT_CALLED,
  api_entreprise_v3_dgfip_liens_capitalistiques: NOT_CALLED,
  api_entreprise_v3_fabrique_numerique_ministeres_sociaux_conventions_collectives: NOT_CALLED,
  api_entreprise_v3_gip_mds_effectifs_annuels_entreprise: NOT_CALLED,
  api_entreprise_v3_gip_mds_effectifs_mensuels_etablissement: NOT_CALLED,
  api_entreprise_v3_inpi_rne_actes_bilans: NOT_CALLED,
  api_entreprise_v3_inpi_rne_beneficiaires_effectifs: NOT_CALLED,
  api_entreprise_v3_insee_successions: NOT_CALLED,
  api_entreprise_v3_rnm_entreprises_artisanales: NOT_CALLED,
};

/** Endpoints without a staging folder: `/privileges` (its README entry has no link). */
const WITHOUT_FOLDER: ReadonlySet<EndpointId> = new Set<EndpointId>(['privileges']);

const ENDPOINT_SPECS = Object.values(ENDPOINTS);

/** Covered folder → the catalogue endpoint it holds cases of. */
const COVERED = new Map<string, EndpointSpec>();
for (const spec of ENDPOINT_SPECS) {
  const folder = folderForTemplate(spec.pathTemplate);
  if (folder !== null) COVERED.set(folder, spec);
}

/**
 * Deviations of the staging data from the contract itself (not from Vigie): each is allowed only
 * for the file named, only for errors matching the pattern, and must still occur (so the entry is
 * removed when the staging data is fixed).
 */
const KNOWN_STAGING_DEVIATIONS: Record<string, { why: string; errors: RegExp }> = {
  'api_entreprise_v4_mi_unites_legales/association.yaml': {
    why: 'documents_rna[].date_depot holds date-times although the contract says format date',
    errors: /^\/data\/documents_rna\/\d+\/date_depot must match format "date"/,
  },
  'api_entreprise_v4_mi_unites_legales/association_sans_siren.yaml': {
    why: 'documents_rna[].date_depot holds date-times although the contract says format date',
    errors: /^\/data\/documents_rna\/\d+\/date_depot must match format "date"/,
  },
  'api_entreprise_v4_mi_unites_legales/association_regime_alsace_moselle.yaml': {
    why: 'documents_dac[].date_depot holds "2022-02-30", which is no date',
    errors: /^\/data\/etablissements\/\d+\/documents_dac\/\d+\/date_depot must match format "date"/,
  },
};

// ---------------------------------------------------------------------------------------------
// Expected records, one entry per success file
// ---------------------------------------------------------------------------------------------

type Expectation = (answer: NormalizedAnswer, stagingCase: StagingCase) => void;

function onlyAttestation(answer: NormalizedAnswer): AttestationRecord {
  expect(answer.attestations).toHaveLength(1);
  return answer.attestations[0] as AttestationRecord;
}

function companyOf(answer: NormalizedAnswer): CompanyRecord {
  expect(answer.company).not.toBeNull();
  return answer.company as CompanyRecord;
}

function establishmentOf(answer: NormalizedAnswer): EstablishmentRecord {
  expect(answer.establishment).not.toBeNull();
  return answer.establishment as EstablishmentRecord;
}

/** The INSEE legal units, the same in every INSEE folder. */
const INSEE_UNITS: Record<string, Partial<CompanyRecord>> = {
  association: {
    siren: '775672272',
    name: 'CROIX ROUGE FRANCAISE',
    legalForm: { code: '9230', label: 'Association déclarée, reconnue d\'utilité publique' },
    activity: { code: '88.99B', label: 'Action sociale sans hébergement n.c.a.' },
    administrativeStatus: 'active',
    ceasedOn: null,
    diffusion: 'diffusible',
    // -556765200 is midnight in Paris: read in UTC it would be the 10th
    createdOn: '1952-05-11',
    headOfficeSiret: '77567227221138',
    category: 'GE',
  },
  association_regime_alsace_moselle: {
    siren: '424179364',
    name: 'ASSOCIATION SOCIO-CULTURELLE - LE REPERE',
    legalForm: { code: '9260', label: 'Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)' },
    administrativeStatus: 'active',
    diffusion: 'diffusible',
    createdOn: '1999-07-07',
  },
  personne_morale: {
    siren: '552049447',
    name: 'SOCIETE NATIONALE SNCF',
    activity: { code: '49.10Z', label: 'Transport ferroviaire interurbain de voyageurs' },
    administrativeStatus: 'active',
    createdOn: '1955-01-01',
    headOfficeSiret: '55204944776279',
  },
  personne_morale_etat_cesse: {
    siren: '350051447',
    name: 'SCI SERGENT',
    administrativeStatus: 'ceased',
    // NAF 1993 code: its rev. 2 code is null, the original one is kept
    activity: { code: '70.2C', label: 'ancienne révision NAF (NAF1993) non supportée' },
    createdOn: '1989-03-13',
    category: null,
  },
  personne_physique_diffusible: {
    siren: '478464803',
    name: 'Maxime DUPONT',
    legalForm: { code: '1000', label: 'Entrepreneur individuel' },
    administrativeStatus: 'active',
    diffusion: 'diffusible',
    createdOn: '2004-05-24',
  },
  'personne_physique_non-diffusible': {
    siren: '350042925',
    name: 'Aurelie MOREAU',
    diffusion: 'partiellement_diffusible',
  },
};

/** The INSEE establishments (also the head offices of the units above). */
const INSEE_ESTABLISHMENTS: Record<string, Partial<EstablishmentRecord>> = {
  '200': {
    siret: '30613890001294',
    siren: '306138900',
    name: 'Coiff Land, CoiffureLand',
    isHeadOffice: true,
    administrativeStatus: 'active',
    // the payload has a date_fermeture on an open establishment: not shown
    closedOn: null,
  },
  association: {
    siret: '77567227221138',
    siren: '775672272',
    isHeadOffice: true,
    name: 'CROIX ROUGE FRANCAISE',
    address: { street: '98 RUE DIDOT, SITE CROIX ROUGE', postalCode: '75014', city: 'PARIS 14', country: 'FRANCE' },
    administrativeStatus: 'active',
    diffusion: 'diffusible',
  },
  association_regime_alsace_moselle: {
    siret: '42417936400023',
    address: { street: '169 GRAND RUE', postalCode: '67130', city: 'SCHIRMECK', country: 'FRANCE' },
  },
  personne_morale: {
    siret: '55204944776279',
    name: 'SNCF ST DENIS 2 PL AUX ETOILES',
    address: { street: '2 PLACE AUX ETOILES', postalCode: '93210', city: 'SAINT-DENIS', country: 'FRANCE' },
  },
  personne_morale_etat_cesse: {
    siret: '35005144700018',
    administrativeStatus: 'ceased',
    closedOn: '1995-11-15',
    address: { street: '4 ALLÉE DU COMMANDANT', postalCode: '75017', city: 'PARIS 17', country: 'FRANCE' },
  },
  personne_physique_diffusible: {
    siret: '47846480300319',
    // no sign: the person's name
    name: 'Maxime DUPONT',
    address: { street: '346 ALLÉE DE LA PLAGE', postalCode: '16210', city: 'MEDILLAC', country: 'FRANCE' },
  },
  'personne_physique_non-diffusible': {
    siret: '35004292500031',
    name: 'Aurelie MOREAU',
    diffusion: 'partiellement_diffusible',
  },
};

const EXPECTATIONS: Record<string, Expectation> = {};

/** The INSEE cases each INSEE folder really has (some answer 404 on the open-data endpoints). */
function successNames(folder: string): string[] {
  return readStagingCases(folder)
    .filter((c) => c.status < 400)
    .map((c) => c.name);
}

for (const folder of ['api_entreprise_v4_insee_unites_legales', 'api_entreprise_v4_insee_unites_legales_diffusables']) {
  for (const [name, company] of Object.entries(INSEE_UNITS).filter(([n]) => successNames(folder).includes(n))) {
    EXPECTATIONS[`${folder}/${name}.yaml`] = (answer) => {
      expect(companyOf(answer)).toMatchObject(company);
      expect(answer.establishment).toBeNull();
      expect(answer.attestations).toEqual([]);
    };
  }
  EXPECTATIONS[`${folder}/association.yaml`] = (answer) => {
    expect(companyOf(answer)).toMatchObject(INSEE_UNITS['association'] as CompanyRecord);
    expect(answer.facts).toMatchObject({ rna: 'W751004076', acronym: 'CRF' });
  };
  EXPECTATIONS[`${folder}/personne_morale_etat_cesse.yaml`] = (answer) => {
    expect(companyOf(answer)).toMatchObject({ ...INSEE_UNITS['personne_morale_etat_cesse'], ceasedOn: '1995-11-15' });
  };
}
EXPECTATIONS['api_entreprise_v4_insee_unites_legales/personne_physique_non-diffusible.yaml'] = (answer) => {
  expect(companyOf(answer)).toMatchObject({
    ...INSEE_UNITS['personne_physique_non-diffusible'],
    administrativeStatus: 'ceased',
    ceasedOn: '2022-06-24',
  });
};

for (const folder of [
  'api_entreprise_v4_insee_etablissements',
  'api_entreprise_v4_insee_etablissements_diffusables',
  'api_entreprise_v4_insee_sieges_unites_legales',
  'api_entreprise_v4_insee_sieges_diffusables_unites_legales',
]) {
  for (const [name, establishment] of Object.entries(INSEE_ESTABLISHMENTS).filter(([n]) => successNames(folder).includes(n))) {
    EXPECTATIONS[`${folder}/${name}.yaml`] = (answer) => {
      expect(establishmentOf(answer)).toMatchObject(establishment);
      const unit = INSEE_UNITS[name];
      if (unit) {
        // the embedded legal unit carries no cessation date
        expect(companyOf(answer)).toMatchObject({ siren: unit.siren, name: unit.name });
      }
      if (name === 'personne_morale_etat_cesse') expect(companyOf(answer).administrativeStatus).toBe('ceased');
      if (name === 'personne_physique_non-diffusible') expect(companyOf(answer).diffusion).toBe('partiellement_diffusible');
      expect(answer.attestations).toEqual([]);
    };
  }
}
EXPECTATIONS['api_entreprise_v4_insee_etablissements/200.yaml'] = (answer) => {
  expect(establishmentOf(answer)).toMatchObject(INSEE_ESTABLISHMENTS['200'] as EstablishmentRecord);
  expect(companyOf(answer)).toMatchObject({ siren: '130025265', name: 'DIRECTION INTERMINISTERIELLE DU NUMERIQUE' });
  expect(answer.facts).toMatchObject({ acronym: 'DINUM', redirected_from: '30613890000010' });
};

Object.assign(EXPECTATIONS, {
  'api_entreprise_v4_acoss_attestations_sociales/attestation_delivree.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({
      kind: 'urssaf_vigilance',
      siren: '000000001',
      status: 'delivered',
      statusLabel: 'Attestation délivrée par l\'Urssaf',
      validFrom: '2023-01-31',
      validUntil: '2023-07-31',
      securityCode: 'YAB458G1B2T8IZW',
      documentUrlExpiresInSeconds: 86400,
    });
    expect(onlyAttestation(answer).documentUrl).toMatch(/^https:\/\/.+\.pdf$/);
  },
  'api_entreprise_v4_acoss_attestations_sociales/attestation_non_delivree.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({
      kind: 'urssaf_vigilance',
      siren: '000000002',
      status: 'refused',
      validFrom: null,
      validUntil: null,
      securityCode: null,
      documentUrl: null,
    });
  },
  'api_entreprise_v4_dgfip_attestations_fiscales/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({
      kind: 'dgfip_fiscale',
      siren: '418166096',
      status: 'delivered',
      issuedOn: '2023-04-11',
      periodAnalyzed: '2023-03-31',
      documentUrlExpiresInSeconds: 1234567,
    });
  },
  'api_entreprise_v4_dgfip_attestations_fiscales/attestation_delivree.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'dgfip_fiscale', status: 'delivered', issuedOn: '2023-04-11', periodAnalyzed: '2023-03-31' });
  },
  'api_entreprise_v3_infogreffe_extraits_rcs/200.yaml': (answer) => {
    expect(companyOf(answer)).toMatchObject({
      siren: '552049447',
      // no denomination in this extract: the natural person registered
      name: 'Jean DUPONT',
      legalForm: { code: 'SASh', label: 'SOCIETE PAR ACTIONS SIMPLIFIEES' },
      activity: { code: '6420Z', label: null },
      administrativeStatus: 'active',
      ceasedOn: null,
      diffusion: 'unknown',
    });
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'rcs_extract', status: 'delivered', issuedOn: '2024-01-15' });
    expect(answer.facts).toMatchObject({ registered_on: '1985-07-01', trade_name: 'DUPONT INDUSTRIES', officers_count: '1' });
  },
  'api_entreprise_v3_infogreffe_mandataires_sociaux/200.yaml': (answer) => {
    expect(answer.company).toBeNull();
    expect(answer.facts['officers_count']).toBe('2');
    expect(answer.facts['officers']?.split('\n')).toEqual([
      'PRESIDENT : Jean DUPONT',
      'COMMISSAIRE AUX COMPTES TITULAIRE : MAZARS - SOCIETE ANONYME A DIRECTOIRE ET CONSEIL DE SURVEILLANCE',
    ]);
  },
  'api_entreprise_v3_inpi_rne_extrait_rne/200.yaml': (answer) => {
    expect(companyOf(answer)).toMatchObject({
      siren: '552049447',
      name: 'SOCIETE NATIONALE SNCF',
      legalForm: { code: '5710' },
      activity: { code: '4910Z' },
      administrativeStatus: 'active',
      diffusion: 'diffusible',
      headOfficeSiret: '55204944700001',
    });
    expect(establishmentOf(answer)).toMatchObject({
      siret: '55204944700001',
      isHeadOffice: true,
      address: { street: '2 PLACE AUX ETOILES', postalCode: '93200', city: 'SAINT-DENIS', country: 'FRANCE' },
    });
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'rne_extract', status: 'delivered' });
    expect(onlyAttestation(answer).documentUrl).toContain('data.inpi.fr');
  },
  'api_entreprise_v4_qualibat_certifications_batiment/200.yml': (answer) => {
    const a = onlyAttestation(answer);
    expect(a).toMatchObject({
      kind: 'qualibat',
      siren: '306138900',
      siret: '30613890001294',
      status: 'delivered',
      issuedOn: '2023-01-01',
      validUntil: '2024-02-02',
      documentUrlExpiresInSeconds: 86400,
    });
    expect(a.details['Qualifications']).toContain('4322');
  },
  'api_entreprise_v3_ademe_certificats_rge/200.yml': (answer) => {
    expect(answer.attestations).toHaveLength(2);
    expect(answer.attestations.map((a) => [a.kind, a.status, a.validFrom, a.validUntil, a.details['Organisme']])).toEqual([
      ['rge', 'delivered', '2020-12-24', '2025-08-01', 'qualibat'],
      ['rge', 'delivered', '2020-12-24', '2025-08-01', 'qualifelec'],
    ]);
  },
  'api_entreprise_v3_opqibi_certifications_ingenierie/200.yml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'opqibi', status: 'delivered', issuedOn: '2021-01-28', validUntil: '2025-02-21', documentUrl: null });
  },
  'api_entreprise_v3_qualifelec_certificats/200-certification-qualifelec_2-certificats_sans-domaine.yaml': (answer) => {
    expect(answer.attestations.map((a) => [a.kind, a.status, a.validFrom, a.validUntil, a.details['Numéro de certificat'], a.details['RGE']])).toEqual([
      ['qualifelec', 'delivered', '2023-02-01', '2024-01-31', '2840', 'non'],
      ['qualifelec', 'delivered', '2023-08-01', '2024-07-31', '2841', 'non'],
    ]);
  },
  'api_entreprise_v3_qualifelec_certificats/200-certification-qualifelec_probatoire_rge.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'qualifelec', status: 'delivered', details: { RGE: 'oui', Domaines: 'Réseaux de Communications, Sécurité' } });
  },
  'api_entreprise_v3_qualifelec_certificats/200-certification-qualifelec_rge_sans-domaine.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'qualifelec', status: 'delivered', validUntil: '2024-01-31', details: { RGE: 'oui' } });
  },
  'api_entreprise_v3_carif_oref_certifications_qualiopi_france_competences/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({
      kind: 'qualiopi',
      status: 'delivered',
      details: { 'Numéro de déclaration d’activité': '11910843391', 'Actions certifiées Qualiopi': 'Actions de formation' },
    });
    expect(answer.facts['france_competences_habilitations']).toContain('RNCP10013');
  },
  'api_entreprise_v3_cnetp_attestation_cotisations_conges_payes_chomage_intemperies/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'cnetp', siren: '130025265', status: 'delivered', documentUrlExpiresInSeconds: 600 });
  },
  'api_entreprise_v3_cibtp_attestation_cotisations_conges_payes_chomage_intemperies/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'cibtp', siret: '13002526500013', status: 'delivered', documentUrlExpiresInSeconds: 600 });
  },
  'api_entreprise_v3_probtp_attestations_cotisation_retraite/200.yml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'probtp_attestation', status: 'delivered', documentUrlExpiresInSeconds: 7889238 });
  },
  'api_entreprise_v3_probtp_conformites_cotisations_retraite/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'probtp_conformite', siret: '30613890001294', status: 'delivered' });
  },
  'api_entreprise_v3_probtp_conformites_cotisations_retraite/200_non_conforme.yaml': (answer) => {
    // "Établissement non conforme": an explicit no
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'probtp_conformite', siret: '55204944776279', status: 'refused' });
  },
  'api_entreprise_v3_msa_conformites_cotisations/200.yaml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'msa_conformite', siret: '20005379100014', status: 'delivered' });
  },
  'api_entreprise_v3_fntp_carte_professionnelle_travaux_publics/200.yml': (answer) => {
    expect(onlyAttestation(answer)).toMatchObject({ kind: 'fntp_carte_pro', siren: '130025265', status: 'delivered', documentUrlExpiresInSeconds: 7889238 });
  },
  'api_entreprise_v4_mi_unites_legales/association.yaml': (answer) => {
    expect(companyOf(answer)).toMatchObject({
      siren: '389486242',
      name: 'ASSOCIATION SPORTIVE SALINDROISE',
      legalForm: { code: '9220' },
      activity: { code: '93.12Z' },
      administrativeStatus: 'active',
      createdOn: '1955-07-08',
      headOfficeSiret: '38948624200032',
    });
    expect(establishmentOf(answer)).toMatchObject({ siret: '38948624200032', isHeadOffice: true, address: { postalCode: '30340', city: 'Salindres' } });
    expect(answer.facts).toMatchObject({ rna: 'W301000624', association_regime: 'Loi 1901' });
  },
  'api_entreprise_v4_mi_unites_legales/association_regime_alsace_moselle.yaml': (answer) => {
    expect(companyOf(answer)).toMatchObject({ siren: '424179364', administrativeStatus: 'active', createdOn: '1999-07-07' });
    expect(establishmentOf(answer)).toMatchObject({ siret: '42417936400023', address: { street: '169 GRAND RUE', city: 'SCHIRMECK' } });
    expect(answer.facts).toMatchObject({ association_regime: 'Alsace-Moselle' });
  },
  'api_entreprise_v4_mi_unites_legales/association_sans_siren.yaml': (answer) => {
    // known by its RNA number only: no company record, the facts still identify it
    expect(answer.company).toBeNull();
    expect(answer.establishment).toBeNull();
    expect(answer.facts).toMatchObject({ rna: 'W604004799', association_name: 'POLE POSITION : LA SECURITE ROUTIERE EN PREMIERE LIGNE' });
  },
  'api_entreprise_v3_european_commission_vies/200.yaml': (answer) => {
    expect(answer).toEqual({ company: null, establishment: null, attestations: [], facts: { vat_number: 'FR82552049447' } });
  },
} satisfies Record<string, Expectation>);

// ---------------------------------------------------------------------------------------------
// Invariants every normalised answer keeps
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function expectDate(value: string | null, what: string): void {
  if (value !== null) expect(value, what).toMatch(ISO_DATE);
}

/** The explicit refusals of the raw body: the only way an attestation may be `refused`. */
function explicitRefusal(body: unknown): boolean {
  const text = JSON.stringify(body);
  return /"code":"refus_de_delivrance"/.test(text) || /"eligible":false/.test(text) || /"status":"outdated"/.test(text);
}

function expectInvariants(answer: NormalizedAnswer, stagingCase: StagingCase): void {
  // plain data, ready for IPC and SQLite
  expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  if (answer.company) {
    expect(answer.company.siren).toMatch(/^\d{9}$/);
    expectDate(answer.company.createdOn, 'company.createdOn');
    expectDate(answer.company.ceasedOn, 'company.ceasedOn');
    if (answer.company.headOfficeSiret !== null) expect(answer.company.headOfficeSiret).toMatch(/^\d{14}$/);
  }
  if (answer.establishment) {
    expect(answer.establishment.siret).toMatch(/^\d{14}$/);
    expect(answer.establishment.siren).toBe(answer.establishment.siret.slice(0, 9));
    expectDate(answer.establishment.closedOn, 'establishment.closedOn');
  }
  for (const a of answer.attestations) {
    expect(['delivered', 'refused', 'unknown']).toContain(a.status);
    for (const field of ['validFrom', 'validUntil', 'issuedOn', 'periodAnalyzed'] as const) expectDate(a[field], field);
    if (a.status === 'refused') expect(explicitRefusal(stagingCase.body), 'refused without an explicit refusal in the payload').toBe(true);
    for (const value of Object.values(a.details)) expect(value.trim()).not.toBe('');
  }
  for (const value of Object.values(answer.facts)) expect(value.trim()).not.toBe('');
}

// ---------------------------------------------------------------------------------------------
// Error payloads
// ---------------------------------------------------------------------------------------------

const KIND_BY_STATUS: Record<number, ApiErrorKind> = {
  403: 'not_authorized',
  404: 'not_found',
  409: 'conflict',
  422: 'bad_parameter',
  429: 'rate_limited',
  451: 'legally_unavailable',
  500: 'provider_error',
  502: 'provider_error',
  503: 'provider_unavailable',
  504: 'gateway_timeout',
};

const KIND_BY_TOKEN_CODE: Record<string, ApiErrorKind> = {
  '00101': 'token_invalid',
  '00103': 'token_expired',
  '00105': 'token_blacklisted',
};

function expectedKind(status: number, code: string | null): ApiErrorKind {
  if (status === 401) return KIND_BY_TOKEN_CODE[code ?? ''] ?? 'token_invalid';
  const kind = KIND_BY_STATUS[status];
  if (!kind) throw new Error(`no expected kind for status ${status}: add it to KIND_BY_STATUS`);
  return kind;
}

function expectClassified(status: number, body: unknown, where: string): ApiErrorKind {
  const info = readJsonApiError(body);
  expect(info, `${where}: not a JSON:API error body`).not.toBeNull();
  const kind = classifyStatus(status, info?.code ?? null);
  expect(kind, where).toBe(expectedKind(status, info?.code ?? null));
  if (status === 404) expect(TOKEN_REFUSALS.has(kind)).toBe(false);
  return kind;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const SAMPLE_IDENTIFIER: Record<EndpointSpec['identifier'], string | undefined> = {
  siren: '418166096',
  siret: '41816609600069',
  none: undefined,
};

describe('the catalogue against the contract and the staging folders', () => {
  it.each(ENDPOINT_SPECS.map((spec) => [spec.id, spec] as const))('%s is a GET operation of the contract, with a bearer token and recipient/context/object', (_id, spec) => {
    const concrete = endpointPath(spec.id, SAMPLE_IDENTIFIER[spec.identifier]);
    const match = findOperation('GET', concrete);
    expect(match, `${concrete} matches no operation of openapi.yaml`).not.toBeNull();
    expect(templateKey(match?.template ?? '')).toBe(templateKey(spec.pathTemplate));
    expect(securityRequired(match?.template ?? '')).toBe(true);
    if (spec.id !== 'privileges') expect(requiredQueryParameters(match?.template ?? '').sort()).toEqual(['context', 'object', 'recipient']);
  });

  it('has a staging folder for every endpoint but /privileges', () => {
    const missing = ENDPOINT_SPECS.filter((spec) => !WITHOUT_FOLDER.has(spec.id) && folderForTemplate(spec.pathTemplate) === null).map((s) => s.id);
    expect(missing).toEqual([]);
    expect(COVERED.size).toBe(ENDPOINT_SPECS.length - WITHOUT_FOLDER.size);
  });

  it('accounts for every staging folder: covered, or skipped for a stated reason', () => {
    const onDisk = stagingFolders();
    const unaccounted = onDisk.filter((folder) => !COVERED.has(folder) && !(folder in SKIPPED_FOLDERS));
    expect(unaccounted, 'new staging folders: cover them or add them to SKIPPED_FOLDERS with the reason').toEqual([]);
    const stale = Object.keys(SKIPPED_FOLDERS).filter((folder) => !onDisk.includes(folder) || COVERED.has(folder));
    expect(stale, 'SKIPPED_FOLDERS entries that no longer exist or are now covered').toEqual([]);
  });

  it('has an expectation for every success case, and no expectation without its case', () => {
    const successCases = [...COVERED.keys()].flatMap((folder) => readStagingCases(folder).filter((c) => c.status < 400).map((c) => `${folder}/${c.file}`));
    expect(successCases.filter((key) => !(key in EXPECTATIONS))).toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((key) => !successCases.includes(key))).toEqual([]);
  });
});

for (const [folder, spec] of COVERED) {
  const cases = readStagingCases(folder);
  const template = findOperation('GET', endpointPath(spec.id, SAMPLE_IDENTIFIER[spec.identifier]))?.template ?? spec.pathTemplate;

  describe(`${folder} (${spec.id})`, () => {
    it('has staging cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    for (const stagingCase of cases) {
      const key = `${folder}/${stagingCase.file}`;
      const identifier = Object.values(stagingCase.params)[0] ?? '';

      if (stagingCase.status < 400) {
        it(`${stagingCase.file}: conforms to the contract's ${stagingCase.status} schema`, () => {
          const { valid, errors } = validateResponseBody(template, stagingCase.status, stagingCase.body);
          const deviation = KNOWN_STAGING_DEVIATIONS[key];
          if (deviation) {
            expect(valid, `known deviation no longer occurs (${deviation.why}): remove it`).toBe(false);
            expect(errors.filter((e) => !deviation.errors.test(e))).toEqual([]);
          } else {
            expect(errors).toEqual([]);
            expect(valid).toBe(true);
          }
        });

        it(`${stagingCase.file}: normalizes to the expected records`, () => {
          const answer = normalizeAnswer(spec.id, stagingCase.body, identifier);
          expectInvariants(answer, stagingCase);
          const expectation = EXPECTATIONS[key];
          expect(expectation, `no expectation for ${key}`).toBeDefined();
          expectation?.(answer, stagingCase);
        });
      } else {
        it(`${stagingCase.file}: HTTP ${stagingCase.status} is classified, never normalized as an answer`, () => {
          expectClassified(stagingCase.status, stagingCase.body, key);
          // even handed to a normaliser by mistake, an error body cannot become a record (let alone a refusal)
          expect(() => normalizeAnswer(spec.id, stagingCase.body, identifier)).toThrow(MalformedPayloadError);
          if (hasResponseSchema(template, stagingCase.status)) {
            expect(validateResponseBody(template, stagingCase.status, stagingCase.body).errors).toEqual([]);
          }
        });
      }
    }
  });
}

describe('the contract’s error examples for the endpoints Vigie calls', () => {
  const templates = [...new Set(ENDPOINT_SPECS.map((spec) => findOperation('GET', endpointPath(spec.id, SAMPLE_IDENTIFIER[spec.identifier]))?.template))].filter(
    (t): t is string => t !== undefined,
  );

  it.each(templates)('%s: every documented error is classified as BRIEF §3 says', (template) => {
    let checked = 0;
    for (const status of responseStatuses(template).map(Number).filter((s) => s >= 400)) {
      for (const example of responseExamples(template, status)) {
        const kind = expectClassified(status, example.value, `${template} ${status} ${example.name}`);
        if (status === 401) expect(TOKEN_REFUSALS.has(kind)).toBe(true);
        if (hasResponseSchema(template, status)) expect(validateResponseBody(template, status, example.value).errors).toEqual([]);
        checked += 1;
      }
    }
    // /privileges documents its token errors too
    expect(checked).toBeGreaterThan(0);
  });

  it('reads the provider’s retry_in of a 502 (URSSAF manual analysis: two days)', () => {
    const template = '/v4/urssaf/unites_legales/{siren}/attestation_vigilance';
    const example = responseExamples(template, 502).find((e) => e.name === 'analyse_manuelle_de_la_situation_du_compte_en_cours_04501');
    expect(example).toBeDefined();
    expect(readJsonApiError(example?.value)).toMatchObject({ code: '04501', provider: 'ACOSS', retryInSeconds: 172800 });
  });
});
