/**
 * Issue 14, "issuance amplification": one principal must not be able to make the broker issue a metered
 * Auth0 token on nearly every request, whatever minTtlSeconds and scope sets it asks for. Runs against
 * the real local issuer, counting issuances at the issuer.
 */
import { ManualClock, parseBrokerConfig } from "@mcp-token/core";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssuanceBudget } from "../src/issuanceBudget.js";
import { expectErrorResponse } from "./support/badInputs.js";
import { AGENT_ROLE, CLIENTS, DEVELOPER_ROLE_PATTERN, identities, SECRETS } from "./support/fixtures.js";
import { call, makeBroker, SECRET_IDS, tokenBody } from "./support/issuerBroker.js";

const AUDIENCE = "https://wide.example.test/";
const SCOPES = ["s1", "s2", "s3", "s4", "s5", "s6"];
const LIFETIME_SECONDS = 3600;

let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await startIssuer({
    apis: [{ audience: AUDIENCE, profile: "rfc9068", ttlSeconds: LIFETIME_SECONDS, scopes: SCOPES }],
    clients: [{ clientId: CLIENTS.default, clientSecret: SECRETS.default, grants: { [AUDIENCE]: SCOPES } }],
  });
});
afterAll(async () => {
  await issuer?.close();
});

function config(budget?: { max: number; windowSeconds: number }) {
  return parseBrokerConfig({
    profiles: {
      wide: {
        issuer: issuer.url,
        audience: AUDIENCE,
        secretId: SECRET_IDS.default,
        scopes: SCOPES,
        allow: [DEVELOPER_ROLE_PATTERN, AGENT_ROLE],
      },
    },
    ...(budget && { issuanceBudget: budget }),
  });
}

/** The i-th non-empty subset of SCOPES (1..63), as a list. */
function subset(i: number): string[] {
  return SCOPES.filter((_, bit) => ((i % 63) + 1) & (1 << bit));
}

const postToken = (body: unknown) => ({
  method: "POST",
  path: "/v1/token",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("Broker: issuance amplification (issue 14)", () => {
  it("50 requests with minTtlSeconds one second under the lifetime and one scope set cause 2 issuances over a whole lifetime", async () => {
    // Prepare: one request a minute for 50 minutes, each asking for 3,599 s of the 3,600 s lifetime.
    const clock = new ManualClock(Date.now());
    const { broker } = makeBroker(issuer, { clock, config: config() });
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    for (let i = 0; i < 50; i++) {
      const res = await call(
        broker,
        identities.developer,
        postToken({ profile: "wide", minTtlSeconds: 3599 }),
      );
      expect(res.status).toBe(200);
      await tokenBody(res);
      clock.advance(60_000);
    }
    // Assess: the first request issues; the cap (half the lifetime) makes the token last until 1,800 s are
    // left, when exactly one more is issued. Without the cap every one of the 50 requests would issue.
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(2);
  });

  it("50 requests rotating scope subsets cause at most max = 5 issuances; the 6th new set gets 429 rate_limited with Retry-After", async () => {
    // Prepare
    const clock = new ManualClock(Date.now());
    const { broker } = makeBroker(issuer, { clock, config: config({ max: 5, windowSeconds: 600 }) });
    const before = issuer.issued({ clientId: CLIENTS.default });
    const statuses: number[] = [];
    let limited: Response | undefined;
    // Act: every request asks for a scope set not asked for before (a new cache key each time).
    for (let i = 0; i < 50; i++) {
      const res = await call(
        broker,
        identities.developer,
        postToken({ profile: "wide", scopes: subset(i), minTtlSeconds: LIFETIME_SECONDS - 1 }),
      );
      statuses.push(res.status);
      if (res.status === 429 && !limited) limited = res;
      else await res.body?.cancel();
      clock.advance(1000);
    }
    // Assess
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(5);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    expect(limited?.headers.get("retry-after")).toBe(String(600 - 5));
    await expectErrorResponse(limited as Response, {
      status: 429,
      error: "rate_limited",
      description: /issuance budget/,
    });
  });

  it("still serves cached tokens to a principal whose budget is spent, and other principals are unaffected", async () => {
    // Prepare: the developer spends its budget of 2.
    const clock = new ManualClock(Date.now());
    const { broker } = makeBroker(issuer, { clock, config: config({ max: 2, windowSeconds: 600 }) });
    for (const scopes of [["s1"], ["s2"]]) {
      await tokenBody(await call(broker, identities.developer, postToken({ profile: "wide", scopes })));
    }
    // Act
    const spent = await call(broker, identities.developer, postToken({ profile: "wide", scopes: ["s3"] }));
    const cached = await call(broker, identities.developer, postToken({ profile: "wide", scopes: ["s1"] }));
    const other = await call(broker, identities.agent, postToken({ profile: "wide", scopes: ["s4"] }));
    // Assess
    expect(spent.status).toBe(429);
    expect(cached.status).toBe(200);
    expect(other.status).toBe(200);
    await Promise.all([spent, cached, other].map((r) => r.body?.cancel()));
    // The window slides: once the first issuance is older than 600 s, the developer may issue again.
    clock.advance(600_000);
    const again = await call(broker, identities.developer, postToken({ profile: "wide", scopes: ["s3"] }));
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});

describe("Function: createIssuanceBudget", () => {
  it("forgets the principal seen longest ago once 10,000 are tracked", () => {
    const clock = new ManualClock(0);
    const budget = createIssuanceBudget({ max: 1, windowSeconds: 3600 }, clock);
    budget.take("first");
    for (let i = 0; i < 10_000; i++) budget.take(`p${i}`);
    expect(() => budget.take("first")).not.toThrow();
    expect(() => budget.take("p9999")).toThrow(expect.objectContaining({ code: "rate_limited" }));
  });
});
