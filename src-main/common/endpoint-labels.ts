// The API Entreprise endpoints Vigie calls, by id, with their French name. One table for the main
// process (the endpoint catalogue, the call journal's rows, the token's privileges) and for the
// renderer (the call journal's filter), which cannot import the catalogue. Catalogue order.

export const ENDPOINT_LABELS = {
  privileges: 'Habilitations du jeton',
  'insee.unite_legale': 'Unité légale (INSEE)',
  'insee.unite_legale_diffusible': 'Unité légale, données diffusibles (INSEE)',
  'insee.etablissement': 'Établissement (INSEE)',
  'insee.etablissement_diffusible': 'Établissement, données diffusibles (INSEE)',
  'insee.siege_social': 'Siège social (INSEE)',
  'insee.siege_social_diffusible': 'Siège social, données diffusibles (INSEE)',
  'urssaf.attestation_vigilance': 'Attestation de vigilance (URSSAF)',
  'dgfip.attestation_fiscale': 'Attestation fiscale (DGFIP)',
  'infogreffe.extrait_rcs': 'Extrait RCS (Infogreffe)',
  'infogreffe.mandataires_sociaux': 'Mandataires sociaux (Infogreffe)',
  'inpi.extrait_rne': 'Extrait RNE (INPI)',
  'qualibat.certification': 'Certification Qualibat',
  'ademe.certification_rge': 'Certification RGE (ADEME)',
  'opqibi.certification': 'Certification OPQIBI',
  'qualifelec.certificats': 'Certificats Qualifelec',
  'carif_oref.qualiopi': 'Qualiopi et habilitations France compétences',
  'cnetp.attestation': 'Attestation de cotisations congés payés (CNETP)',
  'cibtp.attestation': 'Attestation de cotisations congés payés (CIBTP)',
  'probtp.attestation': 'Attestation de cotisations retraite (PRO BTP)',
  'probtp.conformite': 'Conformité des cotisations retraite (PRO BTP)',
  'msa.conformite': 'Conformité des cotisations agricoles (MSA)',
  'fntp.carte_professionnelle': 'Carte professionnelle travaux publics (FNTP)',
  'djepva.association': 'Données association (DJEPVA)',
  'vies.numero_tva': 'Numéro de TVA intracommunautaire',
} as const satisfies Record<string, string>;

export type EndpointId = keyof typeof ENDPOINT_LABELS;

/** Every endpoint with its French name, in catalogue order. */
export const LABELLED_ENDPOINTS: readonly { id: EndpointId; label: string }[] = (
  Object.entries(ENDPOINT_LABELS) as [EndpointId, string][]
).map(([id, label]) => ({ id, label }));
