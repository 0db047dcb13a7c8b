// Every API Entreprise endpoint Vigie calls, as data: path, version, identifier, response kind,
// scope, rate-limit pool and timeout class. The client, the fake API, the planner and the
// conformance tests all read this one table. The ids and French names live in
// common/endpoint-labels.ts, which the renderer may import too.
import { ENDPOINT_LABELS, type EndpointId } from '../../common/endpoint-labels';

export type { EndpointId };

export type RateLimitPoolId = 'json' | 'urssaf' | 'documents' | 'dgfip' | 'cibtp' | 'inpi_rne';

export interface RateLimitPoolSpec {
  id: RateLimitPoolId;
  label: string;
  /** Requests per window, as configured server-side; the headers of each answer recalibrate it. */
  limit: number;
  windowMs: number;
}

/** Seeded from the server configuration (BRIEF §3); the `RateLimit-*` headers are trusted over it. */
export const RATE_LIMIT_POOLS: Record<RateLimitPoolId, RateLimitPoolSpec> = {
  json: { id: 'json', label: 'Données JSON', limit: 250, windowMs: 60_000 },
  urssaf: { id: 'urssaf', label: 'Attestation de vigilance URSSAF', limit: 100, windowMs: 60_000 },
  documents: { id: 'documents', label: 'Documents à faible latence', limit: 50, windowMs: 60_000 },
  dgfip: { id: 'dgfip', label: 'Attestation fiscale DGFIP', limit: 5, windowMs: 60_000 },
  cibtp: { id: 'cibtp', label: 'Certificat CIBTP', limit: 5, windowMs: 60_000 },
  inpi_rne: { id: 'inpi_rne', label: 'INPI RNE', limit: 15, windowMs: 60_000 },
};

/** Per installation (one IP), whatever the token: the current limit and the older documented one. */
export const GLOBAL_CEILINGS = [
  { limit: 1000, windowMs: 60_000 },
  { limit: 2000, windowMs: 600_000 },
] as const;

export type TimeoutClass = 'json' | 'document';

export const DEFAULT_TIMEOUTS_MS: Record<TimeoutClass, number> = { json: 5_000, document: 12_000 };

export type IdentifierKind = 'siren' | 'siret' | 'none';

/** What the answer carries: data only, or data with a `document_url` to fetch at once. */
export type ResponseKind = 'json' | 'document';

export type DocumentMediaType = 'application/pdf' | 'application/zip';

/** The domain family of an endpoint: what it tells about a supplier. */
export type EndpointFamily = 'account' | 'company' | 'establishment' | 'attestation' | 'certification' | 'registry';

export interface EndpointSpec {
  id: EndpointId;
  /** French, for the UI and the call journal (from ENDPOINT_LABELS). */
  label: string;
  version: 'v3' | 'v4' | 'none';
  /** With `{siren}` or `{siret}` where the identifier goes. */
  pathTemplate: string;
  identifier: IdentifierKind;
  response: ResponseKind;
  documentTypes: readonly DocumentMediaType[];
  /** Token scope that opens it (as listed by GET /privileges). */
  scope: string;
  pool: RateLimitPoolId;
  timeout: TimeoutClass;
  family: EndpointFamily;
  /** Whether the server caches the answer until 8:00 the next day (`X-Response-Cached`). */
  cachedUntilMorning: boolean;
}

type SpecInput = Omit<EndpointSpec, 'label' | 'documentTypes' | 'timeout' | 'cachedUntilMorning'> &
  Partial<Pick<EndpointSpec, 'documentTypes' | 'timeout' | 'cachedUntilMorning'>>;

const CACHED_REGISTRIES: ReadonlySet<string> = new Set(['qualibat.certification', 'inpi.extrait_rne', 'djepva.association']);

function spec(input: SpecInput): EndpointSpec {
  const isDocument = input.response === 'document';
  return {
    label: ENDPOINT_LABELS[input.id],
    documentTypes: isDocument ? ['application/pdf'] : [],
    timeout: isDocument ? 'document' : 'json',
    // the contract documents X-Response-Cached for attestations and a few registries
    cachedUntilMorning: input.family === 'attestation' || CACHED_REGISTRIES.has(input.id),
    ...input,
  };
}

const INSEE_SCOPE = 'unites_legales_etablissements_insee';

