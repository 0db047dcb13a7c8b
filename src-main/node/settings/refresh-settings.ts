// The refresh settings a town hall may change (night window, catch-up of a missed night, the
// freshness rules it may tune), persisted next to the app settings under their own key, and how
// they become the engine's FreshnessPolicy. The engine's policy schema keeps the rules: the day
// bounds are read from it, and every policy built here is parsed by it.
//
// The night window is in the computer's local time ("01:00"–"05:00"; an end at or before the start
// is on the next day). Instants are built with local Date fields, never by adding 24 hours, so a
// change of time (DST) moves nothing: a 01:00 start stays at 01:00, and the night of the change
// is an hour shorter or longer.
import { z } from 'zod';
import {
  dayCountProblem,
  NO_ENDPOINT_MESSAGE,
  nightWindowMinutes,
  nightWindowProblem,
  REFRESH_DAY_FIELDS,
  refreshSettingsSchema,
  type DayLimits,
  type RefreshDayField,
  type RefreshSettingsView,
} from '../../common/refresh-settings';
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import {
  DEFAULT_FRESHNESS_POLICY,
  freshnessPolicySchema,
  REFRESHABLE_ENDPOINTS,
  type FreshnessPolicy,
} from '../refresh/freshness-policy';
import { UserFacingError } from '../user-facing-error';
import type { KeyValueStore } from './key-value-store';

export type RefreshSettings = RefreshSettingsView;

export const REFRESH_SETTINGS_KEY = 'refreshSettings';
/** When the latest night window the app took care of began (run, catch-up, or declined). */
export const NIGHT_COVERAGE_KEY = 'refreshNightCoverage';

export const DEFAULT_REFRESH_SETTINGS: RefreshSettings = {
  nightStart: '01:00',
  nightEnd: '05:00',
  catchUp: 'ask',
  enabledEndpoints: [...DEFAULT_FRESHNESS_POLICY.enabledEndpoints],
  companyMaxAgeDays: DEFAULT_FRESHNESS_POLICY.company.maxAgeDays,
  establishmentMaxAgeDays: DEFAULT_FRESHNESS_POLICY.establishment.maxAgeDays,
  attestationRenewDaysBeforeExpiry: DEFAULT_FRESHNESS_POLICY.attestations.renewDaysBeforeExpiry,
  attestationMaxAgeDays: DEFAULT_FRESHNESS_POLICY.attestations.maxAgeDays,
  certificationsMaxAgeDays: DEFAULT_FRESHNESS_POLICY.certifications.maxAgeDays,
  ceasedMaxAgeDays: DEFAULT_FRESHNESS_POLICY.ceased.maxAgeDays,
};

/** Where each day count lives in the engine's policy. */
const POLICY_PATHS: Record<RefreshDayField, readonly [string, string]> = {
  companyMaxAgeDays: ['company', 'maxAgeDays'],
  establishmentMaxAgeDays: ['establishment', 'maxAgeDays'],
  attestationRenewDaysBeforeExpiry: ['attestations', 'renewDaysBeforeExpiry'],
  attestationMaxAgeDays: ['attestations', 'maxAgeDays'],
  certificationsMaxAgeDays: ['certifications', 'maxAgeDays'],
  ceasedMaxAgeDays: ['ceased', 'maxAgeDays'],
};

interface Unwrappable {
  unwrap(): unknown;
}

/** The number schema under the engine's defaults and prefaults (`company: {...}.prefault({})`). */
function policyNumber(path: readonly [string, string]): z.ZodNumber {
  const group = (freshnessPolicySchema.shape as Record<string, Unwrappable>)[path[0]] as Unwrappable;
  const object = group.unwrap() as z.ZodObject;
  const field = object.shape[path[1]] as unknown as Unwrappable;
  return field.unwrap() as z.ZodNumber;
}

/** Whole days within the engine's bounds (its 0.01-day minimum becomes one day). */
export const REFRESH_DAY_LIMITS: Record<RefreshDayField, DayLimits> = Object.fromEntries(
  REFRESH_DAY_FIELDS.map((field) => {
    const schema = policyNumber(POLICY_PATHS[field]);
    return [field, { min: Math.max(1, Math.ceil(schema.minValue ?? 1)), max: Math.floor(schema.maxValue ?? 3_650) }];
  }),
) as Record<RefreshDayField, DayLimits>;

