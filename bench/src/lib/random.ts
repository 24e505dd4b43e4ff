/**
 * A small seeded PRNG (public-domain mulberry32), so that simulated traffic and generated callers are
 * reproducible without a dependency, and the helpers the benchmarks draw with.
 */

/** A generator of numbers in [0, 1), deterministic for `seed`. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One element of a non-empty list, drawn uniformly. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("cannot pick from an empty list");
  return items[Math.floor(random() * items.length)] as T;
}

/** `bytes` random bytes as lowercase hex. */
export function randomHex(random: () => number, bytes: number): string {
  let out = "";
  for (let i = 0; i < bytes; i++)
    out += Math.floor(random() * 256)
      .toString(16)
      .padStart(2, "0");
  return out;
}
