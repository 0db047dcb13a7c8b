import { luhnCheckDigit } from '../../src-main/common/identifiers';

/** A valid SIREN derived from `n` (deterministic, never La Poste's). */
export function makeSiren(n: number): string {
  const body = String(10_000_000 + (n % 89_999_999)).padStart(8, '0');
  return body + luhnCheckDigit(body);
}

/** A valid SIRET for establishment `nic` of the SIREN made from `n`. */
export function makeSiret(n: number, nic = 1): string {
  const body = makeSiren(n) + String(nic % 10_000).padStart(4, '0');
  return body + luhnCheckDigit(body);
}

/** A SIRET whose last digit is wrong: Luhn rejects every single-digit change. */
export function makeInvalidSiret(n: number): string {
  const valid = makeSiret(n);
  const last = Number(valid[13]);
  return valid.slice(0, 13) + String((last + 1) % 10);
}
