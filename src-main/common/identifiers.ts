// SIREN / SIRET validation. Runs in every process (the renderer checks as the user types,
// the main process checks again before anything is stored or sent to the API).

/** La Poste's SIRETs are valid whatever their checksum says (INSEE exception). */
export const LA_POSTE_SIREN = '356000000';

export type IdentifierKind = 'siren' | 'siret';

export type IdentifierCheck =
  | { ok: true; kind: IdentifierKind; value: string; siren: string }
  | { ok: false; reason: IdentifierError; message: string };

export type IdentifierError = 'empty' | 'characters' | 'length' | 'checksum';

const IGNORED_SEPARATORS = /[\s\u00a0\u202f.\-_/]/g;

/** Removes the separators people and spreadsheets put in identifiers (spaces, NBSP, dots, dashes). */
export function normalizeIdentifier(raw: string): string {
  return raw.replace(IGNORED_SEPARATORS, '');
}

/** Luhn checksum over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const DIGITS = /^[0-9]+$/;

export function isValidSiren(value: string): boolean {
  return value.length === 9 && DIGITS.test(value) && luhnValid(value);
}

export function isValidSiret(value: string): boolean {
  if (value.length !== 14 || !DIGITS.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN)) return true;
  return luhnValid(value);
}

const MESSAGES: Record<IdentifierError, string> = {
  empty: 'Saisissez un numéro SIREN (9 chiffres) ou SIRET (14 chiffres).',
  characters: 'Le numéro ne doit contenir que des chiffres.',
  length: 'Un SIREN compte 9 chiffres et un SIRET 14 chiffres.',
  checksum: 'Ce numéro n’existe pas : sa clé de contrôle est fausse (vérifiez une faute de frappe).',
};

function failure(reason: IdentifierError, what?: IdentifierKind): IdentifierCheck {
  let message = MESSAGES[reason];
  if (reason === 'checksum' && what) {
    message = `Ce ${what.toUpperCase()} n’existe pas : sa clé de contrôle est fausse (vérifiez une faute de frappe).`;
  }
  return { ok: false, reason, message };
}

/** Validates a SIREN or a SIRET typed by a person, after normalisation. */
export function checkIdentifier(raw: string, expected?: IdentifierKind): IdentifierCheck {
  const value = normalizeIdentifier(raw);
  if (value === '') return failure('empty');
  if (!DIGITS.test(value)) return failure('characters');
  const kind: IdentifierKind | null = value.length === 9 ? 'siren' : value.length === 14 ? 'siret' : null;
  if (kind === null || (expected !== undefined && kind !== expected)) {
    if (expected === 'siren') return { ok: false, reason: 'length', message: 'Un SIREN compte 9 chiffres.' };
    if (expected === 'siret') return { ok: false, reason: 'length', message: 'Un SIRET compte 14 chiffres.' };
    return failure('length');
  }
  const valid = kind === 'siren' ? isValidSiren(value) : isValidSiret(value);
  if (!valid) return failure('checksum', kind);
  return { ok: true, kind, value, siren: value.slice(0, 9) };
}

/** Formats for display: "123 456 789" or "123 456 789 00012". */
export function formatIdentifier(value: string): string {
  if (value.length === 9) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;
  if (value.length === 14) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)} ${value.slice(9)}`;
  return value;
}

/** Computes the Luhn check digit that makes `body + digit` valid (used by fixtures and the fake API). */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d += 1) {
    if (luhnValid(body + String(d))) return String(d);
  }
  throw new Error('unreachable: one Luhn digit always exists');
}
