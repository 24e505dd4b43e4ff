import { describe, expect, it, vi } from "vitest";
import { cacheKey } from "../../src/cache/cacheKey.js";
import { TokenCache } from "../../src/cache/tokenCache.js";
import { ManualClock } from "../../src/clock.js";

interface Tok {
  value: string;
  issuedAt: number;
  expiresAt: number;
}

const HOUR = 3_600_000;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function tokenAt(clock: ManualClock, value: string, lifetimeMs = HOUR): Tok {
  const now = clock.now();
  return { value, issuedAt: now, expiresAt: now + lifetimeMs };
}

describe("Class: TokenCache", () => {
  describe("Method: get", () => {
    it("calls the fetcher exactly once for 1,000 concurrent gets on a cold key", async () => {
      // Prepare
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      const gate = deferred<Tok>();
      const fetcher = vi.fn(() => gate.promise);

      // Act
      const all = Array.from({ length: 1000 }, () => cache.get("k", fetcher));
      gate.resolve(tokenAt(clock, "t1"));
      const results = await Promise.all(all);

      // Assess
      expect(fetcher).toHaveBeenCalledTimes(1);
      expect(new Set(results.map((r) => r.value))).toEqual(new Set(["t1"]));
      expect(cache.stats()).toMatchObject({ misses: 1000, upstreamCalls: 1, hits: 0 });
    });

    it("serves from cache until expires_at minus minTtl, and not one second later", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock, refreshAheadRatio: 1 });
      const minTtlSeconds = 300;
      await cache.get("k", async () => tokenAt(clock, "old", HOUR));
      const fetcher = vi.fn(async () => tokenAt(clock, "new", HOUR));

      // one second before the boundary: 301 s left
      clock.advance(HOUR - 301_000);
      expect((await cache.lookup("k", fetcher, { minTtlSeconds })).outcome).toBe("hit");
      // exactly at the boundary: 300 s left, still served
      clock.advance(1000);
      expect(await cache.lookup("k", fetcher, { minTtlSeconds })).toMatchObject({
        outcome: "hit",
        token: { value: "old" },
      });
      expect(fetcher).not.toHaveBeenCalled();
      // one second past the boundary: 299 s left
      clock.advance(1000);
      expect(await cache.lookup("k", fetcher, { minTtlSeconds })).toMatchObject({
        outcome: "miss",
        token: { value: "new" },
      });
      expect(fetcher).toHaveBeenCalledTimes(1);
    });

    it("uses defaultMinTtlSeconds when a call gives none", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock, defaultMinTtlSeconds: 60, refreshAheadRatio: 1 });
      await cache.get("k", async () => tokenAt(clock, "old", 120_000));
      clock.advance(60_000);
      expect((await cache.lookup("k", async () => tokenAt(clock, "new"))).outcome).toBe("hit");
      clock.advance(1000);
      expect((await cache.lookup("k", async () => tokenAt(clock, "new"))).outcome).toBe("miss");
    });

    it("serves the old token while exactly one refresh-ahead runs after 75 % of the lifetime", async () => {
      // Prepare
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
      const gate = deferred<Tok>();
      const fetcher = vi.fn(() => gate.promise);

      // Act: just before 75 % nothing happens
      clock.advance(0.75 * HOUR - 1000);
      expect((await cache.lookup("k", fetcher)).outcome).toBe("hit");
      expect(fetcher).not.toHaveBeenCalled();
      clock.advance(1000);
      const first = await cache.lookup("k", fetcher);
      const more = await Promise.all(Array.from({ length: 50 }, () => cache.lookup("k", fetcher)));

      // Assess
      expect(first).toMatchObject({ outcome: "refresh", token: { value: "old" } });
      expect(more.every((r) => r.outcome === "hit" && r.token.value === "old")).toBe(true);
      expect(fetcher).toHaveBeenCalledTimes(1);

      gate.resolve(tokenAt(clock, "new", HOUR));
      await gate.promise;
      await Promise.resolve();
      expect(await cache.lookup("k", fetcher)).toMatchObject({ outcome: "hit", token: { value: "new" } });
      expect(cache.stats()).toMatchObject({ refreshes: 1, upstreamCalls: 2 });
    });

    it("lets a miss during a background refresh share the refresh's promise", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
      clock.advance(0.8 * HOUR);
      const gate = deferred<Tok>();
      const fetcher = vi.fn(() => gate.promise);
      expect((await cache.lookup("k", fetcher, { minTtlSeconds: 0 })).outcome).toBe("refresh");
      // this caller needs more lifetime than the old token has: it waits for the same refresh
      const waiting = cache.lookup("k", fetcher, { minTtlSeconds: 0.5 * 3600 });
      gate.resolve(tokenAt(clock, "new", HOUR));
      expect(await waiting).toMatchObject({ outcome: "miss", token: { value: "new" } });
      expect(fetcher).toHaveBeenCalledTimes(1);
    });

    it("keeps serving the valid token after a failed refresh and surfaces the error once it expired", async () => {
      // Prepare
      const clock = new ManualClock();
      const onBackgroundError = vi.fn();
      const cache = new TokenCache<Tok>({ clock, onBackgroundError, failureBackoffSeconds: 5 });
      await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
      const failure = new Error("issuer down");
      const failing = vi.fn(async () => {
        throw failure;
      });

      // Act: refresh-ahead fails in the background
      clock.advance(0.8 * HOUR);
      expect(await cache.lookup("k", failing)).toMatchObject({ outcome: "refresh", token: { value: "old" } });
      await new Promise((r) => setTimeout(r, 0));
      expect(onBackgroundError).toHaveBeenCalledWith("k", failure);
      // within the back-off no new background refresh is started
      expect(await cache.lookup("k", failing)).toMatchObject({ outcome: "hit", token: { value: "old" } });
      expect(failing).toHaveBeenCalledTimes(1);
      // below minTtl but not expired: the fetcher is asked, fails, the old token is served as stale
      clock.set(clock.now() + 0.2 * HOUR - 60_000);
      expect(await cache.lookup("k", failing)).toMatchObject({ outcome: "stale", token: { value: "old" } });
      // expired: the error surfaces
      clock.advance(60_000);
      await expect(cache.get("k", failing)).rejects.toBe(failure);

      // Assess
      expect(cache.stats()).toMatchObject({ errors: 3, stale: 1, upstreamCalls: 4 });
    });

    it("never leaves an unhandled rejection behind a failed background refresh", async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      try {
        const clock = new ManualClock();
        const cache = new TokenCache<Tok>({ clock }); // no onBackgroundError
        await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
        clock.advance(0.9 * HOUR);
        const r = await cache.lookup("k", async () => {
          throw new Error("background boom");
        });
        expect(r.outcome).toBe("refresh");
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
        expect(cache.stats().errors).toBe(1);
      } finally {
        process.off("unhandledRejection", onUnhandled);
      }
    });

    it("ignores an onBackgroundError callback that throws", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({
        clock,
        onBackgroundError: () => {
          throw new Error("logger broke");
        },
      });
      await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
      clock.advance(0.9 * HOUR);
      await cache.lookup("k", async () => {
        throw new Error("down");
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(cache.peek("k")?.value).toBe("old");
    });

    it("starts another background refresh once the failure back-off has passed", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock, failureBackoffSeconds: 5 });
      await cache.get("k", async () => tokenAt(clock, "old", HOUR), { minTtlSeconds: 0 });
      clock.advance(0.8 * HOUR);
      const failing = vi.fn(async (): Promise<Tok> => {
        throw new Error("down");
      });
      await cache.lookup("k", failing);
      await new Promise((r) => setTimeout(r, 0));
      clock.advance(4999);
      expect((await cache.lookup("k", failing)).outcome).toBe("hit");
      clock.advance(1);
      expect((await cache.lookup("k", failing)).outcome).toBe("refresh");
      expect(failing).toHaveBeenCalledTimes(2);
    });

    it("throws the fetcher's error on a cold miss to every waiter, and retries on the next call", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      const failure = new Error("nope");
      const failing = vi.fn(async (): Promise<Tok> => {
        throw failure;
      });
      const results = await Promise.allSettled([cache.get("k", failing), cache.get("k", failing)]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(failing).toHaveBeenCalledTimes(1);
      await expect(cache.get("k", failing)).rejects.toBe(failure);
      expect(failing).toHaveBeenCalledTimes(2);
    });

    it("turns a synchronous fetcher throw into a rejection", async () => {
      const cache = new TokenCache<Tok>({ clock: new ManualClock() });
      const err = new Error("sync");
      await expect(
        cache.get("k", () => {
          throw err;
        }),
      ).rejects.toBe(err);
    });

    it("hands out but does not cache a token that is already expired", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      const t = { value: "dead", issuedAt: clock.now() - 2000, expiresAt: clock.now() };
      expect(await cache.get("k", async () => t)).toBe(t);
      expect(cache.size).toBe(0);
    });

    it("rejects a negative minTtlSeconds with a TypeError", async () => {
      const cache = new TokenCache<Tok>({ clock: new ManualClock() });
      await expect(
        cache.get("k", async () => ({ value: "", issuedAt: 0, expiresAt: 0 }), { minTtlSeconds: -1 }),
      ).rejects.toThrow(TypeError);
    });
  });

  describe("LRU bound", () => {
    it("never holds more than maxEntries and evicts the least recently used", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock, maxEntries: 3 });
      for (const k of ["a", "b", "c"]) await cache.get(k, async () => tokenAt(clock, k));
      await cache.get("a", async () => tokenAt(clock, "a2")); // a becomes most recent
      await cache.get("d", async () => tokenAt(clock, "d"));
      expect(cache.size).toBe(3);
      expect(cache.peek("b")).toBeUndefined();
      expect(cache.peek("a")?.value).toBe("a");
      expect(cache.peek("c")?.value).toBe("c");
      expect(cache.stats().evictions).toBe(1);
      for (let i = 0; i < 100; i++) cache.set(`x${i}`, tokenAt(clock, `x${i}`));
      expect(cache.size).toBe(3);
      expect(cache.stats().evictions).toBe(101);
    });
  });

  describe("Method: invalidate", () => {
    it("forgets one key or all keys, and does not cache a fetch that was in flight", async () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      cache.set("a", tokenAt(clock, "a"));
      cache.set("b", tokenAt(clock, "b"));
      cache.invalidate("a");
      expect(cache.peek("a")).toBeUndefined();
      expect(cache.peek("b")?.value).toBe("b");
      const gate = deferred<Tok>();
      const pending = cache.get("c", () => gate.promise);
      cache.invalidate();
      gate.resolve(tokenAt(clock, "c"));
      expect((await pending).value).toBe("c");
      expect(cache.size).toBe(0);
    });
  });

  describe("Method: peek", () => {
    it("returns a token until it expires, without fetching", () => {
      const clock = new ManualClock();
      const cache = new TokenCache<Tok>({ clock });
      cache.set("k", tokenAt(clock, "t", 10_000));
      clock.advance(9_999);
      expect(cache.peek("k")?.value).toBe("t");
      clock.advance(1);
      expect(cache.peek("k")).toBeUndefined();
    });
  });

  describe("constructor", () => {
    it.each([
      [{ maxEntries: 0 }, /maxEntries/],
      [{ refreshAheadRatio: 0 }, /refreshAheadRatio/],
      [{ refreshAheadRatio: 1.5 }, /refreshAheadRatio/],
      [{ defaultMinTtlSeconds: -1 }, /defaultMinTtlSeconds/],
      [{ failureBackoffSeconds: Number.NaN }, /failureBackoffSeconds/],
    ])("rejects %o", (opts, message) => {
      expect(() => new TokenCache<Tok>(opts)).toThrow(message);
    });
  });
});

describe("Function: cacheKey", () => {
  it("sorts and de-duplicates scopes", () => {
    expect(cacheKey("default", ["write", "read", "write"])).toBe("default read write");
    expect(cacheKey("default", ["read", "write"])).toBe(cacheKey("default", ["write", "read"]));
    expect(cacheKey("default", [])).toBe("default");
    expect(cacheKey("a", ["b"])).not.toBe(cacheKey("a", ["b", "c"]));
  });
});
