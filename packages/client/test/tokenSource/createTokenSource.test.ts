import { ManualClock } from "@mcp-token/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTokenSource, type TokenSourceOptions } from "../../src/tokenSource/createTokenSource.js";
import type { StoredToken, TokenStore, TokenStoreKey } from "../../src/tokenSource/tokenStore.js";
import { credentialsOf, startFakeBroker } from "../helpers/fakeBroker.js";

describe("Function: createTokenSource", () => {
  let broker: Awaited<ReturnType<typeof startFakeBroker>>;
  let clock: ManualClock;
  beforeAll(async () => {
    broker = await startFakeBroker({ expiresIn: 100 });
  });
  afterAll(async () => {
    await broker.close();
  });
  beforeEach(() => {
    clock = new ManualClock(Date.now());
    broker.setClock(clock);
    broker.respond(undefined);
    broker.setExpiresIn(100);
  });
  const lastMinTtl = () =>
    (broker.seen.at(-1)?.body as { minTtlSeconds?: number } | undefined)?.minTtlSeconds;
  const source = (overrides: Partial<TokenSourceOptions> = {}) =>
    createTokenSource({
      brokerUrl: broker.url,
      region: broker.region,
      credentials: credentialsOf(broker.ids.developer),
      minTtlSeconds: 10,
      clock,
      ...overrides,
    });

  it("serves the cached token until expires_in minus minTtl, then asks the broker again", async () => {
    // Prepare
    const s = source();
    const before = broker.tokenRequests();
    // Act
    const first = await s.getToken();
    clock.advance(50_000);
    const second = await s.getToken();
    clock.advance(41_000); // 9 s left < minTtl 10 s
    const third = await s.getToken();
    // Assess
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(broker.tokenRequests() - before).toBe(2);
  });

  it("shares one broker request between concurrent callers", async () => {
    const s = source();
    const before = broker.tokenRequests();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => s.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(broker.tokenRequests() - before).toBe(1);
  });

  it("refreshes ahead after 75 % of the lifetime while still serving the cached token", async () => {
    // Prepare
    const s = source();
    const first = await s.getToken();
    const before = broker.tokenRequests();
    // Act: 76 s into a 100 s token
    clock.advance(76_000);
    const during = await s.getToken();
    expect(s.lastOutcome).toBe("refresh");
    await waitFor(() => broker.tokenRequests() - before === 1);
    await new Promise((r) => setTimeout(r, 20));
    const after = await s.getToken();
    // Assess
    expect(during).toBe(first);
    expect(after).not.toBe(first);
    expect(s.lastOutcome).toBe("hit");
  });

  it("refreshing ahead asks the broker for a token that outlives the cached one", async () => {
    const s = source();
    await s.getToken();
    clock.advance(80_000);
    await s.getToken();
    await waitFor(() => lastMinTtl() !== 10);
    const asked = lastMinTtl();
    expect(asked).toBeGreaterThanOrEqual(21);
    expect(asked).toBeLessThanOrEqual(22);
  });

  it.each([
    ["recovers the second that expires_in rounds away", 99_900, 99_500, "refresh"],
    ["never trusts a skewed expires_at for more than that second", 3_600_000, 100_100, "miss"],
  ] as const)("uses expires_at: %s", async (_what, expiresAtIn, probeAfter, outcome) => {
    // Prepare: the broker reports 99 s (rounded down) and an absolute expiry
    broker.respond((req) =>
      req.path === "/v1/token"
        ? {
            status: 200,
            body: {
              access_token: `precise-${broker.tokenRequests()}`,
              token_type: "Bearer",
              expires_in: 99,
              expires_at: new Date(clock.now() + expiresAtIn).toISOString(),
              scope: "",
              profile: "default",
            },
          }
        : undefined,
    );
    const s = source({ minTtlSeconds: 0 });
    await s.getToken();
    // Act
    clock.advance(probeAfter);
    await s.getToken();
    // Assess: "refresh" = still served from cache (and refreshed ahead); "miss" = expired
    expect(s.lastOutcome).toBe(outcome);
  });

  it("asks the broker for minTtlSeconds and the configured profile and sorted scopes", async () => {
    await source({ profile: "ops", scopes: ["write", "read", "write"], minTtlSeconds: 120 }).getToken();
    expect(broker.seen.at(-1)?.body).toEqual({
      profile: "ops",
      scopes: ["read", "write"],
      minTtlSeconds: 120,
    });
  });

  it("after invalidate(rejected) fetches once for many reporters and asks for a token outliving the rejected one", async () => {
    // Prepare
    const s = source();
    const rejected = await s.getToken();
    clock.advance(30_000); // 70 s left on the rejected token
    const before = broker.tokenRequests();
    // Act: ten callers report the same rejection
    await Promise.all(Array.from({ length: 10 }, () => s.invalidate(rejected)));
    const fresh = await Promise.all(Array.from({ length: 10 }, () => s.getToken()));
    await Promise.all(Array.from({ length: 10 }, () => s.invalidate(rejected)));
    const still = await s.getToken();
    // Assess
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(rejected);
    expect(still).toBe(fresh[0]);
    expect(broker.tokenRequests() - before).toBe(1);
    // 70 s (and a few ms of transit) left on the rejected token: ask for at least 71 s.
    const asked = lastMinTtl();
    expect(asked).toBeGreaterThanOrEqual(71);
    expect(asked).toBeLessThanOrEqual(72);
  });

  it("consults the persistent store before the broker, and writes what the broker returned", async () => {
    // Prepare
    const store = memoryStore();
    const first = source({ cache: store, identity: async () => "akid:TEST" });
    const token = await first.getToken();
    const before = broker.tokenRequests();
    // Act: a new process (new source) with the same store
    const second = source({ cache: store, identity: async () => "akid:TEST" });
    const again = await second.getToken();
    // Assess
    expect(again).toBe(token);
    expect(second.lastOutcome).toBe("store");
    expect(broker.tokenRequests()).toBe(before);
    expect([...store.entries.keys()]).toEqual([
      JSON.stringify([`${broker.url}/`, "default", [], "akid:TEST"]),
    ]);
  });

  it("keys the store by AWS access key id by default, so another identity never sees the token", async () => {
    const store = memoryStore();
    const mine = await source({ cache: store }).getToken();
    const theirs = await source({ cache: store, credentials: credentialsOf(broker.ids.agent) }).getToken();
    expect(theirs).not.toBe(mine);
    expect([...store.entries.keys()].map((k) => JSON.parse(k)[3])).toEqual([
      `akid:${broker.ids.developer.accessKeyId}`,
      `akid:${broker.ids.agent.accessKeyId}`,
    ]);
  });

  it("ignores a stored token below minTtl and one that was rejected", async () => {
    const store = memoryStore();
    const s = source({ cache: store });
    const token = await s.getToken();
    clock.advance(95_000);
    const other = source({ cache: store });
    const fresh = await other.getToken();
    expect(fresh).not.toBe(token);
    await other.invalidate(fresh);
    expect(store.entries.size).toBe(0);
  });

  it("validates its options with TypeErrors that name the option", () => {
    expect(() => source({ minTtlSeconds: -1 })).toThrow(/"minTtlSeconds" must be an integer from 0 to 43200/);
    expect(() => source({ profile: "no spaces" })).toThrow(/"profile" must be a broker profile name/);
    expect(() => source({ scopes: ["a b"] })).toThrow(/"scopes\[0\]" must be an OAuth scope token/);
  });

  it("checks the broker URL and region when created, although the broker client loads on the first call", () => {
    // Act / Assess: the same TypeErrors as createBrokerClient, thrown at once
    expect(() => source({ brokerUrl: "http://broker.example.com/" })).toThrow(
      expect.objectContaining({
        code: "ERR_INVALID_ARG_VALUE",
        message: expect.stringMatching(/"brokerUrl" must be an https: URL/),
      }),
    );
    expect(() => source({ region: "Mars" })).toThrow(/"region" must be an AWS region such as us-west-2/);
    expect(() => source({ brokerUrl: "https://broker.example.com/", region: undefined })).toThrow(
      /"region" is required/,
    );
  });

  it("exposes the broker client (url, region, whoami) before and after a store answered the token", async () => {
    // Prepare
    const store = memoryStore();
    await source({ cache: store, identity: async () => "akid:TEST" }).getToken();
    const s = source({ cache: store, identity: async () => "akid:TEST" });
    const before = broker.tokenRequests();
    // Act
    await s.getToken();
    const whoami = await s.broker.whoami();
    // Assess
    expect(s.lastOutcome).toBe("store");
    expect(broker.tokenRequests()).toBe(before);
    expect({ url: s.broker.url, region: s.broker.region }).toEqual({
      url: `${broker.url}/`,
      region: broker.region,
    });
    expect(whoami.principal).toBe(broker.ids.developer.principalArn);
    await expect(s.broker.credentials()).resolves.toMatchObject({
      accessKeyId: broker.ids.developer.accessKeyId,
    });
  });
});

function memoryStore(): TokenStore & { entries: Map<string, StoredToken> } {
  const entries = new Map<string, StoredToken>();
  const k = (key: TokenStoreKey) => JSON.stringify([key.brokerUrl, key.profile, key.scopes, key.identity]);
  return {
    entries,
    async get(key) {
      return entries.get(k(key));
    },
    async set(key, token) {
      entries.set(k(key), token);
    },
    async delete(key) {
      entries.delete(k(key));
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}
