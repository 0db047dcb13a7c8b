// One supplier looked up across several endpoints at once: the pools are independent, so the
// calls run concurrently and each is throttled by its own pool. Each endpoint succeeds or fails on
// its own: a missing attestation never hides the company's data, and a 404 stays "non trouvé".
import type { AttestationRecord, CompanyRecord, EstablishmentRecord } from '../../common/company-records';
import { checkIdentifier } from '../../common/identifiers';
import type { ApiCallResult, ApiEntrepriseClient, CallOptions, StoredDocumentRef } from './api-client';
import { ApiEntrepriseError } from './api-error';
import { ENDPOINTS, type EndpointId } from './endpoint-catalogue';

export const DEFAULT_LOOKUP_ENDPOINTS: readonly EndpointId[] = [
  'insee.unite_legale',
  'insee.etablissement',
  'urssaf.attestation_vigilance',
  'dgfip.attestation_fiscale',
];

export interface EndpointOutcome {
  endpoint: EndpointId;
  ok: boolean;
  /** Set when ok is false. */
  error: ReturnType<ApiEntrepriseError['toJSON']> | null;
  /** French, for the user, when ok is false. */
  message: string | null;
  document: StoredDocumentRef | null;
  cached: boolean;
}

export interface SupplierLookup {
  siren: string;
  siret: string | null;
  company: CompanyRecord | null;
  establishment: EstablishmentRecord | null;
  attestations: AttestationRecord[];
  facts: Record<string, string>;
  outcomes: EndpointOutcome[];
}

/**
 * Looks a SIREN or SIRET up. Establishment endpoints need a SIRET: with a SIREN alone they are
 * replaced by the head office endpoint.
 */
export async function lookupSupplier(
  client: ApiEntrepriseClient,
  rawIdentifier: string,
  endpoints: readonly EndpointId[] = DEFAULT_LOOKUP_ENDPOINTS,
  options: CallOptions = {},
): Promise<SupplierLookup> {
  const check = checkIdentifier(rawIdentifier);
  if (!check.ok) {
    throw ApiEntrepriseError.local('local_validation', 'invalid identifier for lookup', { userMessage: check.message });
  }
  const siren = check.siren;
  const siret = check.kind === 'siret' ? check.value : null;
  const plan = planCalls(endpoints, siren, siret);
  const settled = await Promise.allSettled(plan.map(([endpoint, id]) => client.call(endpoint, id, options)));
  const result: SupplierLookup = { siren, siret, company: null, establishment: null, attestations: [], facts: {}, outcomes: [] };
  settled.forEach((outcome, index) => {
    const endpoint = (plan[index] as [EndpointId, string])[0];
    if (outcome.status === 'fulfilled') {
      merge(result, outcome.value);
      result.outcomes.push({ endpoint, ok: true, error: null, message: null, document: outcome.value.document, cached: outcome.value.cached });
      return;
    }
    const error = outcome.reason;
    if (!(error instanceof ApiEntrepriseError)) throw error;
    result.outcomes.push({ endpoint, ok: false, error: error.toJSON(), message: error.userMessage, document: null, cached: false });
  });
  return result;
}

function planCalls(endpoints: readonly EndpointId[], siren: string, siret: string | null): [EndpointId, string][] {
  const calls = new Map<EndpointId, string>();
  for (const endpoint of endpoints) {
    const kind = ENDPOINTS[endpoint].identifier;
    if (kind === 'siren') calls.set(endpoint, siren);
    else if (kind === 'siret' && siret) calls.set(endpoint, siret);
    else if (kind === 'siret' && endpoint === 'insee.etablissement') calls.set('insee.siege_social', siren);
    else if (kind === 'siret' && endpoint === 'insee.etablissement_diffusible') calls.set('insee.siege_social_diffusible', siren);
  }
  return [...calls.entries()];
}

function merge(into: SupplierLookup, answer: ApiCallResult): void {
  const normalized = answer.normalized;
  if (!normalized) return;
  into.company ??= normalized.company;
  into.establishment ??= normalized.establishment;
  into.attestations.push(...normalized.attestations);
  Object.assign(into.facts, normalized.facts);
}
