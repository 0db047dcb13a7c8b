// Building blocks shared by the normalisers: the typed error thrown when a payload is unusable,
// tolerant zod schemas for the scalars API Entreprise sends (nulls, missing fields, dates as ISO
// strings or Unix timestamps), and small mappers to the domain records.
//
// Tolerance rule: a null or missing field is never an error (it becomes `null`); a field of the
// wrong type, or a date that cannot be read, is. What a normaliser relies on (the `data` object,
// identifiers, status codes) is required by its schema.
import { z } from 'zod';
import type {
  AdministrativeStatus,
  AttestationKind,
  AttestationRecord,
  CodeLabel,
  DiffusionStatus,
  NormalizedAnswer,
  PostalAddress,
} from '../../../common/company-records';
import { ApiEntrepriseError } from '../api-error';
import type { EndpointId } from '../endpoint-catalogue';

// ---------------------------------------------------------------------------------------------
// Error
// ---------------------------------------------------------------------------------------------

/** At most this many issues are listed in a MalformedPayloadError. */
const MAX_ISSUES = 8;

/**
 * The payload of a successful answer cannot be used (shape changed, wrong types, unreadable date).
 * It is an `ApiEntrepriseError` of kind `malformed_response`, so the client treats it like any
 * other failure (keep the last good data, journal it). Its message and `issues` name paths and
 * expected types only: never a value of the payload.
 */
export class MalformedPayloadError extends ApiEntrepriseError {
  /** One line per problem: `data.entity_status.code: invalid_type (expected string)`. */
  readonly issues: readonly string[];

  constructor(endpoint: EndpointId, issues: readonly string[]) {
    super({
      kind: 'malformed_response',
      endpoint,
      status: null,
      code: null,
      provider: null,
      retryInSeconds: null,
      retryAfterMs: null,
      detail: `Unusable API Entreprise answer for ${endpoint}: ${issues.join('; ')}`,
    });
    this.name = 'MalformedPayloadError';
    this.issues = issues;
  }
}

const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** `data.etablissements[2].siret`; keys that are not plain identifiers are not echoed. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(payload)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = typeof key === 'string' && SAFE_KEY.test(key) ? key : '<key>';
      out += out === '' ? name : `.${name}`;
    }
  }
  return out;
}

/** Paths, issue codes and expected types only: zod's messages may quote input in some locales. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = formatPath(issue.path);
    switch (issue.code) {
      case 'invalid_type':
        return `${where}: invalid_type (expected ${issue.expected})`;
      case 'invalid_union': {
        // the scalar unions of this module (string or number): say which types were expected
        const expected = [...new Set(issue.errors.flat().flatMap((inner) => (inner.code === 'invalid_type' ? [inner.expected] : [])))];
        return expected.length > 0 ? `${where}: invalid_type (expected ${expected.join(' or ')})` : `${where}: invalid_union`;
      }
      case 'invalid_value':
        return `${where}: invalid_value`;
      case 'invalid_format':
        return `${where}: invalid_format (${issue.format})`;
      case 'custom':
        // our own messages (see `isoDate`), which never contain the input
        return `${where}: ${issue.message}`;
      default:
        return `${where}: ${issue.code}`;
    }
  });
  if (issues.length > MAX_ISSUES) lines.push(`… and ${issues.length - MAX_ISSUES} more`);
  return lines;
}

/** Validates at the boundary: the parsed value, or a MalformedPayloadError. */
export function parsePayload<S extends z.ZodType>(endpoint: EndpointId, schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new MalformedPayloadError(endpoint, summarizeIssues(result.error.issues));
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Tolerant scalar schemas
// ---------------------------------------------------------------------------------------------

/** A displayable string: trimmed, empty becomes null; numbers are accepted and stringified. */
export const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value): string | null => {
    if (value === null || value === undefined) return null;
    const s = String(value).trim();
    return s === '' ? null : s;
  });

export const flag = z
  .boolean()
  .nullish()
  .transform((value): boolean | null => value ?? null);

export const amount = z
  .number()
  .nullish()
  .transform((value): number | null => value ?? null);

/** A number of seconds (`document_url_expires_in`, `expires_in`). */
export const seconds = z
  .number()
  .nonnegative()
  .nullish()
  .transform((value): number | null => value ?? null);

/** The `{ code, libelle }` pairs of INSEE, INPI, DJEPVA. */
export const codeLibelle = z
  .object({ code: text, libelle: text })
  .nullish()
  .transform((value): CodeLabel | null => toCodeLabel(value?.code ?? null, value?.libelle ?? null));

