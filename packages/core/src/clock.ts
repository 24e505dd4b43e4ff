/**
 * Time source for everything in mcp-token that reasons about expiry.
 *
 * All times are epoch **milliseconds**. Production code takes a `clock?: Clock` option that defaults to
 * {@link systemClock}; tests pass a {@link ManualClock} so that expiry, refresh-ahead and retry logic can
 * be exercised without ever sleeping.
 */

/** A source of the current time. */
export interface Clock {
  /** Current time as epoch milliseconds. */
  now(): number;
}

/** The real wall clock (`Date.now()`). */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
});

/**
 * A clock that only moves when told to. Use it in tests everywhere instead of sleeping.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2026, 0, 1));
 * clock.advance(60_000); // one minute later
 */
export class ManualClock implements Clock {
  #now: number;

  /** @param startMs Starting time, epoch milliseconds. Default `Date.UTC(2026, 0, 1)` (a fixed instant). */
  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    assertFiniteMs(startMs, "startMs");
    this.#now = startMs;
  }

  /** Current time as epoch milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Jump to an absolute time (epoch milliseconds). May move backwards. */
  set(ms: number): void {
    assertFiniteMs(ms, "ms");
    this.#now = ms;
  }

  /** Move forward by `ms` milliseconds (negative values move backwards). Returns the new time. */
  advance(ms: number): number {
    assertFiniteMs(ms, "ms");
    this.#now += ms;
    return this.#now;
  }
}

function assertFiniteMs(value: number, name: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`"${name}" must be a finite number of milliseconds`);
  }
}
