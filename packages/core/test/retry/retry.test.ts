import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { fullJitterDelay, retry } from "../../src/retry/retry.js";
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../../src/retry/retryAfter.js";

class Transient extends Error {
  constructor(readonly retryAfterMs?: number) {
    super("transient");
  }
}

const classify = (e: unknown) =>
  e instanceof Transient
    ? e.retryAfterMs === undefined
      ? { retryable: true }
      : { retryable: true, retryAfterMs: e.retryAfterMs }
    : { retryable: false };

/** A sleep that advances the manual clock and records the delays. */
function fakeSleep(clock: ManualClock) {
  const delays: number[] = [];
  const sleep = vi.fn(async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
  });
  return { sleep, delays };
}

describe("Function: retry", () => {
  it("returns the first success without sleeping", async () => {
    const clock = new ManualClock();
    const { sleep } = fakeSleep(clock);
    const fn = vi.fn(async (attempt: number) => `ok${attempt}`);
    await expect(retry(fn, { classify, clock, sleep })).resolves.toBe("ok1");
    expect(sleep).not.toHaveBeenCalled();
  });

  it("stops after maxAttempts and rethrows the last error", async () => {
    const clock = new ManualClock();
    const { sleep, delays } = fakeSleep(clock);
    const errors = [new Transient(), new Transient(), new Transient()];
    const fn = vi.fn(async (attempt: number) => {
      throw errors[attempt - 1];
    });
    await expect(retry(fn, { classify, clock, sleep, maxAttempts: 3, random: () => 0.5 })).rejects.toBe(
      errors[2],
    );
    expect(fn).toHaveBeenCalledTimes(3);
    expect(delays).toHaveLength(2);
  });

  it("uses full jitter: random × min(maxDelay, base × 2^(attempt−1))", async () => {
    const clock = new ManualClock();
    const { sleep, delays } = fakeSleep(clock);
    const randoms = [0.5, 0.999, 0.25, 0, 0.5];
    let i = 0;
    const fn = async (): Promise<string> => {
      throw new Transient();
    };
    await expect(
      retry(fn, {
        classify,
        clock,
        sleep,
        maxAttempts: 6,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => randoms[i++] as number,
      }),
    ).rejects.toBeInstanceOf(Transient);
    expect(delays).toEqual([50, 199, 100, 0, 500]);
  });

  it("succeeds after transient failures", async () => {
    const clock = new ManualClock();
    const { sleep } = fakeSleep(clock);
    const onRetry = vi.fn();
    const fn = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw new Transient();
      return "ok";
    });
    await expect(retry(fn, { classify, clock, sleep, random: () => 0, onRetry })).resolves.toBe("ok");
    expect(onRetry).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0]?.[0]).toMatchObject({ attempt: 1, delayMs: 0 });
  });

  it("does not retry a final error", async () => {
    const final = new Error("invalid_client");
    const fn = vi.fn(async () => {
      throw final;
    });
    await expect(retry(fn, { classify, sleep: async () => {} })).rejects.toBe(final);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("waits exactly the Retry-After delay instead of the backoff", async () => {
    const clock = new ManualClock();
    const { sleep, delays } = fakeSleep(clock);
    const fn = vi.fn(async (attempt: number) => {
      if (attempt === 1) throw new Transient(1500);
      return "ok";
    });
    await expect(retry(fn, { classify, clock, sleep, random: () => 0.9 })).resolves.toBe("ok");
    expect(delays).toEqual([1500]);
  });

  it("stops when Retry-After is longer than the remaining deadline", async () => {
    const clock = new ManualClock();
    const { sleep } = fakeSleep(clock);
    const err = new Transient(5000);
    const fn = vi.fn(async () => {
      throw err;
    });
    await expect(retry(fn, { classify, clock, sleep, deadlineMs: 4000, maxAttempts: 5 })).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it("never sleeps past the deadline", async () => {
    const clock = new ManualClock();
    const { sleep, delays } = fakeSleep(clock);
    const fn = vi.fn(async () => {
      clock.advance(300); // each attempt takes 300 ms
      throw new Transient();
    });
    await expect(
      retry(fn, {
        classify,
        clock,
        sleep,
        deadlineMs: 1000,
        maxAttempts: 10,
        baseDelayMs: 200,
        maxDelayMs: 200,
        random: () => 0.999,
      }),
    ).rejects.toBeInstanceOf(Transient);
    // t=300 fail, sleep 199 → 499; t=799 fail; 799+199 = 998 < 1000, sleep → 998; t=1298 fail → stop
    expect(fn).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([199, 199]);
    expect(clock.now() - new ManualClock().now()).toBeLessThan(1400);
  });

  it("stops when a sleep overran the deadline", async () => {
    const clock = new ManualClock();
    const fn = vi.fn(async () => {
      throw new Transient(100);
    });
    const sleep = async () => {
      clock.advance(10_000); // a slow timer
    };
    await expect(retry(fn, { classify, clock, sleep, deadlineMs: 1000 })).rejects.toBeInstanceOf(Transient);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("uses real timers by default", async () => {
    const fn = vi.fn(async (attempt: number) => {
      if (attempt === 1) throw new Transient(1);
      return "ok";
    });
    await expect(retry(fn, { classify })).resolves.toBe("ok");
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ baseDelayMs: -1 }, /baseDelayMs/],
    [{ maxDelayMs: Number.NaN }, /maxDelayMs/],
    [{ deadlineMs: -1 }, /deadlineMs/],
    [{ classify: undefined }, /classify/],
  ])("rejects bad options %o", async (bad, message) => {
    await expect(retry(async () => 1, { classify, ...bad } as never)).rejects.toThrow(message);
  });
});

describe("Function: fullJitterDelay", () => {
  it("caps the exponential ceiling and never exceeds it", () => {
    expect(fullJitterDelay(1, 100, 2000, () => 0.999999)).toBe(99);
    expect(fullJitterDelay(5, 100, 2000, () => 0.999999)).toBe(1599);
    expect(fullJitterDelay(50, 100, 2000, () => 0.999999)).toBe(1999);
    expect(fullJitterDelay(3, 100, 2000, () => 0)).toBe(0);
  });
});

describe("Function: parseRetryAfter", () => {
  const now = Date.UTC(2026, 9, 21, 7, 28, 0);

  it.each([
    ["0", 0],
    ["1", 1000],
    [" 120 ", 120_000],
    ["999999999", MAX_RETRY_AFTER_MS],
    ["Wed, 21 Oct 2026 07:28:30 GMT", 30_000],
    ["Wed, 21 Oct 2026 07:27:00 GMT", 0],
    ["Thu, 22 Oct 2026 07:28:00 GMT", MAX_RETRY_AFTER_MS],
  ])("parses %j as %i ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [""],
    ["-1"],
    ["1.5"],
    ["soon"],
    ["Wed, 99 Foo 2026 GMT"],
    ["2026-10-21T07:28:30Z"],
    ["1".repeat(65)],
  ])("ignores %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