export const ENDPOINTS: Record<EndpointId, EndpointSpec> = {
  privileges: spec({
    id: 'privileges',
    version: 'none',
    pathTemplate: '/privileges',
    identifier: 'none',
    response: 'json',
    scope: '',
    pool: 'json',
    family: 'account',
  }),
  'insee.unite_legale': spec({
    id: 'insee.unite_legale',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/unites_legales/{siren}',
    identifier: 'siren',
    response: 'json',
    scope: INSEE_SCOPE,
    pool: 'json',
    family: 'company',
  }),
  'insee.unite_legale_diffusible': spec({
    id: 'insee.unite_legale_diffusible',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/unites_legales/diffusibles/{siren}',
    identifier: 'siren',
    response: 'json',
    scope: 'open_data',
    pool: 'json',
    family: 'company',
  }),
  'insee.etablissement': spec({
    id: 'insee.etablissement',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/etablissements/{siret}',
    identifier: 'siret',
    response: 'json',
    scope: INSEE_SCOPE,
    pool: 'json',
    family: 'establishment',
  }),
  'insee.etablissement_diffusible': spec({
    id: 'insee.etablissement_diffusible',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/etablissements/diffusibles/{siret}',
    identifier: 'siret',
    response: 'json',
    scope: 'open_data',
    pool: 'json',
    family: 'establishment',
  }),
  'insee.siege_social': spec({
    id: 'insee.siege_social',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/unites_legales/{siren}/siege_social',
    identifier: 'siren',
    response: 'json',
    scope: INSEE_SCOPE,
    pool: 'json',
    family: 'establishment',
  }),
  'insee.siege_social_diffusible': spec({
    id: 'insee.siege_social_diffusible',
    version: 'v4',
    pathTemplate: '/v4/insee/sirene/unites_legales/diffusibles/{siren}/siege_social',
    identifier: 'siren',
    response: 'json',
    scope: 'open_data',
    pool: 'json',
    family: 'establishment',
  }),
  'urssaf.attestation_vigilance': spec({
    id: 'urssaf.attestation_vigilance',
    version: 'v4',
    pathTemplate: '/v4/urssaf/unites_legales/{siren}/attestation_vigilance',
    identifier: 'siren',
    response: 'document',
    scope: 'attestations_sociales',
    pool: 'urssaf',
    family: 'attestation',
  }),
  'dgfip.attestation_fiscale': spec({
    id: 'dgfip.attestation_fiscale',
    version: 'v4',
    pathTemplate: '/v4/dgfip/unites_legales/{siren}/attestation_fiscale',
    identifier: 'siren',
    response: 'document',
    scope: 'attestations_fiscales',
    pool: 'dgfip',
    family: 'attestation',
  }),
  'infogreffe.extrait_rcs': spec({
    id: 'infogreffe.extrait_rcs',
    version: 'v3',
    pathTemplate: '/v3/infogreffe/rcs/unites_legales/{siren}/extrait_kbis',
    identifier: 'siren',
    response: 'json',
    scope: 'extraits_rcs',
    pool: 'json',
    family: 'registry',
  }),
  'infogreffe.mandataires_sociaux': spec({
    id: 'infogreffe.mandataires_sociaux',
    version: 'v3',
    pathTemplate: '/v3/infogreffe/rcs/unites_legales/{siren}/mandataires_sociaux',
    identifier: 'siren',
    response: 'json',
    scope: 'mandataires_sociaux_infogreffe',
    pool: 'json',
    family: 'registry',
  }),
  'inpi.extrait_rne': spec({
    id: 'inpi.extrait_rne',
    version: 'v3',
    pathTemplate: '/v3/inpi/rne/unites_legales/{siren}/extrait_rne',
    identifier: 'siren',
    response: 'document',
    scope: 'actes_inpi',
    pool: 'inpi_rne',
    family: 'registry',
  }),
  'qualibat.certification': spec({
    id: 'qualibat.certification',
    version: 'v4',
    pathTemplate: '/v4/qualibat/etablissements/{siret}/certification_batiment',
    identifier: 'siret',
    response: 'document',
    scope: 'qualibat',
    pool: 'documents',
    family: 'certification',
  }),
  'ademe.certification_rge': spec({
    id: 'ademe.certification_rge',
    version: 'v3',
    pathTemplate: '/v3/ademe/etablissements/{siret}/certification_rge',
    identifier: 'siret',
    response: 'json',
    scope: 'certificat_rge_ademe',
    pool: 'json',
    family: 'certification',
  }),
  'opqibi.certification': spec({
    id: 'opqibi.certification',
    version: 'v3',
    pathTemplate: '/v3/opqibi/unites_legales/{siren}/certification_ingenierie',
    identifier: 'siren',
    response: 'json',
    scope: 'certificat_opqibi',
    pool: 'json',
    family: 'certification',
  }),
  'qualifelec.certificats': spec({
    id: 'qualifelec.certificats',
    version: 'v3',
    pathTemplate: '/v3/qualifelec/etablissements/{siret}/certificats',
    identifier: 'siret',
    response: 'json',
    scope: 'qualifelec',
    pool: 'json',
    family: 'certification',
  }),
  'carif_oref.qualiopi': spec({
    id: 'carif_oref.qualiopi',
    version: 'v3',
    pathTemplate: '/v3/carif_oref/etablissements/{siret}/certifications_qualiopi_france_competences',
    identifier: 'siret',
    response: 'json',
    scope: 'certifications_qualiopi_france_competences',
    pool: 'json',
    family: 'certification',
  }),
  'cnetp.attestation': spec({
    id: 'cnetp.attestation',
    version: 'v3',
    pathTemplate: '/v3/cnetp/unites_legales/{siren}/attestation_cotisations_conges_payes_chomage_intemperies',
    identifier: 'siren',
    response: 'document',
    scope: 'attestation_cotisations_conges_payes_chomage_intemperies_cibtp_cnetp',
    pool: 'documents',
    family: 'attestation',
  }),
  'cibtp.attestation': spec({
    id: 'cibtp.attestation',
    version: 'v3',
    pathTemplate: '/v3/cibtp/etablissements/{siret}/attestation_cotisations_conges_payes_chomage_intemperies',
    identifier: 'siret',
    response: 'document',
    scope: 'attestation_cotisations_conges_payes_chomage_intemperies_cibtp_cnetp',
    pool: 'cibtp',
    family: 'attestation',
  }),
  'probtp.attestation': spec({
    id: 'probtp.attestation',
    version: 'v3',
    pathTemplate: '/v3/probtp/etablissements/{siret}/attestation_cotisations_retraite',
    identifier: 'siret',
    response: 'document',
    scope: 'probtp',
    pool: 'documents',
    family: 'attestation',
  }),
  'probtp.conformite': spec({
    id: 'probtp.conformite',
    version: 'v3',
    pathTemplate: '/v3/probtp/etablissements/{siret}/conformite_cotisations_retraite',
    identifier: 'siret',
    response: 'json',
    scope: 'cotisations_probtp',
    pool: 'json',
    family: 'attestation',
  }),
  'msa.conformite': spec({
    id: 'msa.conformite',
    version: 'v3',
    pathTemplate: '/v3/msa/etablissements/{siret}/conformite_cotisations',
    identifier: 'siret',
    response: 'json',
    scope: 'cotisations_msa',
    pool: 'json',
    family: 'attestation',
  }),
  'fntp.carte_professionnelle': spec({
    id: 'fntp.carte_professionnelle',
    version: 'v3',
    pathTemplate: '/v3/fntp/unites_legales/{siren}/carte_professionnelle_travaux_publics',
    identifier: 'siren',
    response: 'document',
    scope: 'fntp_carte_pro',
    pool: 'documents',
    family: 'certification',
  }),
  'djepva.association': spec({
    id: 'djepva.association',
    version: 'v4',
    pathTemplate: '/v4/djepva/api-association/associations/{siren}',
    identifier: 'siren',
    response: 'json',
    scope: 'associations',
    pool: 'json',
    family: 'company',
  }),
  'vies.numero_tva': spec({
    id: 'vies.numero_tva',
    version: 'v3',
    pathTemplate: '/v3/european_commission/unites_legales/{siren}/numero_tva',
    identifier: 'siren',
    response: 'json',
    scope: 'entreprises',
    pool: 'json',
    family: 'company',
  }),
};

export const ENDPOINT_IDS = Object.keys(ENDPOINTS) as EndpointId[];

export function endpointSpec(id: EndpointId): EndpointSpec {
  return ENDPOINTS[id];
}

/** The path for one identifier; the identifier must already be validated. */
export function endpointPath(id: EndpointId, identifier?: string): string {
  const { pathTemplate, identifier: kind } = ENDPOINTS[id];
  if (kind === 'none') return pathTemplate;
  if (identifier === undefined) throw new Error(`endpoint ${id} needs a ${kind}`);
  return pathTemplate.replace(`{${kind}}`, encodeURIComponent(identifier));
}
