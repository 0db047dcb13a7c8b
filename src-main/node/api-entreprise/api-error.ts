// Every failure of a call to API Entreprise, classified the way Vigie must react to it
// (BRIEF §3): by HTTP status first, then by the JSON:API error code. Messages never carry the
// token, a header or a full URL with query parameters.
import { z } from 'zod';
import type { EndpointId } from './endpoint-catalogue';

export type ApiErrorKind =
  | 'local_validation'
  | 'token_missing'
  | 'token_invalid'
  | 'token_expired'
  | 'token_blacklisted'
  | 'not_authorized'
  | 'not_found'
  | 'conflict'
  | 'bad_parameter'
  | 'rate_limited'
  | 'legally_unavailable'
  | 'provider_error'
  | 'provider_unavailable'
  | 'gateway_timeout'
  | 'timeout'
  | 'network'
  | 'malformed_response'
  | 'document_invalid'
  | 'document_expired'
  | 'document_too_large'
  | 'document_storage'
  | 'unexpected_status';

const RETRYABLE: ReadonlySet<ApiErrorKind> = new Set<ApiErrorKind>([
  'conflict',
  // a truncated download: the link is still valid, a new try usually gets the whole file
  'document_invalid',
  'rate_limited',
  'provider_error',
  'provider_unavailable',
  'gateway_timeout',
  'timeout',
  'network',
]);

/** Errors that mean the token itself is refused: every call must stop. */
export const TOKEN_REFUSALS: ReadonlySet<ApiErrorKind> = new Set<ApiErrorKind>([
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_blacklisted',
]);

const USER_MESSAGES: Record<ApiErrorKind, string> = {
  local_validation: 'La demande est incomplète : vérifiez les paramètres (SIRET de la commune, cadre, objet).',
  token_missing: 'Aucun jeton API Entreprise n’est enregistré.',
  token_invalid: 'Le jeton API Entreprise n’est pas valide : remplacez-le.',
  token_expired: 'Le jeton API Entreprise a expiré : demandez-en un nouveau sur votre espace API Entreprise.',
  token_blacklisted:
    'Le jeton API Entreprise a été révoqué car il a probablement été divulgué : remplacez-le sans attendre.',
  not_authorized: 'Votre jeton n’est pas habilité pour ces données (non habilité).',
  not_found: 'Non trouvé chez ce fournisseur de données (cela ne dit rien de la conformité).',
  conflict: 'La même demande est déjà en cours : elle sera refaite plus tard.',
  bad_parameter: 'API Entreprise a refusé un paramètre de la demande.',
  rate_limited: 'Limite de débit atteinte : Vigie ralentit et réessaiera.',
  legally_unavailable: 'Données protégées : elles ne peuvent pas être communiquées (non diffusible).',
  provider_error: 'Le fournisseur de données a rencontré une erreur : nouvel essai plus tard.',
  provider_unavailable: 'Le fournisseur de données est indisponible : nouvel essai plus tard.',
  gateway_timeout: 'Le fournisseur de données n’a pas répondu à temps : nouvel essai plus tard.',
  timeout: 'API Entreprise n’a pas répondu à temps : nouvel essai plus tard.',
  network: 'Connexion impossible à API Entreprise : vérifiez le réseau.',
  malformed_response: 'Réponse illisible d’API Entreprise : les données précédentes sont conservées.',
  document_invalid: 'Le document reçu n’est pas un PDF valide : le document précédent est conservé.',
  document_expired: 'Le lien du document a expiré avant son téléchargement : nouvel essai plus tard.',
  document_too_large: 'Le document reçu est anormalement volumineux : il a été refusé.',
  document_storage: 'Le document n’a pas pu être enregistré sur le disque : le document précédent est conservé.',
  unexpected_status: 'Réponse inattendue d’API Entreprise : les données précédentes sont conservées.',
};

export interface ApiErrorDetails {
  kind: ApiErrorKind;
  endpoint: EndpointId | null;
  status: number | null;
  /** JSON:API error code, e.g. "00103" or "04003". */
  code: string | null;
  provider: string | null;
  /** `meta.retry_in` of a provider failure, in seconds. */
  retryInSeconds: number | null;
  /** For 429: how long to wait before the next call, from `Retry-After` or `RateLimit-Reset`; null when unknown (never 0). */
  retryAfterMs: number | null;
  /** English, precise, safe to log. */
  detail: string;
  /** French; defaults to the kind's standard message. */
  userMessage?: string;
  /** Overrides the kind's default: an unreadable body is worth another try, a schema mismatch is not. */
  retryable?: boolean;
}

