// How the refreshes read in French: the next night, the time left, the states of a run and what
// started it. Dates and hours are the town hall's (Paris), whatever the computer says.
import type { RefreshProgressView } from '../../../src-main/common/ipc-contract';
import type { Tone } from '../token/token-words';
import { formatCount, plural } from '../ui/format';

const PARIS = 'Europe/Paris';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const dayFormat = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: PARIS });
const clockFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: PARIS });

function parsed(value: string): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function hourAndMinute(date: Date): { hour: number; minute: number } {
  const parts = clockFormat.formatToParts(date);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? '0');
  return { hour, minute };
}

/** "1 h", "1 h 30": how an hour is said in a French town hall. */
export function hourWords(hour: number, minute: number): string {
  return minute === 0 ? `${hour}\u00a0h` : `${hour}\u00a0h\u00a0${String(minute).padStart(2, '0')}`;
}

/**
 * « nuit du 28/11/2026 à 1 h » for a start at 1 a.m. on 29/11/2026: a night is named after its evening,
 * as people say it.
 */
export function nightWords(iso: string): string {
  const date = parsed(iso);
  if (!date) return iso;
  const { hour, minute } = hourAndMinute(date);
  // before noon, the night began the evening before
  const evening = hour < 12 ? new Date(date.getTime() - 12 * HOUR_MS) : date;
  return `nuit du ${dayFormat.format(evening)} à ${hourWords(hour, minute)}`;
}

/** « 1 h », « 6 h 30 » for a time of day typed as HH:MM (the night window's fields). */
export function timeOfDayWords(hhmm: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return match ? hourWords(Number(match[1]), Number(match[2])) : hhmm;
}

/** "03:12", in Paris time. */
export function clockWords(iso: string): string {
  const date = parsed(iso);
  return date ? clockFormat.format(date) : iso;
}

/** « environ 12 minutes », « moins d’une minute », « environ 2 heures 15 minutes ». */
export function etaWords(etaMs: number | null): string | null {
  if (etaMs === null || !Number.isFinite(etaMs) || etaMs < 0) return null;
  if (etaMs < MINUTE_MS) return 'moins d’une minute';
  const minutes = Math.round(etaMs / MINUTE_MS);
  if (minutes < 60) return `environ ${plural(minutes, 'minute', 'minutes')}`;
  // past an hour, to the nearest five minutes: a precise figure would promise too much
  const rounded = Math.round(minutes / 5) * 5;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return `environ ${plural(hours, 'heure', 'heures')}${rest > 0 ? ` ${plural(rest, 'minute', 'minutes')}` : ''}`;
}

/** Checks done, failed or put off: what the progress bar counts. */
export function processedCount(progress: RefreshProgressView): number {
  return progress.done + progress.failed + progress.skipped;
}

/** « 120 sur 480 vérifications ». */
export function progressWords(processed: number, total: number): string {
  return `${formatCount(processed)} sur ${plural(total, 'vérification', 'vérifications')}`;
}

/**
 * « 42 par minute sur 250 autorisées ». In a run's first minute the core extrapolates its pace
 * from a few seconds (5 answers in 15 s read « 20 par minute »), while the limiter never lets
 * more than the limit through: shown above the limit, it would read as a breach that is not one.
 */
export function paceWords(ratePerMinute: number, limitPerMinute: number): string {
  const limit = Math.round(limitPerMinute);
  const rate = Math.min(Math.round(ratePerMinute), limit);
  return `${formatCount(rate)} par minute sur ${formatCount(limit)} autorisées`;
}

const RUN_STATES: Readonly<Record<string, { words: string; tone: Tone }>> = {
  running: { words: 'En cours', tone: 'neutral' },
  paused: { words: 'En pause', tone: 'warning' },
  completed: { words: 'Terminée', tone: 'good' },
  cancelled: { words: 'Annulée', tone: 'neutral' },
  stopped_token: { words: 'Arrêtée : jeton refusé', tone: 'bad' },
  interrupted: { words: 'Interrompue', tone: 'warning' },
};

/** A run's state in words, with a tone for its badge (the words always say it: not the colour alone). */
export function runStateWords(state: string): { words: string; tone: Tone } {
  return RUN_STATES[state] ?? { words: state, tone: 'neutral' };
}

/** Runs that are over; any other can still be resumed or cancelled. */
export function isRunOver(state: string): boolean {
  return state === 'completed' || state === 'cancelled';
}

/** « Nuit » for the nightly schedule, « Manuel » for « Lancer maintenant », « Rattrapage » for a missed night. */
export function triggerWords(trigger: string): string {
  if (trigger === 'night') return 'Nuit';
  if (trigger === 'manual') return 'Manuel';
  if (trigger === 'catch_up') return 'Rattrapage d’une nuit manquée';
  return trigger;
}
