// Small numeric helpers shared by the benchmark parts: percentiles, rounding, a seeded generator,
// and a wait aligned on the rate-limit windows.

/** Nearest-rank percentile (p in [0, 100]) of an unsorted sample; NaN for an empty one. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Rounds to `digits` decimals; keeps null/NaN as null so the JSON stays valid. */
export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A text seed as the 32-bit number `seededRandom` takes (a multiplicative hash of its characters). */
export function seedOfText(text: string): number {
  let state = 0;
  for (const char of text) state = (Math.imul(state ^ char.charCodeAt(0), 2_654_435_761) + 1) >>> 0;
  return state;
}

/** mulberry32: a tiny seeded generator for reproducible fixtures. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(random() * items.length)] as T;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Waits for the start of the next fixed window of `windowMs` (the fake API aligns its windows on
 * the epoch), at least `minLeadMs` from now, and returns that instant.
 */
export async function nextWindowStart(windowMs: number, minLeadMs = 200): Promise<number> {
  const start = Math.ceil((Date.now() + minLeadMs) / windowMs) * windowMs;
  await delay(start - Date.now());
  while (Date.now() < start) await delay(1);
  return start;
}

/** Mean of a log-normal law given by its median and 99th percentile. */
export function lognormalMean(medianMs: number, p99Ms: number): number {
  const sigma = Math.log(p99Ms / medianMs) / 2.326_347_874;
  return medianMs * Math.exp((sigma * sigma) / 2);
}

export function progress(message: string): void {
  const clock = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${clock}] ${message}\n`);
}
