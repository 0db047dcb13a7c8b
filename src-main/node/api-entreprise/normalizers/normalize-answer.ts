// The one entry point from a successful API Entreprise answer (HTTP 2xx, JSON body already parsed)
// to Vigie's domain records. Error answers (status >= 400) never come here: they are classified by
// `readJsonApiError` + `classifyStatus` (api-error.ts).
//
//   normalizeAnswer(endpoint, payload, identifier) -> NormalizedAnswer
//     - `identifier`: the SIREN or SIRET the call was made for (already validated); attestations
//       are attached to it, and it completes records the payload does not identify.
//     - throws MalformedPayloadError (an ApiEntrepriseError of kind `malformed_response`) when the
//       payload is unusable; its message names paths and expected types, never payload values.
//   parsePrivileges(payload) -> string[]   for GET /privileges
//
// Attestation `status` is `refused` only on an explicit refusal: URSSAF `refus_de_delivrance`,
// PRO BTP `eligible: false`, MSA `outdated`. Everything else is `delivered` or `unknown`.
import type { NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { normalizeAssociation } from './association';
import { normalizeFntpCartePro, normalizeOpqibi, normalizeQualibat, normalizeQualifelec, normalizeQualiopi, normalizeRge } from './certifications';
import { normalizeContributionDocument, normalizeMsaConformite, normalizeProbtpConformite } from './cotisations';
import { normalizeDgfipAttestationFiscale } from './dgfip-attestation-fiscale';
import { normalizeInfogreffeExtraitRcs } from './infogreffe-extrait-rcs';
import { normalizeInfogreffeMandataires } from './infogreffe-mandataires';
import { normalizeInpiExtraitRne } from './inpi-extrait-rne';
import { normalizeInseeEtablissement } from './insee-etablissement';
import { normalizeInseeUniteLegale } from './insee-unite-legale';
import { parsePrivileges } from './privileges';
import { answer } from './shared';
import { normalizeUrssafAttestationVigilance } from './urssaf-attestation-vigilance';
import { normalizeVies } from './vies';

export { MalformedPayloadError, FACT_LABELS, type FactKey } from './shared';
export { parsePrivileges } from './privileges';

type Normalizer = (endpoint: EndpointId, payload: unknown, identifier: string) => NormalizedAnswer;

/** Every endpoint of the catalogue has its normaliser: the compiler checks the table is complete. */
const NORMALIZERS: Record<EndpointId, Normalizer> = {
  privileges: (_endpoint, payload) => answer({ facts: { privileges: parsePrivileges(payload).join(', ') } }),
  'insee.unite_legale': normalizeInseeUniteLegale,
  'insee.unite_legale_diffusible': normalizeInseeUniteLegale,
  'insee.etablissement': normalizeInseeEtablissement,
  'insee.etablissement_diffusible': normalizeInseeEtablissement,
  'insee.siege_social': normalizeInseeEtablissement,
  'insee.siege_social_diffusible': normalizeInseeEtablissement,
  'urssaf.attestation_vigilance': normalizeUrssafAttestationVigilance,
  'dgfip.attestation_fiscale': normalizeDgfipAttestationFiscale,
  'infogreffe.extrait_rcs': normalizeInfogreffeExtraitRcs,
  'infogreffe.mandataires_sociaux': normalizeInfogreffeMandataires,
  'inpi.extrait_rne': normalizeInpiExtraitRne,
  'qualibat.certification': normalizeQualibat,
  'ademe.certification_rge': normalizeRge,
  'opqibi.certification': normalizeOpqibi,
  'qualifelec.certificats': normalizeQualifelec,
  'carif_oref.qualiopi': normalizeQualiopi,
  'cnetp.attestation': (endpoint, payload, identifier) => normalizeContributionDocument('cnetp', endpoint, payload, identifier),
  'cibtp.attestation': (endpoint, payload, identifier) => normalizeContributionDocument('cibtp', endpoint, payload, identifier),
  'probtp.attestation': (endpoint, payload, identifier) => normalizeContributionDocument('probtp_attestation', endpoint, payload, identifier),
  'probtp.conformite': normalizeProbtpConformite,
  'msa.conformite': normalizeMsaConformite,
  'fntp.carte_professionnelle': normalizeFntpCartePro,
  'djepva.association': normalizeAssociation,
  'vies.numero_tva': normalizeVies,
};

export function normalizeAnswer(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const normalize = NORMALIZERS[endpoint];
  return normalize(endpoint, payload, identifier.trim());
}
