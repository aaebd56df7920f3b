// Seeded randomness for the soak: one seed fixes sizes, bytes and every fault decision, so a failure replays.

/** A uniform [0, 1) generator (mulberry32: tiny, fast, good enough for test schedules). */
export type Rng = () => number;

/** A generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with a label (run number, request kind) into an independent sub-seed. */
export function subSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** An integer in [min, max]. */
export function intBetween(rng: Rng, range: { min: number; max: number }): number {
  return range.min + Math.floor(rng() * (range.max - range.min + 1));
}

/** Picks by weight; weights need not sum to 1. */
export function weighted<T extends string>(rng: Rng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [key, w] of entries) {
    x -= w;
    if (x < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('weighted: no choices');
  return last[0];
}

/** `size` pseudo-random bytes (fast: 32 bits per step). */
export function randomBytes(rng: Rng, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = (rng() * 4294967296) >>> 0;
  for (let i = words.length * 4; i < size; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

/** The p-th percentile (0–100) of `values`, nearest rank; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? null;
}
