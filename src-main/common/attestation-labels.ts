// French names of what Vigie keeps, for every screen that shows them.

export const ATTESTATION_LABELS: Record<string, string> = {
  urssaf_vigilance: 'Attestation de vigilance (URSSAF)',
  dgfip_fiscale: 'Attestation de régularité fiscale (DGFIP)',
  rcs_extract: 'Extrait RCS (Infogreffe)',
  rne_extract: 'Extrait RNE (INPI)',
  qualibat: 'Certification Qualibat',
  rge: 'Certification RGE',
  opqibi: 'Certification OPQIBI',
  qualifelec: 'Certificat Qualifelec',
  qualiopi: 'Certification Qualiopi',
  cnetp: 'Attestation CNETP (congés payés)',
  cibtp: 'Attestation CIBTP (congés payés)',
  probtp_attestation: 'Attestation PRO BTP (retraite)',
  probtp_conformite: 'Conformité PRO BTP (retraite)',
  msa_conformite: 'Conformité MSA (cotisations agricoles)',
  fntp_carte_pro: 'Carte professionnelle travaux publics (FNTP)',
};

export function attestationLabel(kind: string): string {
  return ATTESTATION_LABELS[kind] ?? kind;
}

export const COMPLIANCE_LABELS = {
  a_jour: 'À jour',
  expire_bientot: 'Expire sous 30 jours',
  expiree: 'Expirée',
  refus: 'Refus de délivrance',
  inconnue: 'Inconnue ou non trouvée',
  non_habilite: 'Non habilité',
} as const;
