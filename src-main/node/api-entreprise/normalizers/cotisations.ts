// Social contributions: CNETP and CIBTP (paid leave and bad-weather funds of the building trade),
// PRO BTP (retirement: attestation and compliance), MSA (agricultural social security).
//
// Refusal rule: only an explicit "not up to date" answer is a refusal — PRO BTP
// `eligible: false` ("établissement non conforme") and MSA `status: "outdated"`. MSA's
// `under_investigation`, an unknown code or a missing document is `unknown`.
import { z } from 'zod';
import type { AttestationKind, AttestationStatus, NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, attestation, parsePayload, seconds, text } from './shared';

const documentAnswerSchema = z.object({ data: z.object({ document_url: text, expires_in: seconds }) });

/** CNETP, CIBTP and PRO BTP attestations: a document to download at once (CIBTP's link lasts ten minutes). */
export function normalizeContributionDocument(
  kind: Extract<AttestationKind, 'cnetp' | 'cibtp' | 'probtp_attestation'>,
  endpoint: EndpointId,
  payload: unknown,
  identifier: string,
): NormalizedAnswer {
  const { data } = parsePayload(endpoint, documentAnswerSchema, payload);
  return answer({
    attestations: [
      attestation(kind, identifier, {
        status: data.document_url !== null ? 'delivered' : 'unknown',
        documentUrl: data.document_url,
        documentUrlExpiresInSeconds: data.expires_in,
      }),
    ],
  });
}

const probtpConformiteSchema = z.object({ data: z.object({ eligible: z.boolean() }) });

export function normalizeProbtpConformite(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, probtpConformiteSchema, payload);
  return answer({
    attestations: [
      attestation('probtp_conformite', identifier, {
        status: data.eligible ? 'delivered' : 'refused',
        statusLabel: data.eligible ? 'Conforme : cotisations retraite à jour' : 'Non conforme : cotisations retraite non à jour',
      }),
    ],
  });
}

const MSA_STATUSES = new Map<string, { status: AttestationStatus; label: string }>([
  ['up_to_date', { status: 'delivered', label: 'À jour de ses cotisations' }],
  ['outdated', { status: 'refused', label: 'Non à jour de ses cotisations' }],
  ['under_investigation', { status: 'unknown', label: 'Situation en cours d’analyse par la MSA' }],
]);

const msaConformiteSchema = z.object({ data: z.object({ status: z.string() }) });

export function msaStatus(code: string): { status: AttestationStatus; label: string | null } {
  return MSA_STATUSES.get(code.trim().toLowerCase()) ?? { status: 'unknown', label: null };
}

export function normalizeMsaConformite(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, msaConformiteSchema, payload);
  const { status, label } = msaStatus(data.status);
  return answer({
    attestations: [attestation('msa_conformite', identifier, { status, statusLabel: label, details: { 'Code MSA': data.status } })],
  });
}
