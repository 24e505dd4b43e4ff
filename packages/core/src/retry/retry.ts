/**
 * A bounded retry helper: at most `maxAttempts` calls, never past a deadline, "full jitter" backoff
 * (delay = random() × min(maxDelay, base × 2^(attempt−1))), and `Retry-After` honoured. There is no
 * unbounded loop anywhere: every path ends after `maxAttempts` or when the deadline would be passed.
 */
import { type Clock, systemClock } from "../clock.js";

/** What a classifier says about a failure. */
export interface RetryClassification {
  /** `true` to try again (429, 5xx, network errors); `false` for final errors (4xx, bad config). */
  retryable: boolean;
  /** Server-requested delay in milliseconds (from `Retry-After`); replaces the jittered delay. */
  retryAfterMs?: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Most calls of `fn`, including the first. Integer ≥ 1. Default 3. */
  maxAttempts?: number;
  /**
   * Time budget for all attempts and waits, in milliseconds from the call to `retry` (measured with
   * `clock`). No wait that would end past it is started; the last error is thrown instead. Default: none.
   */
  deadlineMs?: number;
  /** Base backoff in milliseconds (attempt 1 waits up to this). Default 100. */
  baseDelayMs?: number;
  /** Cap on one backoff before jitter, in milliseconds. Default 2000. */
  maxDelayMs?: number;
  /** Decides whether an error is retryable and whether the server asked for a delay. */
  classify: (err: unknown) => RetryClassification;
  /** Time source. Default {@link systemClock}. */
  clock?: Clock;
  /** Waits `ms` milliseconds. Default: a `setTimeout` promise. Tests inject a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Called before each wait with the failed attempt number, the error and the chosen delay (ms). */
  onRetry?: (info: { attempt: number; error: unknown; delayMs: number }) => void;
}

/** Default `sleep`: resolves after `ms` milliseconds. */
export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The full-jitter backoff for a failed attempt: `random() × min(maxDelayMs, baseDelayMs × 2^(attempt−1))`,
 * in milliseconds.
 */
export function fullJitterDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

function checkNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`"${name}" must be a non-negative number`);
}

/**
 * Call `fn` until it succeeds, a failure is classified final, `maxAttempts` is reached, or the next
 * wait would pass the deadline; then rethrow the last error unchanged.
 *
 * @param fn Called with the attempt number (1-based).
 * @example
 * const token = await retry((n) => fetchToken(), {
 *   classify: (e) => ({ retryable: e instanceof UpstreamUnavailable, retryAfterMs: e.retryAfterMs }),
 *   deadlineMs: 5000,
 * });
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError('"maxAttempts" must be an integer of at least 1');
  }
  const baseDelayMs = opts.baseDelayMs ?? 100;
  const maxDelayMs = opts.maxDelayMs ?? 2000;
  checkNonNegative("baseDelayMs", baseDelayMs);
  checkNonNegative("maxDelayMs", maxDelayMs);
  if (opts.deadlineMs !== undefined) checkNonNegative("deadlineMs", opts.deadlineMs);
  if (typeof opts.classify !== "function") throw new TypeError('"classify" must be a function');
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const deadline = opts.deadlineMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + opts.deadlineMs;

  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
      const verdict = opts.classify(error);
      if (!verdict.retryable) throw error;
      const delayMs =
        verdict.retryAfterMs !== undefined && Number.isFinite(verdict.retryAfterMs)
          ? Math.max(0, verdict.retryAfterMs)
          : fullJitterDelay(attempt, baseDelayMs, maxDelayMs, random);
      if (clock.now() + delayMs >= deadline) throw error;
      opts.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs);
      if (clock.now() >= deadline) throw error;
    }
  }
}