export class ApiEntrepriseError extends Error {
  readonly kind: ApiErrorKind;
  readonly endpoint: EndpointId | null;
  readonly status: number | null;
  readonly code: string | null;
  readonly provider: string | null;
  readonly retryInSeconds: number | null;
  readonly retryAfterMs: number | null;
  readonly retryable: boolean;
  /** French, shown to the user. */
  readonly userMessage: string;

  constructor(details: ApiErrorDetails) {
    super(details.detail);
    this.name = 'ApiEntrepriseError';
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.code = details.code;
    this.provider = details.provider;
    this.retryInSeconds = details.retryInSeconds;
    this.retryAfterMs = details.retryAfterMs;
    this.retryable = details.retryable ?? RETRYABLE.has(details.kind);
    this.userMessage = details.userMessage ?? USER_MESSAGES[details.kind];
  }

  /** An error found on this side, before or without an HTTP answer: no status, code nor provider. */
  static local(
    kind: ApiErrorKind,
    detail: string,
    extra: { endpoint?: EndpointId | null; userMessage?: string; retryable?: boolean; retryAfterMs?: number | null } = {},
  ): ApiEntrepriseError {
    return new ApiEntrepriseError({
      kind,
      endpoint: extra.endpoint ?? null,
      status: null,
      code: null,
      provider: null,
      retryInSeconds: null,
      retryAfterMs: extra.retryAfterMs ?? null,
      detail,
      userMessage: extra.userMessage,
      retryable: extra.retryable,
    });
  }

  get refusesToken(): boolean {
    return TOKEN_REFUSALS.has(this.kind);
  }

  /** What goes into logs and the call journal: no message can carry more than this. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      provider: this.provider,
      retryInSeconds: this.retryInSeconds,
      retryAfterMs: this.retryAfterMs,
      retryable: this.retryable,
      detail: this.message,
    };
  }
}

const jsonApiErrorSchema = z.object({
  errors: z
    .array(
      z.object({
        code: z.string().optional(),
        title: z.string().optional(),
        detail: z.string().optional(),
        meta: z
          .object({
            provider: z.string().optional(),
            retry_in: z.union([z.number(), z.string()]).optional(),
          })
          .passthrough()
          .optional(),
      }),
    )
    .min(1),
});

export interface JsonApiErrorInfo {
  code: string | null;
  title: string | null;
  provider: string | null;
  retryInSeconds: number | null;
}

/** Reads the first error of a JSON:API error body, or nothing when the body is not one. */
export function readJsonApiError(body: unknown): JsonApiErrorInfo | null {
  const parsed = jsonApiErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const first = parsed.data.errors[0];
  if (!first) return null;
  const retryIn = first.meta?.retry_in;
  const retryInSeconds = retryIn === undefined ? null : Number(retryIn);
  return {
    code: first.code ?? null,
    title: first.title ?? null,
    provider: first.meta?.provider ?? null,
    retryInSeconds: retryInSeconds !== null && Number.isFinite(retryInSeconds) && retryInSeconds >= 0 ? retryInSeconds : null,
  };
}

/** Status first, code second (BRIEF §3's table). */
export function classifyStatus(status: number, code: string | null): ApiErrorKind {
  if (status === 401) {
    if (code === '00103') return 'token_expired';
    if (code === '00105') return 'token_blacklisted';
    return 'token_invalid';
  }
  if (status === 403) return 'not_authorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'bad_parameter';
  if (status === 429) return 'rate_limited';
  if (status === 451) return 'legally_unavailable';
  if (status === 502 || status === 500) return 'provider_error';
  if (status === 503) return 'provider_unavailable';
  if (status === 504) return 'gateway_timeout';
  return 'unexpected_status';
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or HTTP date), else the window's end from
 * `RateLimit-Reset` (Unix seconds), else unknown. Never 0: a zero or past value becomes one second.
 */
export function retryAfterFromHeaders(headers: Headers, nowMs: number): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(1_000, Math.ceil(seconds * 1_000));
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(1_000, date - nowMs);
  }
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && reset.trim() !== '') {
    const resetSeconds = Number(reset);
    if (Number.isFinite(resetSeconds)) return Math.max(1_000, resetEpochMs(resetSeconds, nowMs) - nowMs);
  }
  return null;
}

/**
 * `RateLimit-Reset` is the Unix time of the window's end; a small value is read as seconds from
 * now, the form the IETF draft uses, so that either server convention works.
 */
export function resetEpochMs(resetValue: number, nowMs: number): number {
  return resetValue < 1_000_000_000 ? nowMs + resetValue * 1_000 : resetValue * 1_000;
}
