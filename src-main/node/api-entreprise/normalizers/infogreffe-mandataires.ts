// Infogreffe mandataires sociaux, v3: `/v3/infogreffe/rcs/unites_legales/{siren}/mandataires_sociaux`.
// Only facts: how many officers, and who (function and name, one per line).
import { z } from 'zod';
import type { NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { officerLine } from './infogreffe-extrait-rcs';
import { answer, parsePayload, text } from './shared';

const mandatairesAnswerSchema = z.object({
  // the list itself is what the answer is about: required (it may be empty)
  data: z.array(
    z.object({
      data: z.object({ type: text, fonction: text, nom: text, prenom: text, raison_sociale: text }),
    }),
  ),
  meta: z.object({ count: z.number().int().nonnegative().nullish() }).nullish(),
});

export function normalizeInfogreffeMandataires(endpoint: EndpointId, payload: unknown): NormalizedAnswer {
  const parsed = parsePayload(endpoint, mandatairesAnswerSchema, payload);
  const officers = parsed.data.map((item) => officerLine(item.data)).filter((line): line is string => line !== null);
  return answer({
    facts: {
      officers_count: String(parsed.meta?.count ?? parsed.data.length),
      officers: officers.length > 0 ? officers.join('\n') : null,
    },
  });
}
