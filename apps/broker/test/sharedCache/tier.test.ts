/**
 * The shared tier's logic on a memory store with a ManualClock: the sleep between polls advances the
 * clock instead of waiting, so lease lapses and bounded waits are exact and no test sleeps for real.
 */
import { ManualClock } from "@mcp-token/core";
import { describe, expect, it, vi } from "vitest";
import type { BrokerMetrics, SharedCacheEvent } from "../../src/metrics.js";
import { openToken, sealToken } from "../../src/sharedCache/crypto.js";
import {
  createMemorySharedTokenStore,
  type MemorySharedTokenStore,
} from "../../src/sharedCache/memoryStore.js";
import type { SharedTokenStore } from "../../src/sharedCache/store.js";
import {
  createSharedTokenTier,
  type SharedFetchRequest,
  type SharedTierOptions,
} from "../../src/sharedCache/tier.js";
import type { CachedToken } from "../../src/types.js";
import { recordingLogger } from "../support/logs.js";

const START = 1_800_000_000_000;
const HOUR = 3_600_000;
const ITEM = "t1#tier-test-item-key-000000000000000000000000000";
const S1 = { clientId: "client-a", clientSecret: "tier-secret-one-0123456789abcdef" };
const S2 = { clientId: "client-a", clientSecret: "tier-secret-two-0123456789abcdef" };

function recordingMetrics() {
  const events: SharedCacheEvent[] = [];
  const metrics: BrokerMetrics = {
    request() {},
    upstreamAttempt() {},
    flush() {},
    sharedCache: (event) => void events.push(event),
  };
  return { metrics, events };
}

function setup(
  opts: Partial<SharedTierOptions> & {
    store?: SharedTokenStore;
    secret?: typeof S1;
    clock?: ManualClock;
    /** Polls first wait (for real) until this settles: lets a concurrent holder finish its Web Crypto work. */
    gate?: Promise<unknown>;
  } = {},
) {
  const clock = opts.clock ?? new ManualClock(START);
  const store = (opts.store ?? createMemorySharedTokenStore()) as MemorySharedTokenStore;
  const logger = recordingLogger();
  const { metrics, events } = recordingMetrics();
  const sleeps: number[] = [];
  const hooks: ((pollIndex: number) => void | Promise<void>)[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await opts.gate;
    clock.advance(ms);
    for (const hook of hooks) await hook(sleeps.length);
    // Let other instances' Web Crypto and store work (real async) make progress, without waiting `ms`.
    await new Promise((resolve) => setImmediate(resolve));
  };
  let issued = 0;
  const issue = vi.fn(async (): Promise<CachedToken> => {
    issued += 1;
    const now = clock.now();
    return {
      accessToken: `token-${issued}-${now}`,
      scope: "invoke",
      issuedAt: now,
      expiresAt: now + HOUR,
      fingerprint: "f",
    };
  });
  let secret = opts.secret ?? S1;
  const credentials = vi.fn(async (_opts?: { forceFetch?: boolean }) => secret);
  const { store: _s, secret: _x, clock: _c, gate: _g, ...tierOpts } = opts;
  const tier = createSharedTokenTier({
    store,
    logger,
    metrics,
    clock,
    sleep,
    random: () => 0.5,
    waitMs: 2500,
    leaseMs: 10_000,
    ...tierOpts,
  });
  const request = (extra: Partial<SharedFetchRequest> = {}): SharedFetchRequest => ({
    itemKey: ITEM,
    minTtlMs: 300_000,
    credentials,
    issue,
    ...extra,
  });
  /** Seals `token` into the store as another instance would. */
  const putToken = async (token: CachedToken, material = secret) => {
    const binding = { itemKey: ITEM, issuedAt: token.issuedAt, expiresAt: token.expiresAt };
    const sealed = await sealToken(material, binding, token);
    await store.write({ ...binding, ...sealed });
  };
  const warnings = () => logger.entries.filter((e) => e.level === "warn").map((e) => e.message);
  return {
    tier,
    store,
    clock,
    logger,
    events,
    sleeps,
    hooks,
    issue,
    credentials,
    request,
    putToken,
    warnings,
    setSecret: (s: typeof S1) => {
      secret = s;
    },
  };
}

