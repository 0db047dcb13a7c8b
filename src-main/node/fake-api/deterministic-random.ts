// Deterministic randomness for the fake API: the same seed and the same key always give the same
// numbers, whatever the order in which requests arrive (so concurrent tests stay reproducible).
import { createHash } from 'node:crypto';

/** Four 32-bit words from SHA-256 of the seed and the key parts. */
function seedWords(parts: readonly (string | number)[]): [number, number, number, number] {
  const digest = createHash('sha256').update(parts.join('\u001f')).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/** sfc32: small, fast, good enough for synthetic data, and trivially seedable from a hash. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...parts: (string | number)[]) {
    [this.a, this.b, this.c, this.d] = seedWords(parts);
    // warm up: the first outputs of sfc32 are correlated with the seed words
    for (let i = 0; i < 12; i += 1) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), Number.EPSILON);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** One uniform draw in [0, 1) for a key: used where a whole generator would be wasted. */
export function uniformFor(...parts: (string | number)[]): number {
  return new Prng(...parts).next();
}

/** A stable hexadecimal digest of the parts, for opaque ids. */
export function hexDigest(length: number, ...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, length);
}
