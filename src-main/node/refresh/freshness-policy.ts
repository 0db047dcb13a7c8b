// When each piece of a supplier's data must be fetched again: the freshness policy (a settings
// object with sensible defaults, validated by zod) and pure functions that turn a supplier's
// history into due dates and deadlines. No database, no clock: the planner, the tests and the
// night-plan benchmark call them with `now`.
//
// Every (supplier, endpoint) gets two instants:
//   dueAt    - from then on the refresh is wanted (the issue's rules: "older than 7 days", "within
//              30 days of date_fin_validite", "a new analysed month"...);
//   deadline - the service level: past it, the register is out of policy (an attestation lapsed,
//              data older than allowed). The gap between the two is what lets the planner spread a
//              register too large for one night over several nights.
import { z } from 'zod';
import type { AttestationStatus } from '../../common/company-records';
import { ENDPOINTS, ENDPOINT_IDS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';

export const DAY_MS = 86_400_000;

/** What a default installation refreshes: identity, establishment, and the two compliance attestations. */
export const DEFAULT_REFRESH_ENDPOINTS: readonly EndpointId[] = [
  'insee.unite_legale',
  'insee.etablissement',
  'urssaf.attestation_vigilance',
  'dgfip.attestation_fiscale',
];

/** `privileges` is an account call, not data about a supplier. */
export const REFRESHABLE_ENDPOINTS = ENDPOINT_IDS.filter((id) => id !== 'privileges') as [EndpointId, ...EndpointId[]];

const days = (fallback: number) => z.number().min(0.01).max(3_650).default(fallback);
const graceDays = (fallback: number) => z.number().min(0).max(365).default(fallback);

export const freshnessPolicySchema = z.object({
  /** Endpoints the user enabled (intersected with what the token's privileges open). */
  enabledEndpoints: z.array(z.enum(REFRESHABLE_ENDPOINTS)).default([...DEFAULT_REFRESH_ENDPOINTS]),
  /** Identity data (INSEE unité légale, registries): refreshed once older than this. */
  company: z.object({ maxAgeDays: days(7), graceDays: graceDays(2) }).prefault({}),
  /** Establishment data (INSEE établissement / siège). */
  establishment: z.object({ maxAgeDays: days(7), graceDays: graceDays(2) }).prefault({}),
  /**
   * URSSAF attestation de vigilance and the other attestations with a validity date: due when none
   * is known, when `date_fin_validite` is within `renewDaysBeforeExpiry`, or when older than
   * `maxAgeDays`. Never later than the known validity end.
   */
  attestations: z.object({ renewDaysBeforeExpiry: days(30), maxAgeDays: days(30), graceDays: graceDays(5) }).prefault({}),
  /** Qualifications and certifications (Qualibat, RGE, OPQIBI...): monthly. */
  certifications: z.object({ maxAgeDays: days(30), graceDays: graceDays(7) }).prefault({}),
  /** Ceased companies change little: identity checked less often, documents not fetched at all. */
  ceased: z.object({ maxAgeDays: days(90), refreshDocuments: z.boolean().default(false) }).prefault({}),
  /** After "non trouvé", a refusal or an unknown status: how long before asking again. */
  notFoundRecheckDays: days(7),
  /** Length of the nightly window the scheduler gives the engine. */
  nightWindowHours: z.number().min(0.25).max(24).default(4),
  /** Share of each pool's capacity the planner counts on; the rest absorbs retries and faults. */
  planningHeadroom: z.number().min(0.1).max(1).default(0.9),
  /** A job is given up for the run after this many failed attempts (each is itself a bounded client retry). */
  maxAttemptsPerJob: z.number().int().min(1).max(20).default(3),
  /** `object` of the nightly calls (traced by the providers): under 50 characters. */
  callObject: z.string().trim().min(1).max(49).default('Mise à jour du registre des tiers'),
});

export type FreshnessPolicy = z.output<typeof freshnessPolicySchema>;
export type FreshnessPolicyInput = z.input<typeof freshnessPolicySchema>;

export const DEFAULT_FRESHNESS_POLICY: FreshnessPolicy = freshnessPolicySchema.parse({});

export function parseFreshnessPolicy(input: unknown): FreshnessPolicy {
  return freshnessPolicySchema.parse(input ?? {});
}

/** Which rule an endpoint follows. */
export type FreshnessRule = 'company' | 'establishment' | 'attestation' | 'dgfip' | 'certification';

export function ruleOf(endpoint: EndpointId): FreshnessRule {
  if (endpoint === 'dgfip.attestation_fiscale') return 'dgfip';
  switch (ENDPOINTS[endpoint].family) {
    case 'establishment':
      return 'establishment';
    case 'attestation':
      return 'attestation';
    case 'certification':
      return 'certification';
    default:
      return 'company';
  }
}

/** What is known of one endpoint for one supplier's identifier. Instants in epoch ms. */
export interface EndpointHistory {
  /** Last final answer: data, "non trouvé", "non habilité", protected. Failures do not count. */
  lastCheckedAt: number | null;
  lastSuccessAt: number | null;
  /** For attestation endpoints: the latest record stored. */
  attestation?: { status: AttestationStatus; validUntil: string | null; periodAnalyzed: string | null } | null;
}

export interface SupplierRefreshState {
  supplierId: number;
  siren: string;
  siret: string | null;
  name: string;
  /** When the supplier entered the register: the SLA of a never-fetched item counts from then. */
  addedAt: number | null;
  /** The latest company data says the company ceased. */
  ceased: boolean;
  /** Keyed by the endpoint the supplier's call resolves to (see resolveCall). */
  history: Partial<Record<EndpointId, EndpointHistory>>;
}

export type DueReason =
  /** Never asked. */
  | 'never_checked'
  /** Known attestation past its validity end. */
  | 'expired'
  /** Known attestation within the renewal window. */
  | 'expiring'
  /** Older than the policy allows. */
  | 'stale'
  /** DGFIP: a new analysed month. */
  | 'new_period'
  /** Last answer was "non trouvé", a refusal or an unknown status: asked again after a while. */
  | 'recheck'
  /** Asked by the user for these suppliers, whatever their freshness. */
  | 'forced';

/** Most urgent first, for equal deadlines. */
export const REASON_WEIGHT: Record<DueReason, number> = {
  forced: 0,
  expired: 1,
  expiring: 2,
  never_checked: 3,
  new_period: 4,
  recheck: 5,
  stale: 6,
};

export interface DueDecision {
  dueAt: number;
  deadline: number;
  reason: DueReason;
}

/** One call the supplier needs: the endpoint actually called and its identifier. */
export interface ResolvedCall {
  endpoint: EndpointId;
  identifier: string;
  pool: RateLimitPoolId;
}

/**
 * The call an enabled endpoint means for this supplier. Establishment endpoints need a SIRET: for a
 * supplier known by its SIREN only, INSEE's establishment becomes its head office; other SIRET-only
 * endpoints are skipped.
 */
export function resolveCall(endpoint: EndpointId, supplier: { siren: string; siret: string | null }): ResolvedCall | null {
  const spec = ENDPOINTS[endpoint];
  if (spec.identifier === 'siren') return { endpoint, identifier: supplier.siren, pool: spec.pool };
  if (spec.identifier === 'siret') {
    if (supplier.siret) return { endpoint, identifier: supplier.siret, pool: spec.pool };
    if (endpoint === 'insee.etablissement') return { endpoint: 'insee.siege_social', identifier: supplier.siren, pool: ENDPOINTS['insee.siege_social'].pool };
    if (endpoint === 'insee.etablissement_diffusible') {
      return { endpoint: 'insee.siege_social_diffusible', identifier: supplier.siren, pool: ENDPOINTS['insee.siege_social_diffusible'].pool };
    }
  }
  return null;
}

/** Scopes listed by GET /privileges, or 'all' (planning on paper: the benchmark, the simulation). */
export type Privileges = ReadonlySet<string> | 'all';

/** An endpoint is open when its scope is among the token's privileges. */
export function isEndpointAllowed(endpoint: EndpointId, privileges: Privileges): boolean {
  if (privileges === 'all') return true;
  const scope = ENDPOINTS[endpoint].scope;
  return scope === '' || privileges.has(scope) || privileges.has(endpoint);
}

/** The calls a supplier needs under the policy and the token's privileges (before any due date). */
export function callsFor(
  supplier: Pick<SupplierRefreshState, 'siren' | 'siret' | 'ceased'>,
  policy: FreshnessPolicy,
  privileges: Privileges,
): ResolvedCall[] {
  const calls: ResolvedCall[] = [];
  const seen = new Set<string>();
  for (const endpoint of policy.enabledEndpoints) {
    if (!isEndpointAllowed(endpoint, privileges)) continue;
    const rule = ruleOf(endpoint);
    if (supplier.ceased && !policy.ceased.refreshDocuments && rule !== 'company' && rule !== 'establishment') continue;
    const call = resolveCall(endpoint, supplier);
    if (!call || seen.has(call.endpoint)) continue;
    seen.add(call.endpoint);
    calls.push(call);
  }
  return calls;
}

// Calendar months are taken in UTC: the analysed period is a calendar date, and a boundary at most
// two hours off Paris time does not matter for a deadline at the end of the month.
export function monthStart(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonthStart(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

// the planner asks these for every supplier of a large register, night after night: memoized
const periodByMonth = new Map<number, string>();
const endOfDayByDate = new Map<string, number | null>();
const MEMO_LIMIT = 4_096;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** DGFIP's `date_periode_analysee` of an attestation delivered at `epochMs`: last day of the previous month. */
export function expectedDgfipPeriod(epochMs: number): string {
  const start = monthStart(epochMs);
  return periodByMonth.get(start) ?? remember(periodByMonth, start, new Date(start - DAY_MS).toISOString().slice(0, 10));
}

/** The end of an ISO calendar day (validity dates include their last day). */
function endOfDay(isoDate: string): number | null {
  const known = endOfDayByDate.get(isoDate);
  if (known !== undefined) return known;
  const ms = Date.parse(`${isoDate.slice(0, 10)}T23:59:59.999Z`);
  return remember(endOfDayByDate, isoDate, Number.isFinite(ms) ? ms : null);
}

/**
 * When an endpoint is next due for a supplier, and by when it must be done. `dueAt` may be in the
 * past (overdue) or in the future (the planner looks ahead).
 */
export function decideDue(
  endpoint: EndpointId,
  history: EndpointHistory | undefined,
  policy: FreshnessPolicy,
  now: number,
  supplier: { ceased?: boolean; addedAt?: number | null } = {},
): DueDecision {
  const rule = ruleOf(endpoint);
  const ceased = supplier.ceased ?? false;
  // a never-fetched item is due since the supplier was added: its deadline does not slide with `now`
  const since = Math.min(now, supplier.addedAt ?? now);
  const lastChecked = history?.lastCheckedAt ?? null;
  const recheckMs = policy.notFoundRecheckDays * DAY_MS;

  if (rule === 'dgfip') return decideDgfip(history, recheckMs, now);

  if (rule === 'company' || rule === 'establishment' || rule === 'certification') {
    const settings = rule === 'certification' ? policy.certifications : policy[rule];
    const maxAgeMs = (ceased ? policy.ceased.maxAgeDays : settings.maxAgeDays) * DAY_MS;
    const graceMs = settings.graceDays * DAY_MS;
    if (lastChecked === null) return { dueAt: since, deadline: since + graceMs, reason: 'never_checked' };
    const dueAt = lastChecked + maxAgeMs;
    return { dueAt, deadline: dueAt + graceMs, reason: 'stale' };
  }

  // attestations with a validity end (URSSAF vigilance, CNETP, CIBTP, PRO BTP, MSA...)
  const { renewDaysBeforeExpiry, maxAgeDays, graceDays: grace } = policy.attestations;
  const graceMs = grace * DAY_MS;
  if (lastChecked === null) return { dueAt: since, deadline: since + graceMs, reason: 'never_checked' };
  const known = history?.attestation ?? null;
  if (!known || known.status !== 'delivered') {
    // "non trouvé", a refusal or an unknown status: an absence of yes is not a no, ask again later
    const dueAt = lastChecked + recheckMs;
    return { dueAt, deadline: dueAt + graceMs, reason: 'recheck' };
  }
  const byAge = lastChecked + maxAgeDays * DAY_MS;
  const validEnd = known.validUntil ? endOfDay(known.validUntil) : null;
  if (validEnd === null) return { dueAt: byAge, deadline: byAge + graceMs, reason: 'stale' };
  const renewFrom = validEnd - renewDaysBeforeExpiry * DAY_MS;
  const dueAt = Math.min(byAge, renewFrom);
  // never plan past the validity end: the attestation must not lapse
  const deadline = Math.min(validEnd, dueAt + graceMs);
  const reason: DueReason = validEnd < now ? 'expired' : renewFrom <= byAge ? 'expiring' : 'stale';
  return { dueAt, deadline, reason };
}

/**
 * DGFIP: one attestation per analysed month. A new period exists from the first of the month; it
 * must be fetched before the month ends. When the last check of this month did not bring the new
 * period ("non trouvé", or DGFIP still on the old one), ask again after the recheck delay.
 */
function decideDgfip(history: EndpointHistory | undefined, recheckMs: number, now: number): DueDecision {
  const start = monthStart(now);
  const end = nextMonthStart(now) - 1;
  const held = history?.attestation?.status === 'delivered' ? history.attestation.periodAnalyzed : null;
  const lastChecked = history?.lastCheckedAt ?? null;
  const nextMonth = (): DueDecision => ({ dueAt: end + 1, deadline: nextMonthStart(end + 1) - 1, reason: 'new_period' });
  if (held !== null && held >= expectedDgfipPeriod(now)) return nextMonth();
  if (lastChecked === null) return { dueAt: start, deadline: end, reason: 'never_checked' };
  if (lastChecked < start) return { dueAt: start, deadline: end, reason: 'new_period' };
  const again = lastChecked + recheckMs;
  if (again > end) return nextMonth();
  return { dueAt: again, deadline: end, reason: 'recheck' };
}
