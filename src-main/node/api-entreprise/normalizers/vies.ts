// Intra-community VAT number (European Commission VIES), v3:
// `/v3/european_commission/unites_legales/{siren}/numero_tva`. One fact.
import { z } from 'zod';
import type { NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, parsePayload } from './shared';

const viesAnswerSchema = z.object({ data: z.object({ tva_number: z.string().trim().min(1) }) });

export function normalizeVies(endpoint: EndpointId, payload: unknown): NormalizedAnswer {
  const { data } = parsePayload(endpoint, viesAnswerSchema, payload);
  return answer({ facts: { vat_number: data.tva_number.replace(/\s+/g, '').toUpperCase() } });
}
