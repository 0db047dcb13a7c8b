// The refresh settings as the user edits them (« Mises à jour » and « Paramètres »): the night
// window in local time, what to do about a night missed while Vigie was closed, and the parts of
// the freshness policy a town hall may tune. Shared by the main process and the renderer so both
// check a form the same way; the engine's freshness policy (src-main/node/refresh) stays the
// single source of the day-count bounds, which the main process sends along with the settings.
import { z } from 'zod';

/** The shortest and the longest night window (the engine needs at least a quarter of an hour). */
export const NIGHT_WINDOW_MIN_MINUTES = 15;
export const NIGHT_WINDOW_MAX_MINUTES = 12 * 60;
const DAY_MINUTES = 24 * 60;

/** "01:00": hours and minutes of the computer's local time. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure invalide');

/** 'ask': the user is asked at start-up; 'auto': the missed night is caught up at once. */
export const catchUpModeSchema = z.enum(['ask', 'auto']);
export type CatchUpMode = z.infer<typeof catchUpModeSchema>;

/** The day counts of the policy a user may change, by field. */
export const REFRESH_DAY_FIELDS = [
  'companyMaxAgeDays',
  'establishmentMaxAgeDays',
  'attestationRenewDaysBeforeExpiry',
  'attestationMaxAgeDays',
  'certificationsMaxAgeDays',
  'ceasedMaxAgeDays',
] as const;
export type RefreshDayField = (typeof REFRESH_DAY_FIELDS)[number];

/** French labels of the day counts, as the forms and the error messages name them. */
export const REFRESH_DAY_LABELS: Record<RefreshDayField, string> = {
  companyMaxAgeDays: 'Entreprises : vérifier les informations tous les',
  establishmentMaxAgeDays: 'Établissements : vérifier les informations tous les',
  attestationRenewDaysBeforeExpiry: 'Attestations (vigilance URSSAF…) : renouveler avant l’expiration, à',
  attestationMaxAgeDays: 'Attestations (vigilance URSSAF…) : redemander au moins tous les',
  certificationsMaxAgeDays: 'Qualifications et certifications : vérifier tous les',
  ceasedMaxAgeDays: 'Entreprises cessées : vérifier les informations tous les',
};

/** What a French error message calls each field. */
const FIELD_NAMES: Record<RefreshDayField, string> = {
  companyMaxAgeDays: 'le délai de vérification des informations sur l’entreprise',
  establishmentMaxAgeDays: 'le délai de vérification des informations sur l’établissement',
  attestationRenewDaysBeforeExpiry: 'le délai de renouvellement avant l’expiration des attestations',
  attestationMaxAgeDays: 'le délai maximal entre deux demandes d’attestation',
  certificationsMaxAgeDays: 'le délai de vérification des qualifications et certifications',
  ceasedMaxAgeDays: 'le délai de vérification des entreprises cessées',
};

export const refreshSettingsSchema = z.object({
  nightStart: clockTimeSchema,
  nightEnd: clockTimeSchema,
  catchUp: catchUpModeSchema,
  /** Endpoint ids of the catalogue; the main process checks them against the engine's list. */
  enabledEndpoints: z.array(z.string().min(1).max(80)).max(100),
  companyMaxAgeDays: z.number().int(),
  establishmentMaxAgeDays: z.number().int(),
  attestationRenewDaysBeforeExpiry: z.number().int(),
  attestationMaxAgeDays: z.number().int(),
  certificationsMaxAgeDays: z.number().int(),
  ceasedMaxAgeDays: z.number().int(),
});
export type RefreshSettingsView = z.infer<typeof refreshSettingsSchema>;

export const dayLimitsSchema = z.object({ min: z.number().int(), max: z.number().int() });
export type DayLimits = z.infer<typeof dayLimitsSchema>;

/** What the settings forms need: the settings, what they may be, and when the next night starts. */
export const refreshSettingsPageSchema = z.object({
  settings: refreshSettingsSchema,
  /** The endpoints a night may refresh, with their French names. */
  endpoints: z.array(z.object({ id: z.string(), label: z.string() })),
  /** From the engine's freshness policy. */
  limits: z.record(z.enum(REFRESH_DAY_FIELDS), dayLimitsSchema),
  nextRunAt: z.string().nullable(),
});
export type RefreshSettingsPage = z.infer<typeof refreshSettingsPageSchema>;

/** Minutes since midnight of "HH:MM"; null when malformed. */
export function minutesOfDay(time: string): number | null {
  if (!clockTimeSchema.safeParse(time).success) return null;
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** Length of the window in minutes; an end at or before the start is the next day's. */
export function nightWindowMinutes(start: string, end: string): number | null {
  const from = minutesOfDay(start);
  const to = minutesOfDay(end);
  if (from === null || to === null) return null;
  return to > from ? to - from : to + DAY_MINUTES - from;
}

/** The French problem with a night window, tied to the field to correct; null when it is fine. */
export function nightWindowProblem(start: string, end: string): { field: 'nightStart' | 'nightEnd'; message: string } | null {
  if (minutesOfDay(start) === null) return { field: 'nightStart', message: 'Saisissez l’heure de début au format HH:MM, par exemple 01:00.' };
  if (minutesOfDay(end) === null) return { field: 'nightEnd', message: 'Saisissez l’heure de fin au format HH:MM, par exemple 05:00.' };
  const length = nightWindowMinutes(start, end) as number;
  if (length < NIGHT_WINDOW_MIN_MINUTES) {
    return { field: 'nightEnd', message: 'La plage de nuit doit durer au moins 15 minutes : choisissez une heure de fin plus tardive.' };
  }
  if (length > NIGHT_WINDOW_MAX_MINUTES) {
    return { field: 'nightEnd', message: 'La plage de nuit doit durer au plus 12 heures : choisissez une heure de fin plus proche du début.' };
  }
  return null;
}

/** "3 650" with the French thousands separator. */
function count(value: number): string {
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(value).replace(/\s/g, '\u00a0');
}

/** The French problem with a day count as typed (or as received); null when it is fine. */
export function dayCountProblem(field: RefreshDayField, value: string | number, limits: DayLimits): string | null {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const range = `entre ${count(limits.min)} et ${count(limits.max)} jours`;
  if (text === '') return `Indiquez ${FIELD_NAMES[field]}, ${range}.`;
  if (!/^\d+$/.test(text)) return `Indiquez ${FIELD_NAMES[field]} en nombre entier de jours, ${range}.`;
  const days = Number(text);
  if (days < limits.min || days > limits.max) return `Le nombre de jours doit être compris ${range} pour ${FIELD_NAMES[field]}.`;
  return null;
}

export const NO_ENDPOINT_MESSAGE = 'Cochez au moins une donnée à tenir à jour la nuit.';
