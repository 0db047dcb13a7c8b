// Dates and counts as a French agent reads them. Calendar dates are those of Paris: an attestation
// "valable jusqu'au 31/05/2027" and "données au 28/11/2026" mean days at the town hall, not in UTC.

const PARIS = 'Europe/Paris';

const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, day: '2-digit', month: '2-digit', year: 'numeric' });
// en-CA prints ISO-like YYYY-MM-DD
const isoDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: PARIS, year: 'numeric', month: '2-digit', day: '2-digit' });
const numberFormat = new Intl.NumberFormat('fr-FR');

/** JJ/MM/AAAA, in Paris. */
export function frenchDate(epochMs: number): string {
  return dayFormat.format(new Date(epochMs));
}

/** An ISO calendar date (YYYY-MM-DD, as API Entreprise sends them) as JJ/MM/AAAA. */
export function frenchIsoDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate;
}

/** The Paris calendar day of an instant, as YYYY-MM-DD: comparable with API Entreprise's dates. */
export function parisDay(epochMs: number): string {
  return isoDayFormat.format(new Date(epochMs));
}

/** 1 234 (with the narrow no-break space French uses). */
export function frenchNumber(n: number): string {
  return numberFormat.format(n);
}

/** "1 attestation renouvelée", "3 attestations renouvelées". */
export function counted(n: number, singular: string, plural: string): string {
  return `${frenchNumber(n)} ${n > 1 ? plural : singular}`;
}

export function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function epochOf(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined || iso === '') return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