/** The endpoints a night may refresh, with their French names, in the catalogue's order. */
export function refreshableEndpoints(): { id: EndpointId; label: string }[] {
  return REFRESHABLE_ENDPOINTS.map((id) => ({ id, label: ENDPOINTS[id].label }));
}

/**
 * The engine's policy for these settings. `base` keeps what the user does not edit (grace days,
 * headroom, attempts...); the engine's schema parses the result, so its bounds always hold.
 */
export function toFreshnessPolicy(settings: RefreshSettings, base: FreshnessPolicy = DEFAULT_FRESHNESS_POLICY): FreshnessPolicy {
  return freshnessPolicySchema.parse(policyInput(settings, base));
}

/** The policy input before the engine's schema parses it. */
function policyInput(settings: RefreshSettings, base: FreshnessPolicy): Record<string, unknown> {
  const minutes = nightWindowMinutes(settings.nightStart, settings.nightEnd);
  return {
    ...base,
    enabledEndpoints: settings.enabledEndpoints,
    company: { ...base.company, maxAgeDays: settings.companyMaxAgeDays },
    establishment: { ...base.establishment, maxAgeDays: settings.establishmentMaxAgeDays },
    attestations: {
      ...base.attestations,
      renewDaysBeforeExpiry: settings.attestationRenewDaysBeforeExpiry,
      maxAgeDays: settings.attestationMaxAgeDays,
    },
    certifications: { ...base.certifications, maxAgeDays: settings.certificationsMaxAgeDays },
    ceased: { ...base.ceased, maxAgeDays: settings.ceasedMaxAgeDays },
    nightWindowHours: minutes === null ? base.nightWindowHours : minutes / 60,
  };
}

/**
 * Checks settings as a user sent them: a French message naming the field, or the settings.
 * The engine's schema has the last word (an endpoint it does not know, a bound it sets).
 */
export function validateRefreshSettings(input: unknown): { ok: true; settings: RefreshSettings } | { ok: false; field: string; message: string } {
  const shape = refreshSettingsSchema.safeParse(input);
  if (!shape.success) {
    const field = String(shape.error.issues[0]?.path[0] ?? '');
    const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    if (field === 'nightStart' || field === 'nightEnd') {
      const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
      const problem = nightWindowProblem(text('nightStart'), text('nightEnd'));
      return { ok: false, field: problem?.field ?? field, message: problem?.message ?? 'Heure invalide.' };
    }
    if ((REFRESH_DAY_FIELDS as readonly string[]).includes(field)) {
      const dayField = field as RefreshDayField;
      const raw = record[field];
      return {
        ok: false,
        field,
        message: dayCountProblem(dayField, typeof raw === 'number' ? String(raw) : '', REFRESH_DAY_LIMITS[dayField]) ?? 'Nombre de jours invalide.',
      };
    }
    if (field === 'catchUp') return { ok: false, field, message: 'Choisissez « Me demander » ou « Lancer automatiquement ».' };
    return { ok: false, field, message: 'Les données à tenir à jour sont invalides.' };
  }
  const settings = shape.data;
  const window = nightWindowProblem(settings.nightStart, settings.nightEnd);
  if (window) return { ok: false, ...window };
  for (const field of REFRESH_DAY_FIELDS) {
    const problem = dayCountProblem(field, settings[field], REFRESH_DAY_LIMITS[field]);
    if (problem) return { ok: false, field, message: problem };
  }
  if (settings.enabledEndpoints.length === 0) return { ok: false, field: 'enabledEndpoints', message: NO_ENDPOINT_MESSAGE };
  const policy = freshnessPolicySchema.safeParse(policyInput(settings, DEFAULT_FRESHNESS_POLICY));
  if (!policy.success) {
    const path = policy.error.issues[0]?.path ?? [];
    const field = path[0] === 'enabledEndpoints' ? 'enabledEndpoints' : String(path.join('.'));
    return {
      ok: false,
      field,
      message: field === 'enabledEndpoints' ? 'Une des données cochées n’est pas connue de Vigie.' : 'Une règle de mise à jour est invalide.',
    };
  }
  return { ok: true, settings: { ...settings, enabledEndpoints: [...new Set(settings.enabledEndpoints)] } };
}

/** One night window: instants in epoch ms. */
export interface NightWindowSpan {
  start: number;
  end: number;
}

