// Who answers behind each endpoint, as the contract's error examples name them: the provider name
// goes into `meta.provider`, the two-digit prefix into the error codes (01003 = INSEE not found,
// 04502 = URSSAF processing...). Read from openapi.yaml's 404/502/504 examples of each path.
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';

export interface ProviderInfo {
  name: string;
  codePrefix: string;
}

const INSEE: ProviderInfo = { name: 'INSEE', codePrefix: '01' };

export const ENDPOINT_PROVIDERS: Record<Exclude<EndpointId, 'privileges'>, ProviderInfo> = {
  'insee.unite_legale': INSEE,
  'insee.unite_legale_diffusible': INSEE,
  'insee.etablissement': INSEE,
  'insee.etablissement_diffusible': INSEE,
  'insee.siege_social': INSEE,
  'insee.siege_social_diffusible': INSEE,
  'urssaf.attestation_vigilance': { name: 'ACOSS', codePrefix: '04' },
  'dgfip.attestation_fiscale': { name: 'DGFIP - Adélie', codePrefix: '03' },
  'infogreffe.extrait_rcs': { name: 'Infogreffe', codePrefix: '02' },
  'infogreffe.mandataires_sociaux': { name: 'Infogreffe', codePrefix: '02' },
  'inpi.extrait_rne': { name: 'INPI - RNE', codePrefix: '34' },
  'qualibat.certification': { name: 'Qualibat', codePrefix: '06' },
  'ademe.certification_rge': { name: 'ADEME', codePrefix: '19' },
  'opqibi.certification': { name: 'OPQIBI', codePrefix: '11' },
  'qualifelec.certificats': { name: 'Qualifelec', codePrefix: '32' },
  'carif_oref.qualiopi': { name: 'CARIF-OREF', codePrefix: '33' },
  'cnetp.attestation': { name: 'CNETP', codePrefix: '08' },
  'cibtp.attestation': { name: 'CIBTP', codePrefix: '38' },
  'probtp.attestation': { name: 'ProBTP', codePrefix: '09' },
  'probtp.conformite': { name: 'ProBTP', codePrefix: '09' },
  'msa.conformite': { name: 'MSA', codePrefix: '10' },
  'fntp.carte_professionnelle': { name: 'FNTP', codePrefix: '12' },
  'djepva.association': { name: 'DJEPVA', codePrefix: '29' },
  'vies.numero_tva': { name: 'Commission Européenne', codePrefix: '28' },
};

export function providerOf(endpoint: EndpointId): ProviderInfo | null {
  return endpoint === 'privileges' ? null : ENDPOINT_PROVIDERS[endpoint];
}
