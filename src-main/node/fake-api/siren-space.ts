// A bijection between company indexes and SIRENs: index -> SIREN is an affine permutation of the
// 8-digit SIREN bodies, so SIREN -> index is one modular multiplication (O(1) lookups, no table),
// and the SIRENs look scattered like real ones instead of counting up.
import { LA_POSTE_SIREN, luhnCheckDigit } from '../../common/identifiers';
import { Prng } from './deterministic-random';

/** Private-sector SIRENs: bodies 30000000-99999999 (1xx and 2xx are public bodies, like the commune). */
const BODY_OFFSET = 30_000_000n;
const MODULUS = 70_000_000n;

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

export class SirenSpace {
  private readonly multiplier: bigint;
  private readonly inverse: bigint;
  private readonly shift: bigint;

  constructor(
    seed: string,
    readonly count: number,
  ) {
    const prng = new Prng('siren-space', seed);
    let multiplier = BigInt(prng.between(1_000_001, 69_999_999));
    while (gcd(multiplier, MODULUS) !== 1n) multiplier += 1n;
    this.multiplier = multiplier;
    this.inverse = modInverse(multiplier, MODULUS);
    let shift = BigInt(prng.int(70_000_000));
    // La Poste's SIREN has its own SIRET rule: keep it out of the synthetic population
    const laPosteBody = BigInt(LA_POSTE_SIREN.slice(0, 8));
    while (this.indexOfBody(laPosteBody, shift) < BigInt(count)) shift += 1n;
    this.shift = shift;
  }

  private indexOfBody(body: bigint, shift: bigint): bigint {
    return ((((body - BODY_OFFSET - shift) % MODULUS) + MODULUS) % MODULUS * this.inverse) % MODULUS;
  }

  sirenAt(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`no company #${index}`);
    const body = String(BODY_OFFSET + ((this.multiplier * BigInt(index) + this.shift) % MODULUS));
    return body + luhnCheckDigit(body);
  }

  /** The index of a SIREN in the population, or null when it is not one of ours. */
  indexOf(siren: string): number | null {
    if (!/^\d{9}$/.test(siren)) return null;
    const body = BigInt(siren.slice(0, 8));
    if (body < BODY_OFFSET) return null;
    const index = this.indexOfBody(body, this.shift);
    if (index >= BigInt(this.count)) return null;
    const position = Number(index);
    return this.sirenAt(position) === siren ? position : null;
  }
}
