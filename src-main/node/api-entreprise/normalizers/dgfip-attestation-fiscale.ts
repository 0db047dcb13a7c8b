// DGFIP attestation de régularité fiscale, v4: `/v4/dgfip/unites_legales/{siren}/attestation_fiscale`.
// Covers VAT and corporate tax only; a new one can exist each month: `date_periode_analysee` is the
// last day of the month it covers. DGFIP never answers a refusal in a 200: a company out of scope is
// a 404, which says nothing about compliance.
import { z } from 'zod';
import type { NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, attestation, isoDate, parsePayload, seconds, text } from './shared';

const fiscalAnswerSchema = z.object({
  data: z.object({
    document_url: text,
    document_url_expires_in: seconds,
    date_delivrance_attestation: isoDate,
    date_periode_analysee: isoDate,
  }),
});

export function normalizeDgfipAttestationFiscale(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, fiscalAnswerSchema, payload);
  const delivered = data.document_url !== null || data.date_delivrance_attestation !== null;
  return answer({
    attestations: [
      attestation('dgfip_fiscale', identifier, {
        status: delivered ? 'delivered' : 'unknown',
        issuedOn: data.date_delivrance_attestation,
        periodAnalyzed: data.date_periode_analysee,
        documentUrl: data.document_url,
        documentUrlExpiresInSeconds: data.document_url_expires_in,
      }),
    ],
  });
}
