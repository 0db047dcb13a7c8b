// URSSAF attestation de vigilance, v4: `/v4/urssaf/unites_legales/{siren}/attestation_vigilance`.
//
// The refusal rule (BRIEF §3, §4): only `entity_status.code = "refus_de_delivrance"` says the
// company is not up to date. `ok` is delivered, even when the dates or the document are missing
// (delivered, validity unknown); any other code is `unknown`, never a refusal.
import { z } from 'zod';
import type { AttestationStatus, NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, attestation, isoDate, parsePayload, seconds, text } from './shared';

export const URSSAF_DELIVERED = 'ok';
export const URSSAF_REFUSED = 'refus_de_delivrance';

const vigilanceAnswerSchema = z.object({
  data: z.object({
    // what the whole attestation rests on: required
    entity_status: z.object({ code: z.string(), libelle: text, description: text }),
    date_debut_validite: isoDate,
    date_fin_validite: isoDate,
    code_securite: text,
    document_url: text,
    document_url_expires_in: seconds,
  }),
});

export function urssafStatus(code: string): AttestationStatus {
  const normalized = code.trim().toLowerCase();
  if (normalized === URSSAF_DELIVERED) return 'delivered';
  if (normalized === URSSAF_REFUSED) return 'refused';
  return 'unknown';
}

export function normalizeUrssafAttestationVigilance(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, vigilanceAnswerSchema, payload);
  return answer({
    attestations: [
      attestation('urssaf_vigilance', identifier, {
        status: urssafStatus(data.entity_status.code),
        statusLabel: data.entity_status.libelle,
        validFrom: data.date_debut_validite,
        validUntil: data.date_fin_validite,
        securityCode: data.code_securite,
        documentUrl: data.document_url,
        documentUrlExpiresInSeconds: data.document_url_expires_in,
        details: { 'Code URSSAF': data.entity_status.code, Explication: data.entity_status.description },
      }),
    ],
  });
}