/** Resolves after the store's next write. */
function resolvedOnWrite(store: MemorySharedTokenStore): Promise<void> {
  return new Promise<void>((resolve) => {
    const write = store.write.bind(store);
    Object.assign(store, {
      write: async (...args: Parameters<typeof write>) => {
        await write(...args);
        resolve();
      },
    });
  });
}

const other = (clock: ManualClock, n = 99): CachedToken => ({
  accessToken: `other-${n}`,
  scope: "invoke",
  issuedAt: clock.now(),
  expiresAt: clock.now() + HOUR,
  fingerprint: "o",
});

describe("Function: createSharedTokenTier", () => {
  describe("Read and lease", () => {
    it("issues once on a cold miss, stores the token sealed and clears the lease", async () => {
      // Prepare
      const t = setup();
      // Act
      const { token, outcome } = await t.tier.fetch(t.request());
      // Assess
      expect(outcome).toBe("miss");
      expect(t.issue).toHaveBeenCalledTimes(1);
      const record = t.store.records.get(ITEM);
      expect(record?.lease).toBeUndefined();
      const stored = record?.token;
      expect(stored && { issuedAt: stored.issuedAt, expiresAt: stored.expiresAt }).toEqual({
        issuedAt: token.issuedAt,
        expiresAt: token.expiresAt,
      });
      expect(Buffer.from(stored?.ciphertext ?? []).toString("latin1")).not.toContain(token.accessToken);
      expect(t.events).toEqual(["miss"]);
    });

    it("serves another instance's stored token without issuing", async () => {
      const first = setup();
      const { token } = await first.tier.fetch(first.request());
      const second = setup({ store: first.store });
      const served = await second.tier.fetch(second.request());
      expect(served).toMatchObject({
        outcome: "hit",
        token: { accessToken: token.accessToken, issuedAt: token.issuedAt },
      });
      expect(second.issue).not.toHaveBeenCalled();
      expect(second.events).toEqual(["hit"]);
    });

    it("does not serve a stored token with less than minTtl left", async () => {
      const t = setup();
      await t.putToken({ ...other(t.clock), expiresAt: t.clock.now() + 200_000 });
      const { outcome } = await t.tier.fetch(t.request());
      expect(outcome).toBe("miss");
      expect(t.issue).toHaveBeenCalledTimes(1);
    });

    it("does not issue again when another instance stored a token between its read and its lease", async () => {
      // Prepare: the store reports "no item" once, as if read just before another instance's write.
      const first = setup();
      const { token } = await first.tier.fetch(first.request());
      const store = first.store;
      const realRead = store.read.bind(store);
      let reads = 0;
      const racing: SharedTokenStore = {
        ...store,
        read: async (key) => (++reads === 1 ? undefined : realRead(key)),
        acquireLease: store.acquireLease.bind(store),
        write: store.write.bind(store),
        releaseLease: store.releaseLease.bind(store),
      };
      const late = setup({ store: racing, clock: first.clock });
      // Act
      const result = await late.tier.fetch(late.request());
      // Assess
      expect(late.issue).not.toHaveBeenCalled();
      expect(result).toMatchObject({ outcome: "wait", token: { accessToken: token.accessToken } });
    });

    it("takes over a corrupt lease lapsing implausibly far in the future at once", async () => {
      const t = setup();
      await t.store.acquireLease(ITEM, "bogus", START, START + 30 * 86_400_000);
      expect((await t.tier.fetch(t.request())).outcome).toBe("miss");
      expect(t.sleeps).toEqual([]);
    });

    it("takes over a lapsed lease at once", async () => {
      const t = setup();
      await t.store.acquireLease(ITEM, "crashed", START - 20_000, START - 1);
      const { outcome } = await t.tier.fetch(t.request());
      expect(outcome).toBe("miss");
      expect(t.sleeps).toEqual([]);
    });

    it("releases the lease and rethrows the issuer's error when issuance fails", async () => {
      const t = setup();
      const failure = new Error("issuer down");
      t.issue.mockRejectedValueOnce(failure);
      await expect(t.tier.fetch(t.request())).rejects.toBe(failure);
      expect(t.store.records.get(ITEM)?.lease).toBeUndefined();
      expect(t.warnings()).toEqual([]);
    });

    it("passes a Secrets Manager failure through unchanged", async () => {
      const t = setup();
      const failure = new Error("secrets unavailable");
      t.credentials.mockRejectedValueOnce(failure);
      await expect(t.tier.fetch(t.request())).rejects.toBe(failure);
    });
  });

  describe("Waiting on another instance's lease", () => {
    it("polls with backoff and serves the other instance's token once it lands", async () => {
      // Prepare: another instance holds the lease and writes its token during our third poll.
      const t = setup();
      await t.store.acquireLease(ITEM, "other", START, START + 10_000);
      const theirs = other(t.clock);
      t.hooks.push(async (poll) => {
        if (poll === 3)
          await t.putToken({ ...theirs, issuedAt: t.clock.now(), expiresAt: t.clock.now() + HOUR });
      });
      // Act
      const { token, outcome } = await t.tier.fetch(t.request());
      // Assess
      expect(outcome).toBe("wait");
      expect(token.accessToken).toBe(theirs.accessToken);
      expect(t.issue).not.toHaveBeenCalled();
      expect(t.sleeps).toEqual([38, 75, 150]); // 50·2^n with jitter factor 0.75
      expect(t.events).toEqual(["lease_wait", "hit"]);
    });

    it("waits at most waitMs, then issues itself and keeps the other instance's lease", async () => {
      // Prepare: the other instance never finishes.
      const t = setup();
      await t.store.acquireLease(ITEM, "stuck", START, START + 10_000);
      // Act
      const { outcome } = await t.tier.fetch(t.request());
      // Assess
      expect(outcome).toBe("miss");
      expect(t.issue).toHaveBeenCalledTimes(1);
      expect(t.clock.now() - START).toBe(2500);
      expect(t.sleeps.every((ms) => ms <= 500)).toBe(true);
      expect(t.store.records.get(ITEM)?.lease?.owner).toBe("stuck");
      expect(t.store.records.get(ITEM)?.token).toBeDefined();
      expect(t.warnings()).toEqual([
        "shared token cache: gave up waiting for another instance's issuance; issuing here",
      ]);
      expect(t.events).toEqual(["lease_wait", "wait_timeout", "miss"]);
    });

    it("takes over a lease that lapses while it waits", async () => {
      const t = setup();
      await t.store.acquireLease(ITEM, "slow", START, START + 300);
      const { outcome } = await t.tier.fetch(t.request());
      expect(outcome).toBe("miss");
      expect(t.clock.now() - START).toBeGreaterThan(300);
      expect(t.clock.now() - START).toBeLessThan(1000);
      expect(t.store.records.get(ITEM)?.lease).toBeUndefined();
    });

    it("takes the lease when the holder released it after failing", async () => {
      const t = setup();
      await t.store.acquireLease(ITEM, "failed", START, START + 10_000);
      t.hooks.push(async (poll) => {
        if (poll === 2) await t.store.releaseLease(ITEM, "failed");
      });
      const { outcome } = await t.tier.fetch(t.request());
      expect(outcome).toBe("miss");
      expect(t.sleeps).toHaveLength(2);
    });

    it("issues without waiting when waitMs is 0", async () => {
      const t = setup({ waitMs: 0 });
      await t.store.acquireLease(ITEM, "other", START, START + 10_000);
      expect((await t.tier.fetch(t.request())).outcome).toBe("miss");
      expect(t.sleeps).toEqual([]);
    });

    it("bounds the number of polls even when sleep does not advance the clock", async () => {
      const t = setup({ sleep: async () => undefined });
      await t.store.acquireLease(ITEM, "other", START, START + 10_000);
      expect((await t.tier.fetch(t.request())).outcome).toBe("miss");
      expect(t.store.calls.read).toBeLessThanOrEqual(101);
    });

    it("gives eight instances sharing a store one issuance and one token", async () => {
      const store = createMemorySharedTokenStore();
      const written = resolvedOnWrite(store);
      const first = setup({ store, gate: written });
      const tiers = [
        first,
        ...Array.from({ length: 7 }, () => setup({ store, clock: first.clock, gate: written })),
      ];
      const results = await Promise.all(tiers.map((t) => t.tier.fetch(t.request())));
      const issuances = tiers.reduce((sum, t) => sum + t.issue.mock.calls.length, 0);
      expect(issuances).toBe(1);
      expect(new Set(results.map((r) => r.token.accessToken)).size).toBe(1);
      expect(results.map((r) => r.outcome).sort()).toEqual([
        "miss",
        "wait",
        "wait",
        "wait",
        "wait",
        "wait",
        "wait",
        "wait",
      ]);
    });
  });

  describe("Background refresh", () => {
    it("serves a token another instance already refreshed", async () => {
      const t = setup();
      const current = { ...other(t.clock, 1), issuedAt: START - 50 * 60_000, expiresAt: START + 10 * 60_000 };
      const refreshed = other(t.clock, 2);
      await t.putToken(refreshed);
      const result = await t.tier.fetch(t.request({ current }));
      expect(result).toMatchObject({ outcome: "hit", token: { accessToken: refreshed.accessToken } });
      expect(t.issue).not.toHaveBeenCalled();
    });

    it("does not settle for the stored token it is replacing: takes the lease and issues", async () => {
      const t = setup();
      const current = { ...other(t.clock, 1), issuedAt: START - 50 * 60_000, expiresAt: START + 10 * 60_000 };
      await t.putToken(current);
      const result = await t.tier.fetch(t.request({ current }));
      expect(result.outcome).toBe("miss");
      expect(t.issue).toHaveBeenCalledTimes(1);
    });

    it("keeps its current token when another instance is still refreshing after waitMs", async () => {
      const t = setup();
      const current = { ...other(t.clock, 1), issuedAt: START - 50 * 60_000, expiresAt: START + 10 * 60_000 };
      await t.store.acquireLease(ITEM, "refresher", START, START + 10_000);
      const result = await t.tier.fetch(t.request({ current }));
      expect(result).toEqual({ outcome: "wait", token: current });
      expect(t.issue).not.toHaveBeenCalled();
      expect(t.warnings()).toEqual([]);
    });
  });

  describe("Items that must not be served", () => {
    it("treats a tampered ciphertext as a miss with one warning and never serves it", async () => {
      // Prepare
      const t = setup();
      const planted = other(t.clock);
      await t.putToken(planted);
      const record = t.store.records.get(ITEM);
      if (!record?.token) throw new Error("no token stored");
      record.token.ciphertext[5] = (record.token.ciphertext[5] as number) ^ 0xff;
      // Act
      const { token, outcome } = await t.tier.fetch(t.request());
      // Assess
      expect(outcome).toBe("miss");
      expect(token.accessToken).not.toBe(planted.accessToken);
      expect(t.issue).toHaveBeenCalledTimes(1);
      expect(t.warnings()).toEqual(["shared token cache item rejected; treating it as a miss"]);
      expect(t.logger.entries.find((e) => e.level === "warn")?.attributes.reason).toBe(
        "authentication failed",
      );
      expect(t.events).toEqual(["rejected", "miss"]);
      // The replacement opens.
      const stored = t.store.records.get(ITEM)?.token;
      if (!stored) throw new Error("no replacement stored");
      await expect(openToken(S1, stored, stored)).resolves.toMatchObject({ accessToken: token.accessToken });
    });

    it("warns once per fetch for a bad item it keeps seeing while waiting", async () => {
      const t = setup();
      await t.putToken(other(t.clock), S2); // sealed under a secret this instance does not have
      await t.store.acquireLease(ITEM, "other", START, START + 10_000);
      await t.tier.fetch(t.request());
      expect(t.warnings().filter((w) => w.includes("rejected"))).toHaveLength(1);
      expect(t.credentials.mock.calls.filter(([o]) => o?.forceFetch)).toHaveLength(1);
    });

    it("treats a malformed item as a miss with one warning", async () => {
      const bad = createMemorySharedTokenStore();
      const store: SharedTokenStore = { ...bad, read: async () => ({ malformed: '"iv" is not 12 bytes' }) };
      const t = setup({ store });
      expect((await t.tier.fetch(t.request())).outcome).toBe("miss");
      expect(t.logger.entries.find((e) => e.level === "warn")?.attributes.reason).toMatch(/malformed item/);
    });

    it("re-reads a rotated client secret once and opens the item with it", async () => {
      // Prepare: the item was sealed under the new secret; this instance has the old one cached.
      const t = setup({ secret: S1 });
      const theirs = other(t.clock);
      await t.putToken(theirs, S2);
      t.credentials.mockImplementation(async (o?: { forceFetch?: boolean }) => (o?.forceFetch ? S2 : S1));
      // Act
      const result = await t.tier.fetch(t.request());
      // Assess
      expect(result).toMatchObject({ outcome: "hit", token: { accessToken: theirs.accessToken } });
      expect(t.issue).not.toHaveBeenCalled();
      expect(t.warnings()).toEqual([]);
    });

    it("after a rotation, an item sealed under the old secret costs exactly one issuance", async () => {
      // Prepare: a token stored under S1, then the secret rotates to S2 everywhere.
      const t = setup({ secret: S1 });
      await t.tier.fetch(t.request());
      t.setSecret(S2);
      const written = resolvedOnWrite(t.store);
      const u = setup({ store: t.store, secret: S2, clock: t.clock, gate: written });
      const v = setup({ store: t.store, secret: S2, clock: t.clock, gate: written });
      // Act
      const [a, b] = await Promise.all([u.tier.fetch(u.request()), v.tier.fetch(v.request())]);
      // Assess
      expect(u.issue.mock.calls.length + v.issue.mock.calls.length).toBe(1);
      expect(a.token.accessToken).toBe(b.token.accessToken);
      const stored = t.store.records.get(ITEM)?.token;
      if (!stored) throw new Error("no token stored");
      await expect(openToken(S2, stored, stored)).resolves.toMatchObject({
        accessToken: a.token.accessToken,
      });
      await expect(openToken(S1, stored, stored)).rejects.toMatchObject({ kind: "authentication" });
    });
  });

  describe("Store failures", () => {
    const failing = (op: keyof SharedTokenStore): SharedTokenStore => {
      const base = createMemorySharedTokenStore();
      return {
        ...base,
        [op]: async () => {
          throw Object.assign(new Error("ProvisionedThroughputExceededException"), {
            name: "SharedStoreError",
          });
        },
      };
    };

    it.each(["read", "acquireLease"] as const)(
      "falls back to the issuer when %s fails, warns once and bypasses the store for the cooldown",
      async (op) => {
        // Prepare
        const store = failing(op);
        const read = vi.spyOn(store, "read");
        const t = setup({ store, failureCooldownMs: 5000 });
        // Act
        const first = await t.tier.fetch(t.request());
        const second = await t.tier.fetch(t.request());
        t.clock.advance(5000);
        const third = await t.tier.fetch(t.request());
        // Assess
        expect([first.outcome, second.outcome, third.outcome]).toEqual(["fallback", "fallback", "fallback"]);
        expect(t.issue).toHaveBeenCalledTimes(3);
        expect(read).toHaveBeenCalledTimes(2); // the second fetch skipped the store
        expect(t.warnings()).toEqual([
          "shared token cache unavailable; falling back to memory and the issuer",
          "shared token cache unavailable; falling back to memory and the issuer",
        ]);
        expect(t.events).toEqual(["fallback", "fallback", "fallback"]);
      },
    );

    it("serves the issued token when storing it fails", async () => {
      const t = setup({ store: failing("write") });
      const { token, outcome } = await t.tier.fetch(t.request());
      expect(outcome).toBe("fallback");
      expect(token.accessToken).toMatch(/^token-1-/);
      expect(t.issue).toHaveBeenCalledTimes(1);
      expect(t.logger.entries.find((e) => e.level === "warn")?.attributes.operation).toBe("write");
    });

    it("falls back when the store returns something it cannot handle", async () => {
      const base = createMemorySharedTokenStore();
      const store = { ...base, read: async () => ({ token: { iv: null } }) } as unknown as SharedTokenStore;
      const t = setup({ store });
      expect((await t.tier.fetch(t.request())).outcome).toBe("fallback");
      expect(t.issue).toHaveBeenCalledTimes(1);
    });

    it("logs no token and no secret", async () => {
      const t = setup({ store: failing("read") });
      const { token } = await t.tier.fetch(t.request());
      const text = JSON.stringify(t.logger.entries);
      expect(text).not.toContain(token.accessToken);
      expect(text).not.toContain(S1.clientSecret);
    });
  });

  it("rejects invalid options", () => {
    const store = createMemorySharedTokenStore();
    const logger = recordingLogger();
    expect(() => createSharedTokenTier({ store, logger, leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => createSharedTokenTier({ store, logger, waitMs: -1 })).toThrow(/waitMs/);
    expect(() => createSharedTokenTier({ store, logger, refreshAheadRatio: 2 })).toThrow(/refreshAheadRatio/);
  });
});