/** A list that may be null or missing: always an array afterwards. */
export function list<S extends z.ZodType>(item: S) {
  return z
    .array(item)
    .nullish()
    .transform((value): z.output<S>[] => value ?? []);
}

/** Identifiers we rely on. */
export const sirenField = z.string().regex(/^\d{9}$/);
export const siretField = z.string().regex(/^\d{14}$/);

let parisDateFormat: Intl.DateTimeFormat | null | undefined;

function parisFormatter(): Intl.DateTimeFormat | null {
  if (parisDateFormat === undefined) {
    try {
      parisDateFormat = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      // a Node without time-zone data: UTC is at most one day off for midnight timestamps
      parisDateFormat = null;
    }
  }
  return parisDateFormat;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * INSEE v4 sends dates as Unix timestamps (seconds) of midnight, Paris time: read them in Paris
 * time, otherwise every date would be one day early.
 */
export function unixSecondsToIsoDate(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const formatter = parisFormatter();
  let year: number;
  let month: number;
  let day: number;
  if (formatter) {
    const parts = formatter.formatToParts(date);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    year = part('year');
    month = part('month');
    day = part('day');
  } else {
    year = date.getUTCFullYear();
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const FRENCH_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** `YYYY-MM-DD`, an ISO date-time (its calendar date), `DD/MM/YYYY` or Unix seconds; else null. */
export function toIsoDate(value: string | number): string | null {
  if (typeof value === 'number') return unixSecondsToIsoDate(value);
  const s = value.trim();
  let m = ISO_DATE.exec(s);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(year, month, day) ? `${m[1]}-${m[2]}-${m[3]}` : null;
  }
  m = FRENCH_DATE.exec(s);
  if (m) {
    const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(year, month, day) ? `${m[3]}-${m[2]}-${m[1]}` : null;
  }
  return null;
}

/** A date Vigie reads: null when absent, an issue (never a guess) when unreadable. */
export const isoDate = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, ctx): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' && value.trim() === '') return null;
    const iso = toIsoDate(value);
    if (iso === null) {
      ctx.addIssue({ code: 'custom', message: 'not a readable date' });
      return z.NEVER;
    }
    return iso;
  });

// ---------------------------------------------------------------------------------------------
// Mappers
// ---------------------------------------------------------------------------------------------

export function toCodeLabel(code: string | null, label: string | null): CodeLabel | null {
  return code === null && label === null ? null : { code, label };
}

/** INSEE `status_diffusion` (and the one-letter codes of older answers). */
export function toDiffusionStatus(value: string | null): DiffusionStatus {
  switch (value?.toLowerCase()) {
    case 'diffusible':
    case 'o':
      return 'diffusible';
    case 'partiellement_diffusible':
    case 'p':
      return 'partiellement_diffusible';
    case 'non_diffusible':
    case 'n':
      return 'non_diffusible';
    default:
      return 'unknown';
  }
}

/** INSEE `etat_administratif`: A(ctive), C(essée) for legal units, F(ermé) for establishments. */
export function toAdministrativeStatus(value: string | null): AdministrativeStatus {
  switch (value?.toUpperCase()) {
    case 'A':
      return 'active';
    case 'C':
    case 'F':
      return 'ceased';
    default:
      return 'unknown';
  }
}

/** What INSEE puts in place of a protected value for partially diffusible companies. */
export const NOT_DIFFUSED = '[ND]';