type WindowTimes = Pick<RefreshSettings, 'nightStart' | 'nightEnd'>;

function hoursAndMinutes(time: string): [number, number] {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return [hours, minutes];
}

/** The window that starts on the local calendar day of `day` (any instant of that day). */
export function nightWindowStartingOn(day: number, window: WindowTimes): NightWindowSpan {
  const date = new Date(day);
  const [startHours, startMinutes] = hoursAndMinutes(window.nightStart);
  const [endHours, endMinutes] = hoursAndMinutes(window.nightEnd);
  const start = new Date(date.getFullYear(), date.getMonth(), date.getDate(), startHours, startMinutes).getTime();
  const endsNextDay = endHours * 60 + endMinutes <= startHours * 60 + startMinutes;
  const end = new Date(date.getFullYear(), date.getMonth(), date.getDate() + (endsNextDay ? 1 : 0), endHours, endMinutes).getTime();
  return { start, end };
}

/** The same local day, one calendar day before or after (not ±24 h: days of a time change last 23 or 25). */
function shiftDays(instant: number, days: number): number {
  const date = new Date(instant);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days, 12).getTime();
}

/** The next start of the night window strictly after `now`. */
export function nextNightWindowStart(now: number, window: Pick<RefreshSettings, 'nightStart'>): number {
  const times = { nightStart: window.nightStart, nightEnd: window.nightStart };
  const today = nightWindowStartingOn(now, times).start;
  return today > now ? today : nightWindowStartingOn(shiftDays(now, 1), times).start;
}

/** The latest window that had started at `now` (it may still be under way). */
export function latestNightWindow(now: number, window: WindowTimes): NightWindowSpan {
  const today = nightWindowStartingOn(now, window);
  return today.start <= now ? today : nightWindowStartingOn(shiftDays(now, -1), window);
}

/** The calendar day (local, YYYY-MM-DD) a night is named after: its evening, as people say it. */
export function nightOf(windowStart: number): string {
  const start = new Date(windowStart);
  const evening = start.getHours() < 12 ? new Date(start.getFullYear(), start.getMonth(), start.getDate() - 1, 12) : start;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${evening.getFullYear()}-${pad(evening.getMonth() + 1)}-${pad(evening.getDate())}`;
}

export class RefreshSettingsRepository {
  constructor(private readonly store: KeyValueStore) {}

  /** The saved settings; a field saved by an older version or damaged falls back to its default. */
  get(): RefreshSettings {
    const saved = this.store.get(REFRESH_SETTINGS_KEY);
    if (typeof saved !== 'object' || saved === null) return DEFAULT_REFRESH_SETTINGS;
    const record = saved as Record<string, unknown>;
    let settings = DEFAULT_REFRESH_SETTINGS;
    // the window's two ends go together: each alone could make a window too long or too short
    const groups = [['nightStart', 'nightEnd'], ...Object.keys(DEFAULT_REFRESH_SETTINGS).filter((k) => k !== 'nightStart' && k !== 'nightEnd').map((k) => [k])];
    for (const keys of groups) {
      const candidate = { ...settings, ...Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]])) };
      const checked = validateRefreshSettings(candidate);
      if (checked.ok) settings = checked.settings;
    }
    return settings;
  }

  /** Validates and saves; a UserFacingError in French names what to correct. */
  update(patch: Partial<RefreshSettings>): RefreshSettings {
    const checked = validateRefreshSettings({ ...this.get(), ...patch });
    if (!checked.ok) throw new UserFacingError('bad-input', checked.message, `refresh settings: invalid ${checked.field}`);
    this.store.set(REFRESH_SETTINGS_KEY, checked.settings);
    return checked.settings;
  }

  /** Start of the latest night window taken care of, or null before the first start. */
  coveredThrough(): number | null {
    const saved = z.object({ coveredThrough: z.string() }).safeParse(this.store.get(NIGHT_COVERAGE_KEY));
    if (!saved.success) return null;
    const at = Date.parse(saved.data.coveredThrough);
    return Number.isFinite(at) ? at : null;
  }

  /** Never moves back: a late answer about an older night does not undo a newer one. */
  markCovered(at: number): void {
    const current = this.coveredThrough();
    if (current !== null && current >= at) return;
    this.store.set(NIGHT_COVERAGE_KEY, { coveredThrough: new Date(at).toISOString() });
  }
}
