/**
 * Issuer faults: with a valid cached token the broker keeps serving it (hit, refresh, stale); without
 * one the caller gets 503 upstream_unavailable with Retry-After within the configured deadline; the
 * next request after recovery succeeds; a 429's Retry-After is honoured. The broker's clock is a
 * ManualClock, so no test waits for real expiry.
 */
import { ManualClock } from "@mcp-token/core";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { expectErrorResponse } from "./support/badInputs.js";
import { identities, issuerSetup } from "./support/fixtures.js";
import { call, makeBroker, tokenBody } from "./support/issuerBroker.js";

let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await startIssuer(issuerSetup(3600));
});
afterAll(async () => {
  await issuer?.close();
});
afterEach(() => {
  issuer.faults.reset();
});

const token = {
  method: "POST",
  path: "/v1/token",
  headers: { "content-type": "application/json" },
  body: "{}",
};
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Issuer faults with a valid cached token", () => {
  it("keeps serving the cached token through 500s, 429s and an outage, and recovers", async () => {
    // Prepare: one token in the cache.
    const clock = new ManualClock(Date.now());
    const { broker, logger } = makeBroker(issuer, { clock });
    const first = await tokenBody(await call(broker, identities.developer, token));
    const requests = issuer.requests();

    // Act + Assess: faults while the token is fresh are never even seen (served from cache).
    issuer.faults.fail(100, 500);
    expect((await tokenBody(await call(broker, identities.developer, token))).access_token).toBe(
      first.access_token,
    );
    issuer.faults.reset();
    issuer.faults.rateLimit(100, 1);
    expect((await tokenBody(await call(broker, identities.developer, token))).access_token).toBe(
      first.access_token,
    );
    issuer.faults.reset();
    issuer.faults.down();
    expect((await tokenBody(await call(broker, identities.developer, token))).access_token).toBe(
      first.access_token,
    );
    expect(issuer.requests()).toBe(requests);

    // After 75 % of the lifetime: served from cache while one background refresh fails.
    clock.advance(2800_000);
    const refreshed = await call(broker, identities.developer, token);
    expect((await tokenBody(refreshed)).access_token).toBe(first.access_token);
    await vi.waitFor(() =>
      expect(logger.entries.some((e) => e.message === "token issuance failed")).toBe(true),
    );

    // Below minTtl (300 s) but unexpired: the refresh fails, the still-valid token is served (stale).
    clock.advance(3600_000 - 2800_000 - 100_000);
    const stale = await call(broker, identities.developer, token);
    expect(stale.status).toBe(200);
    expect((await tokenBody(stale)).access_token).toBe(first.access_token);

    // Expired and the issuer still down: 503 with Retry-After.
    clock.advance(200_000);
    const down = await call(broker, identities.developer, token);
    expect(down.headers.get("retry-after")).toMatch(/^\d+$/);
    await expectErrorResponse(down, {
      status: 503,
      error: "upstream_unavailable",
      description: /retry after/,
    });

    // Recovery: the next request gets a new token.
    issuer.faults.up();
    const recovered = await tokenBody(await call(broker, identities.developer, token));
    expect(recovered.access_token).not.toBe(first.access_token);
    expect(logger.audits().map((a) => a.cache ?? a.outcome)).toEqual([
      "miss",
      "hit",
      "hit",
      "hit",
      "refresh",
      "stale",
      "upstream_unavailable",
      "miss",
    ]);
  });
});

describe("Issuer faults without a cached token", () => {
  it("answers 503 with Retry-After within the deadline when the issuer is down, then recovers", async () => {
    const { broker } = makeBroker(issuer, { sleep: realSleep, settings: { upstreamDeadlineMs: 1000 } });
    issuer.faults.down();
    const started = Date.now();
    const res = await call(broker, identities.developer, token);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.headers.get("retry-after")).toBe("2");
    await expectErrorResponse(res, {
      status: 503,
      error: "upstream_unavailable",
      description: /unavailable/,
    });
    issuer.faults.up();
    expect((await call(broker, identities.developer, token)).status).toBe(200);
  });

  it("gives up on a slow issuer at the deadline (per-attempt timeouts), not after it", async () => {
    const { broker } = makeBroker(issuer, {
      sleep: realSleep,
      settings: { upstreamDeadlineMs: 900, upstreamTimeoutMs: 400, upstreamConnectTimeoutMs: 300 },
    });
    issuer.faults.latency(5000);
    const started = Date.now();
    const res = await call(broker, identities.developer, token);
    const elapsed = Date.now() - started;
    await expectErrorResponse(res, {
      status: 503,
      error: "upstream_unavailable",
      description: /unavailable/,
    });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1400);
  });

  it("answers 503 after repeated 500s and recovers on the next request", async () => {
    const { broker, sleep } = makeBroker(issuer);
    issuer.faults.fail(3, 500);
    const res = await call(broker, identities.developer, token);
    await expectErrorResponse(res, {
      status: 503,
      error: "upstream_unavailable",
      description: /unavailable/,
    });
    expect(sleep.delays).toHaveLength(2);
    expect((await call(broker, identities.developer, token)).status).toBe(200);
  });

  it("honours a 429 Retry-After and then succeeds", async () => {
    const { broker, sleep } = makeBroker(issuer);
    issuer.faults.rateLimit(1, 1);
    const res = await call(broker, identities.developer, token);
    expect(res.status).toBe(200);
    await tokenBody(res);
    expect(sleep.delays).toEqual([1000]);
  });

  it("passes a Retry-After longer than the deadline on to the caller at once", async () => {
    const { broker, sleep } = makeBroker(issuer);
    issuer.faults.rateLimit(5, 30);
    const res = await call(broker, identities.developer, token);
    expect(res.headers.get("retry-after")).toBe("30");
    await expectErrorResponse(res, {
      status: 503,
      error: "upstream_unavailable",
      description: /retry after 30 s/,
    });
    expect(sleep.delays).toEqual([]);
  });
});