function capitalizeFirstName(value: string): string {
  if (value === NOT_DIFFUSED || value !== value.toLocaleUpperCase('fr-FR')) return value;
  return value
    .toLocaleLowerCase('fr-FR')
    .replace(/(^|[\s'’-])(\p{L})/gu, (_match, separator: string, letter: string) => separator + letter.toLocaleUpperCase('fr-FR'));
}

/** "Prénom NOM" for a natural person; `[ND]` parts are kept as the API masked them. */
export function personName(firstName: string | null, lastName: string | null): string | null {
  const parts = [firstName ? capitalizeFirstName(firstName) : null, lastName ? lastName.toLocaleUpperCase('fr-FR') : null].filter(
    (p): p is string => p !== null,
  );
  if (parts.length === 0) return null;
  if (parts.every((p) => p === NOT_DIFFUSED)) return NOT_DIFFUSED;
  return parts.join(' ');
}

/** Joins the non-empty parts; null when none. */
export function joinParts(parts: readonly (string | null | undefined)[], separator = ' '): string | null {
  const kept = parts.map((p) => p?.trim() ?? '').filter((p) => p !== '');
  return kept.length === 0 ? null : kept.join(separator);
}

export function toAddress(address: PostalAddress): PostalAddress | null {
  return address.street === null && address.postalCode === null && address.city === null && address.country === null
    ? null
    : address;
}

export function yesNo(value: boolean | null): string | null {
  if (value === null) return null;
  return value ? 'oui' : 'non';
}

const NUMBER_FORMAT = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

export function formatAmount(value: number | null, currency: string | null): string | null {
  if (value === null) return null;
  return joinParts([NUMBER_FORMAT.format(value), currency]);
}

/** Copies the entries whose value is a non-empty string: facts and details never hold nulls. */
export function compact(entries: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (typeof value === 'string' && value.trim() !== '') out[key] = value;
  }
  return out;
}

/** The SIREN and SIRET an answer is about, from the identifier it was asked for. */
export function identifierParts(identifier: string): { siren: string; siret: string | null } {
  const id = identifier.trim();
  if (/^\d{14}$/.test(id)) return { siren: id.slice(0, 9), siret: id };
  return { siren: id, siret: null };
}

export interface AttestationFields {
  status?: AttestationRecord['status'];
  statusLabel?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
  issuedOn?: string | null;
  periodAnalyzed?: string | null;
  securityCode?: string | null;
  documentUrl?: string | null;
  documentUrlExpiresInSeconds?: number | null;
  details?: Record<string, string | null | undefined>;
}

export function attestation(kind: AttestationKind, identifier: string, fields: AttestationFields): AttestationRecord {
  const { siren, siret } = identifierParts(identifier);
  return {
    kind,
    siren,
    siret,
    status: fields.status ?? 'unknown',
    statusLabel: fields.statusLabel ?? null,
    validFrom: fields.validFrom ?? null,
    validUntil: fields.validUntil ?? null,
    issuedOn: fields.issuedOn ?? null,
    periodAnalyzed: fields.periodAnalyzed ?? null,
    securityCode: fields.securityCode ?? null,
    documentUrl: fields.documentUrl ?? null,
    documentUrlExpiresInSeconds: fields.documentUrlExpiresInSeconds ?? null,
    details: compact(fields.details ?? {}),
  };
}

/** Builds an answer; facts use the known keys of FACT_LABELS, null values are dropped. */
export function answer(parts: Partial<Omit<NormalizedAnswer, 'facts'>> & { facts?: Facts }): NormalizedAnswer {
  return {
    company: parts.company ?? null,
    establishment: parts.establishment ?? null,
    attestations: parts.attestations ?? [],
    facts: compact(parts.facts ?? {}),
  };
}

/**
 * Keys of `NormalizedAnswer.facts`, stable for code (the register, the CSV export), with the
 * French label to show. Facts are display strings: dates ISO `YYYY-MM-DD`, booleans "oui"/"non".
 */
export const FACT_LABELS = {
  vat_number: 'Numéro de TVA intracommunautaire',
  rna: 'Numéro RNA',
  acronym: 'Sigle',
  trade_name: 'Nom commercial',
  legal_unit_type: 'Type d’unité légale',
  workforce: 'Tranche d’effectif salarié',
  establishment_workforce: 'Tranche d’effectif salarié de l’établissement',
  social_economy: 'Économie sociale et solidaire',
  commercial_diffusion: 'Diffusion commerciale autorisée',
  redirected_from: 'Identifiant demandé (redirigé par l’INSEE)',
  registry_court: 'Greffe',
  registered_on: 'Date d’immatriculation',
  struck_off_on: 'Date de radiation',
  share_capital: 'Capital social',
  officers_count: 'Nombre de mandataires sociaux',
  officers: 'Mandataires sociaux',
  business_nature: 'Nature de l’entreprise',
  activity_started_on: 'Début d’activité',
  dissolved_on: 'Date de dissolution',
  closed_establishments_count: 'Établissements fermés',
  association_name: 'Nom de l’association',
  association_regime: 'Régime de l’association',
  public_utility: 'Reconnue d’utilité publique',
  association_purpose: 'Objet de l’association',
  uai_code: 'Code UAI',
  france_competences_habilitations: 'Habilitations France compétences',
  privileges: 'Habilitations du jeton',
} as const;

export type FactKey = keyof typeof FACT_LABELS;

export type Facts = Partial<Record<FactKey, string | null>>;
