/** A counter per key, for "what callers saw" figures. */
export class Histogram {
  readonly #counts = new Map<string, number>();

  add(key: string | number, by = 1): void {
    const k = String(key);
    this.#counts.set(k, (this.#counts.get(k) ?? 0) + by);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  get(key: string | number): number {
    return this.#counts.get(String(key)) ?? 0;
  }

  /** Plain object, keys sorted. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
