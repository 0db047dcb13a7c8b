// Test data: identifiers that pass the Luhn check (or deliberately fail it), temp folders.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../src-main/common/identifiers';

/** A valid SIREN and a valid SIRET of one of its establishments, different for every n. */
export function validIdentifiers(n: number): { siren: string; siret: string } {
  const body = String(30_000_000 + n * 7).padStart(8, '0');
  const siren = body + luhnCheckDigit(body);
  const nicBody = siren + String(1 + (n % 9000)).padStart(4, '0');
  return { siren, siret: nicBody + luhnCheckDigit(nicBody) };
}

/** A SIRET of the right length whose check digit is wrong (a typo in the last digit). */
export function siretWithBadChecksum(n: number): string {
  const { siret } = validIdentifiers(n);
  const last = Number(siret.slice(-1));
  return siret.slice(0, -1) + String((last + 1) % 10);
}

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'vigie-e2e-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** The text of a page element with the spaces French number formatting uses made plain. */
export function plainSpaces(text: string | null): string {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
}

/** Runs every clean-up step even when an earlier one fails, then reports the first failure. */
export async function cleanUp(...steps: (() => unknown)[]): Promise<void> {
  let firstError: unknown = null;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== null) throw firstError;
}
