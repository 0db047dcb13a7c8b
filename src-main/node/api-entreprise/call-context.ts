// `recipient`, `context` and `object` travel with every call and are traced by the providers for
// 36 months: malformed ones are refused here, before any request (the server would answer 422).
import { isValidSiret, normalizeIdentifier } from '../../common/identifiers';
import { ApiEntrepriseError } from './api-error';

export interface CallContext {
  /** SIRET of the commune, the recipient of the data. */
  recipient: string;
  /** Legal framework, e.g. « Gestion d’un référentiel tiers » or « Marchés publics ». */
  context: string;
  /** Reason or case number, under 50 characters. */
  object: string;
}

export const OBJECT_MAX_LENGTH = 49;
export const CONTEXT_MAX_LENGTH = 250;

function invalid(detail: string, userMessage: string): ApiEntrepriseError {
  return ApiEntrepriseError.local('local_validation', detail, { userMessage });
}

/** Returns the context cleaned up (trimmed, identifier normalised) or throws a local_validation error. */
export function validateCallContext(raw: CallContext): CallContext {
  const recipient = normalizeIdentifier(raw.recipient ?? '');
  if (!isValidSiret(recipient)) {
    throw invalid('recipient is not a valid SIRET', 'Le SIRET de la commune (destinataire des données) est invalide : corrigez-le dans les paramètres.');
  }
  const context = (raw.context ?? '').trim();
  if (context === '') throw invalid('context is empty', 'Indiquez le cadre de la demande (par exemple « Gestion d’un référentiel tiers »).');
  if (context.length > CONTEXT_MAX_LENGTH) {
    throw invalid('context is too long', `Le cadre de la demande dépasse ${CONTEXT_MAX_LENGTH} caractères.`);
  }
  const object = (raw.object ?? '').trim();
  if (object === '') throw invalid('object is empty', 'Indiquez l’objet de la demande (raison ou numéro de dossier).');
  if (object.length > OBJECT_MAX_LENGTH) {
    throw invalid('object is 50 characters or more', 'L’objet de la demande doit faire moins de 50 caractères.');
  }
  return { recipient, context, object };
}
