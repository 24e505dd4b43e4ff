/**
 * The shared tier inside the broker (in process, real local issuer, memory stores): instances sharing a
 * store issue once, background refreshes of warm instances go through the lease, the audit line and
 * metrics report the tier, and a failing store never reaches the caller. Memory only stays the default.
 */
import { ManualClock } from "@mcp-token/core";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, createBroker } from "../../src/broker.js";
import type { BrokerMetrics, SharedCacheEvent } from "../../src/metrics.js";
import { createMemorySharedTokenStore } from "../../src/sharedCache/memoryStore.js";
import { SharedStoreError, type SharedTokenStore } from "../../src/sharedCache/store.js";
import { issuerFetch, memorySecrets } from "../support/fakes.js";
import { CLIENTS, identities, issuerSetup, SECRETS } from "../support/fixtures.js";
import { call, SECRET_IDS, testConfig, tokenBody } from "../support/issuerBroker.js";
import { recordingLogger } from "../support/logs.js";

let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await startIssuer(issuerSetup(3600));
});
afterAll(async () => {
  await issuer?.close();
});

function recordingMetrics() {
  const shared: SharedCacheEvent[] = [];
  const metrics: BrokerMetrics = {
    request() {},
    upstreamAttempt() {},
    flush() {},
    sharedCache: (event) => void shared.push(event),
  };
  return { metrics, shared };
}

/** One broker "instance": its own memory cache and secret cache, optionally a shared store. */
function instance(opts: { store?: SharedTokenStore; clock?: ManualClock } = {}) {
  const logger = recordingLogger();
  const { metrics, shared } = recordingMetrics();
  const broker: Broker = createBroker({
    config: testConfig(issuer),
    secrets: memorySecrets({
      [SECRET_IDS.default]: { clientId: CLIENTS.default, clientSecret: SECRETS.default },
      [SECRET_IDS.agents]: { clientId: CLIENTS.agents, clientSecret: SECRETS.agents },
    }),
    logger,
    metrics,
    fetch: issuerFetch(issuer),
    settings: { upstreamDeadlineMs: 3000, upstreamTimeoutMs: 1000, upstreamConnectTimeoutMs: 1000 },
    ...(opts.clock && { clock: opts.clock }),
    ...(opts.store && { sharedStore: opts.store, sharedTier: { waitMs: 2000 } }),
  });
  return { broker, logger, shared };
}

const tokenRequest = {
  method: "POST",
  path: "/v1/token",
  headers: { "content-type": "application/json" },
  body: '{"profile":"default"}',
};
const issued = () => issuer.issued({ clientId: CLIENTS.default });

