// French words for what the supplier screen and the journal show.
import type { SupplierDetail } from '../../../src-main/common/ipc-contract';

export type AttestationState = SupplierDetail['attestations'][number]['state'];

export const ATTESTATION_STATE_WORDS: Readonly<Record<AttestationState, string>> = {
  a_jour: 'À jour',
  expire_bientot: 'Expire sous 30 jours',
  expiree: 'Expirée',
  refus: 'Refus de délivrance',
  inconnue: 'Inconnue',
};

export const ATTESTATION_STATE_TONE: Readonly<Record<AttestationState, string>> = {
  a_jour: 'state-good',
  expire_bientot: 'state-warning',
  expiree: 'state-bad',
  refus: 'state-bad',
  inconnue: 'state-neutral',
};

export const PROTECTED_DATA = 'Donnée protégée (non diffusible)';

/** INSEE masks what a company chose not to publish with "[ND]". */
export function isProtected(value: string | null): boolean {
  return value !== null && value.includes('[ND]');
}

/** The value, « Donnée protégée (non diffusible) » in place of a masked one, or a dash when absent. */
export function shownValue(value: string | null): string {
  if (value === null || value.trim() === '') return '—';
  return isProtected(value) ? PROTECTED_DATA : value;
}

export function isProtectedDiffusion(diffusion: string | null): boolean {
  return diffusion === 'partiellement_diffusible' || diffusion === 'non_diffusible';
}

export const ADMINISTRATIVE_STATUS_WORDS: Readonly<Record<string, string>> = {
  active: 'En activité',
  ceased: 'Cessée',
  unknown: 'Inconnue',
};

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  ok: 'Réussi',
  local_validation: 'Numéro invalide',
  token_missing: 'Jeton absent',
  token_invalid: 'Jeton refusé',
  token_expired: 'Jeton expiré',
  token_blacklisted: 'Jeton révoqué',
  not_authorized: 'Non habilité',
  not_found: 'Non trouvé',
  conflict: 'Conflit',
  bad_parameter: 'Paramètre refusé',
  rate_limited: 'Trop de demandes',
  legally_unavailable: 'Indisponible (raison légale)',
  provider_error: 'Erreur du fournisseur de données',
  provider_unavailable: 'Fournisseur de données indisponible',
  gateway_timeout: 'Délai dépassé (passerelle)',
  timeout: 'Délai dépassé',
  network: 'Réseau injoignable',
  malformed_response: 'Réponse illisible',
  document_invalid: 'Document invalide',
  document_expired: 'Lien du document expiré',
  document_too_large: 'Document trop volumineux',
};

/** "Réussi", or the error in words (the raw code when it is not known here). */
export function outcomeWords(outcome: string): string {
  return OUTCOME_WORDS[outcome] ?? `Erreur (${outcome})`;
}
