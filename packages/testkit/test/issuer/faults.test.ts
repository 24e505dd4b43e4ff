import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalIssuer, startIssuer } from "../../src/index.js";
import { brokerRequest, tenantOptions, tokenJson } from "../helpers/issuer.js";

describe("startIssuer: fault injection", () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await startIssuer(tenantOptions());
  });
  afterEach(() => issuer.faults.reset());
  afterAll(() => issuer.close());

  const admin = (body: unknown) =>
    fetch(issuer.adminUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("adds latency to every request", async () => {
    issuer.faults.latency(200);
    const started = performance.now();
    const res = await tokenJson(issuer, brokerRequest());
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("rate-limits the next N token requests with 429 and Retry-After, then recovers", async () => {
    issuer.faults.rateLimit(2, 7);
    const first = await tokenJson(issuer, brokerRequest());
    const second = await tokenJson(issuer, brokerRequest());
    const third = await tokenJson(issuer, brokerRequest());
    for (const res of [first, second]) {
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(await res.json()).toEqual({
        error: "too_many_requests",
        error_description: "Global limit has been reached",
      });
    }
    expect(third.status).toBe(200);
  });

  it("fails the next token requests with 500 and 503", async () => {
    issuer.faults.fail(1, 500);
    issuer.faults.fail(1, 503);
    const a = await tokenJson(issuer, brokerRequest());
    const b = await tokenJson(issuer, brokerRequest());
    expect(a.status).toBe(500);
    expect((await a.json()).error).toBe("server_error");
    expect(b.status).toBe(503);
    expect((await b.json()).error).toBe("temporarily_unavailable");
    expect((await tokenJson(issuer, brokerRequest())).status).toBe(200);
  });

  it("drops the connection of the next token request without answering", async () => {
    issuer.faults.drop(1);
    const before = issuer.requests();
    await expect(tokenJson(issuer, brokerRequest())).rejects.toThrow(TypeError);
    expect(issuer.requests()).toBe(before + 1);
    expect((await tokenJson(issuer, brokerRequest())).status).toBe(200);
  });

  it("is fully down (connections reset, discovery too) until up()", async () => {
    issuer.faults.down();
    await expect(fetch(issuer.discoveryUrl)).rejects.toThrow(TypeError);
    await expect(tokenJson(issuer, brokerRequest())).rejects.toThrow(TypeError);
    issuer.faults.up();
    expect((await fetch(issuer.discoveryUrl)).status).toBe(200);
    expect((await tokenJson(issuer, brokerRequest())).status).toBe(200);
  });

  it("takes faults through POST /__admin/faults, even while down", async () => {
    expect((await admin({ rateLimit: { count: 1, retryAfterSeconds: 3 } })).status).toBe(200);
    const limited = await tokenJson(issuer, brokerRequest());
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");

    await admin({ down: true });
    await expect(tokenJson(issuer, brokerRequest())).rejects.toThrow(TypeError);
    await admin({ down: false });
    await admin({ fail: { count: 1, status: 503 }, drop: 0 });
    expect((await tokenJson(issuer, brokerRequest())).status).toBe(503);
    await admin({ fail: { count: 5, status: 500 } });
    await admin({ reset: true });
    expect((await tokenJson(issuer, brokerRequest())).status).toBe(200);
  });

  it("rejects malformed and oversized admin requests", async () => {
    const notObject = await fetch(issuer.adminUrl, { method: "POST", body: "[1]" });
    expect(notObject.status).toBe(400);
    const badStatus = await admin({ fail: { count: 1, status: 418 } });
    expect(badStatus.status).toBe(400);
    expect((await badStatus.json()).error_description).toBe('"status" must be 500 or 503');
    const huge = await admin({ pad: "x".repeat(8 * 1024) });
    expect(huge.status).toBe(413);
    expect((await fetch(issuer.adminUrl)).status).toBe(405);
  });
});