describe("Broker with a shared token store", () => {
  it("gives four cold instances asking at once one issuance, and says how in the audit line", async () => {
    // Prepare
    const store = createMemorySharedTokenStore();
    const instances = Array.from({ length: 4 }, () => instance({ store }));
    const before = issued();
    // Act
    const bodies = await Promise.all(
      instances.map(async (i) => tokenBody(await call(i.broker, identities.developer, tokenRequest))),
    );
    // Assess
    expect(new Set(bodies.map((b) => b.access_token)).size).toBe(1);
    expect(issued() - before).toBe(1);
    const audits = instances.flatMap((i) => i.logger.audits());
    expect(audits.map((a) => a.sharedCache).sort()).toEqual(["miss", "wait", "wait", "wait"]);
    expect(audits.every((a) => a.cache === "miss")).toBe(true);
    expect(instances.flatMap((i) => i.shared).sort()).toEqual([
      "hit",
      "hit",
      "hit",
      "lease_wait",
      "lease_wait",
      "lease_wait",
      "miss",
    ]);
  });

  it("serves a later cold instance from the store (hit) and warm requests from memory (no sharedCache)", async () => {
    const store = createMemorySharedTokenStore();
    const first = instance({ store });
    const token = (await tokenBody(await call(first.broker, identities.developer, tokenRequest)))
      .access_token;
    const before = issued();
    const later = instance({ store });
    expect((await tokenBody(await call(later.broker, identities.developer, tokenRequest))).access_token).toBe(
      token,
    );
    expect((await tokenBody(await call(later.broker, identities.developer, tokenRequest))).access_token).toBe(
      token,
    );
    expect(issued()).toBe(before);
    expect(later.logger.audits().map((a) => [a.cache, a.sharedCache])).toEqual([
      ["miss", "hit"],
      ["hit", undefined],
    ]);
  });

  it("refreshes warm instances ahead of expiry with one issuance between them", async () => {
    // Prepare: three warm instances on one clock, holding the same token.
    const clock = new ManualClock(Date.now());
    const store = createMemorySharedTokenStore();
    const instances = Array.from({ length: 3 }, () => instance({ store, clock }));
    const [lead, ...rest] = instances;
    if (!lead) throw new Error("no instance");
    const first = (await tokenBody(await call(lead.broker, identities.developer, tokenRequest))).access_token;
    for (const i of rest) await call(i.broker, identities.developer, tokenRequest);
    const before = issued();
    // Act: past 75 % of the lifetime every instance serves from memory and refreshes in the background.
    clock.advance(46 * 60_000);
    const served = await Promise.all(
      instances.map(async (i) => tokenBody(await call(i.broker, identities.developer, tokenRequest))),
    );
    const deadline = Date.now() + 5000;
    const refreshed = () => instances.map((i) => i.broker.cache.peek("default invoke read")?.accessToken);
    while (refreshed().some((t) => t === first) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Assess
    expect(served.map((b) => b.access_token)).toEqual([first, first, first]);
    expect(instances.flatMap((i) => i.logger.audits().slice(-1)).map((a) => a.cache)).toEqual([
      "refresh",
      "refresh",
      "refresh",
    ]);
    const next = refreshed();
    expect(new Set(next).size).toBe(1);
    expect(next[0]).not.toBe(first);
    expect(issued() - before).toBe(1);
  });

  it("keeps memory only, with no sharedCache in the audit, when no store is configured", async () => {
    const { broker, logger, shared } = instance();
    expect((await call(broker, identities.developer, tokenRequest)).status).toBe(200);
    expect(logger.audits()[0]).not.toHaveProperty("sharedCache");
    expect(shared).toEqual([]);
  });

  it.each(["throttled", "access_denied", "unavailable", "timeout"] as const)(
    "answers 200 when the store fails (%s), logging one warning and auditing the fallback",
    async (kind) => {
      // Prepare
      const failure = () =>
        Promise.reject(new SharedStoreError(kind, `DynamoDB GetItem on table t failed (${kind})`));
      const store: SharedTokenStore = {
        read: failure,
        acquireLease: failure,
        releaseLease: failure,
        write: failure,
      };
      const { broker, logger, shared } = instance({ store });
      // Act
      const res = await call(broker, identities.developer, tokenRequest);
      // Assess
      expect(res.status).toBe(200);
      await tokenBody(res);
      expect(logger.audits()[0]).toMatchObject({ cache: "miss", sharedCache: "fallback", outcome: "ok" });
      const warnings = logger.entries.filter((e) => e.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        message: "shared token cache unavailable; falling back to memory and the issuer",
        attributes: { operation: "read", error: { name: "SharedStoreError" } },
      });
      expect(shared).toEqual(["fallback"]);
    },
  );

  it("still reports the issuer's own failure as upstream_unavailable, not as a store problem", async () => {
    const { broker, logger } = instance({ store: createMemorySharedTokenStore() });
    issuer.faults.down();
    try {
      const res = await call(broker, identities.developer, tokenRequest);
      expect(res.status).toBe(503);
      expect(logger.entries.filter((e) => e.message.includes("shared token cache"))).toEqual([]);
    } finally {
      issuer.faults.up();
    }
  });
});
