import { ManualClock } from "@mcp-token/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthError,
  claimMismatch,
  createJwtAuthenticator,
  type FetchLike,
  type JwtAuthConfig,
  parseCustomClaims,
  readBearerToken,
  SCOPE_MISMATCH,
} from "../../src/index.js";
import { type FakeIssuer, startFakeIssuer } from "../support/fakeIssuer.js";

let issuer: FakeIssuer;
const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);

beforeAll(async () => {
  issuer = await startFakeIssuer({ now: () => clock.now() });
});
afterAll(() => issuer?.close());

const config = (over: Partial<JwtAuthConfig> = {}): JwtAuthConfig => ({
  discoveryUrl: issuer.discoveryUrl,
  allowedAudiences: [issuer.audience],
  allowedClients: [],
  allowedScopes: [],
  customClaims: [],
  clockToleranceSeconds: 30,
  allowUnauthenticatedPing: "off",
  ...over,
});

const request = (token?: string) =>
  new Request("http://localhost/mcp", {
    method: "POST",
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

async function rejection(p: Promise<unknown>): Promise<AuthError> {
  try {
    await p;
  } catch (e) {
    return e as AuthError;
  }
  throw new Error("expected a rejection");
}

describe("Function: createJwtAuthenticator", () => {
  it("fetches discovery once for concurrent first requests (single flight) and caches it", async () => {
    const auth = createJwtAuthenticator(config(), { clock });
    const before = issuer.discoveryRequests();
    const token = await issuer.mint();
    const results = await Promise.all(Array.from({ length: 8 }, () => auth.authenticate(request(token))));
    await auth.authenticate(request(token));
    expect(results.every((r) => r.outcome === "verified")).toBe(true);
    expect(issuer.discoveryRequests() - before).toBe(1);
  });

  it("answers 503 unavailable while discovery fails, remembers the failure briefly, then recovers", async () => {
    // Prepare: a fetch that fails twice.
    let failures = 2;
    let calls = 0;
    const flaky: FetchLike = async (input, init) => {
      calls++;
      if (failures-- > 0) throw new TypeError("fetch failed");
      return fetch(input, init);
    };
    const auth = createJwtAuthenticator(config(), { clock, fetch: flaky });
    const token = await issuer.mint();

    // Act / Assess
    const first = await rejection(auth.authenticate(request(token)));
    expect(first).toMatchObject({ kind: "unavailable", status: 503, reason: "discovery_failed" });
    await rejection(auth.authenticate(request(token)));
    expect(calls).toBe(1); // cached failure, no new fetch within 5 s
    clock.advance(5_000);
    await rejection(auth.authenticate(request(token)));
    expect(calls).toBe(2);
    clock.advance(5_000);
    expect((await auth.authenticate(request(token))).outcome).toBe("verified");
  });

  it("refuses an oversized discovery document as unavailable", async () => {
    const huge: FetchLike = async () => new Response(JSON.stringify({ issuer: "x".repeat(100_000) }));
    const auth = createJwtAuthenticator(config(), { clock, fetch: huge });
    expect(await rejection(auth.authenticate(request(await issuer.mint())))).toMatchObject({
      kind: "unavailable",
    });
  });

  it("does not fetch anything for a request without a token", async () => {
    let calls = 0;
    const counting: FetchLike = async (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const auth = createJwtAuthenticator(config(), { clock, fetch: counting });
    expect(await rejection(auth.authenticate(request()))).toMatchObject({
      kind: "missing_token",
      status: 401,
    });
    expect(calls).toBe(0);
  });

  it("picks up a rotated signing key on the first token that names it", async () => {
    const auth = createJwtAuthenticator(config(), { clock, jwksCooldownMs: 0 });
    expect((await auth.authenticate(request(await issuer.mint()))).outcome).toBe("verified");
    await issuer.rotate();
    expect((await auth.authenticate(request(await issuer.mint()))).outcome).toBe("verified");
  });

  it("accepts a token within the clock tolerance after exp, refuses it beyond", async () => {
    const auth = createJwtAuthenticator(config({ clockToleranceSeconds: 30 }), { clock });
    const token = await issuer.mint({ claims: { exp: issuer.nowSeconds() + 10 } });
    clock.advance(35_000);
    expect((await auth.authenticate(request(token))).outcome).toBe("verified");
    clock.advance(10_000);
    expect(await rejection(auth.authenticate(request(token)))).toMatchObject({ reason: "expired" });
  });

  it("checks allowed scopes as AgentCore documents: at least one of them", async () => {
    const auth = createJwtAuthenticator(config({ allowedScopes: ["invoke", "admin"] }), { clock });
    const ok = await auth.authenticate(request(await issuer.mint({ claims: { scope: "read admin" } })));
    expect(ok.outcome).toBe("verified");
    const scp = await auth.authenticate(
      request(await issuer.mint({ claims: { scope: undefined, scp: ["invoke"] } })),
    );
    expect(scp.outcome).toBe("verified");
    const none = await rejection(
      auth.authenticate(request(await issuer.mint({ claims: { scope: undefined } }))),
    );
    expect(none).toMatchObject({
      kind: "insufficient_scope",
      status: 403,
      reason: "scope_missing",
      message: SCOPE_MISMATCH,
    });
    const other = await rejection(
      auth.authenticate(request(await issuer.mint({ claims: { scope: "read" } }))),
    );
    expect(other).toMatchObject({ kind: "insufficient_scope", reason: "scope_mismatch" });
  });

  it("checks the client_id claim only, never azp", async () => {
    const auth = createJwtAuthenticator(config({ allowedClients: ["c1"] }), { clock });
    const azpOnly = await issuer.mint({ claims: { client_id: undefined, azp: "c1" } });
    expect(await rejection(auth.authenticate(request(azpOnly)))).toMatchObject({
      reason: "client_id_missing",
    });
    const ok = await auth.authenticate(request(await issuer.mint({ claims: { client_id: "c1" } })));
    expect(ok.caller?.token).toMatchObject({ clientId: "c1", clientIdClaim: "client_id" });
  });

  it("accepts any audience when only allowed clients are configured", async () => {
    const auth = createJwtAuthenticator(config({ allowedAudiences: [], allowedClients: ["c1"] }), { clock });
    const token = await issuer.mint({ claims: { client_id: "c1", aud: "https://any/" } });
    expect((await auth.authenticate(request(token))).outcome).toBe("verified");
  });

  it("serves RFC 9728 metadata naming the discovered issuer", async () => {
    const auth = createJwtAuthenticator(config({ allowedScopes: ["invoke"] }), { clock });
    expect(await auth.protectedResourceMetadata?.("https://mcp.example.com/mcp")).toEqual({
      resource: "https://mcp.example.com/mcp",
      authorization_servers: [issuer.url],
      bearer_methods_supported: ["header"],
      resource_name: "mcp-token MCP server",
      scopes_supported: ["invoke"],
    });
  });
});

describe("jwt mode: AgentCore customClaims on verified tokens", () => {
  const TEAM = "https://mcp-token.test/team";
  const GROUPS = "https://mcp-token.test/groups";
  const rules = (entries: unknown[]) => parseCustomClaims(JSON.stringify(entries));
  const rule = (name: string, type: string, operator: string, value: Record<string, unknown>) => ({
    inboundTokenClaimName: name,
    inboundTokenClaimValueType: type,
    authorizingClaimMatchValue: { claimMatchOperator: operator, claimMatchValue: value },
  });
  const authWith = (entries: unknown[], over: Partial<JwtAuthConfig> = {}) =>
    createJwtAuthenticator(config({ customClaims: rules(entries), ...over }), { clock });
  const tokenWith = (claims: Record<string, unknown>) => issuer.mint({ claims });

  it.each([
    [
      "STRING EQUALS",
      rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" }),
      { [TEAM]: "platform" },
    ],
    [
      "STRING_ARRAY CONTAINS",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS", { matchValueString: "mcp-users" }),
      { [GROUPS]: ["staff", "mcp-users"] },
    ],
    [
      "STRING_ARRAY CONTAINS_ANY",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["mcp-admins", "mcp-users"] }),
      { [GROUPS]: ["mcp-users"] },
    ],
  ])("accepts a token satisfying %s", async (_what, entry, claims) => {
    const result = await authWith([entry]).authenticate(request(await tokenWith(claims)));
    expect(result.outcome).toBe("verified");
  });

  it.each([
    [
      "STRING EQUALS, other value",
      rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" }),
      { [TEAM]: "sales" },
      "custom_claim_mismatch",
    ],
    [
      "STRING EQUALS, array claim",
      rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" }),
      { [TEAM]: ["platform"] },
      "custom_claim_wrong_type",
    ],
    [
      "STRING EQUALS, missing claim",
      rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" }),
      {},
      "custom_claim_missing",
    ],
    [
      "STRING_ARRAY CONTAINS, value absent",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS", { matchValueString: "mcp-users" }),
      { [GROUPS]: ["staff"] },
      "custom_claim_mismatch",
    ],
    [
      "STRING_ARRAY CONTAINS, string claim",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS", { matchValueString: "mcp-users" }),
      { [GROUPS]: "mcp-users" },
      "custom_claim_wrong_type",
    ],
    [
      "STRING_ARRAY CONTAINS, missing claim",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS", { matchValueString: "mcp-users" }),
      {},
      "custom_claim_missing",
    ],
    [
      "STRING_ARRAY CONTAINS_ANY, none present",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["a", "b"] }),
      { [GROUPS]: ["c"] },
      "custom_claim_mismatch",
    ],
    [
      "STRING_ARRAY CONTAINS_ANY, number claim",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["a", "b"] }),
      { [GROUPS]: 1 },
      "custom_claim_wrong_type",
    ],
    [
      "STRING_ARRAY CONTAINS_ANY, missing claim",
      rule(GROUPS, "STRING_ARRAY", "CONTAINS_ANY", { matchValueStringList: ["a", "b"] }),
      {},
      "custom_claim_missing",
    ],
  ])("refuses %s with 401 and AgentCore's wording", async (_what, entry, claims, reason) => {
    const error = await rejection(authWith([entry]).authenticate(request(await tokenWith(claims))));
    expect(error).toMatchObject({
      kind: "invalid_token",
      status: 401,
      reason,
      message: claimMismatch(entry.inboundTokenClaimName),
    });
    expect(error.message).toBe(`Claim '${entry.inboundTokenClaimName}' value mismatch with configuration.`);
  });

  it("requires every rule to hold", async () => {
    const auth = authWith([
      rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" }),
      rule(GROUPS, "STRING_ARRAY", "CONTAINS", { matchValueString: "mcp-users" }),
    ]);
    const both = await auth.authenticate(
      request(await tokenWith({ [TEAM]: "platform", [GROUPS]: ["mcp-users"] })),
    );
    expect(both.outcome).toBe("verified");
    const one = await rejection(
      auth.authenticate(request(await tokenWith({ [TEAM]: "platform", [GROUPS]: [] }))),
    );
    expect(one).toMatchObject({ message: claimMismatch(GROUPS) });
  });

  it("checks custom claims (401) before scopes (403)", async () => {
    const auth = authWith([rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" })], {
      allowedScopes: ["invoke"],
    });
    const error = await rejection(
      auth.authenticate(request(await tokenWith({ [TEAM]: "sales", scope: "read" }))),
    );
    expect(error).toMatchObject({ status: 401, reason: "custom_claim_mismatch" });
  });

  it("never checks claims of a token whose signature fails", async () => {
    const auth = authWith([rule(TEAM, "STRING", "EQUALS", { matchValueString: "platform" })]);
    const [h, , sig] = (await tokenWith({ [TEAM]: "sales" })).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ [TEAM]: "platform" })).toString("base64url")}.${sig}`;
    expect(await rejection(auth.authenticate(request(forged)))).toMatchObject({ reason: "bad_signature" });
  });
});

describe("Function: readBearerToken", () => {
  const headers = (authorization?: string) => new Headers(authorization ? { authorization } : {});
  const error = (authorization?: string) => {
    try {
      readBearerToken(headers(authorization));
    } catch (e) {
      return e as AuthError;
    }
    throw new Error("expected an AuthError");
  };

  it("returns the token of a Bearer header, any case of the scheme", () => {
    expect(readBearerToken(headers("bearer a.b.c"))).toBe("a.b.c");
    expect(readBearerToken(headers("Bearer  a.b.c "))).toBe("a.b.c");
  });

  it.each([
    ["no header", undefined, "missing_token", "missing"],
    ["Basic", "Basic dXNlcg==", "missing_token", "not_bearer"],
    ["an empty token", "Bearer ", "invalid_token", "empty"],
    ["two segments", "Bearer a.b", "invalid_token", "malformed"],
    ["a token with a space", "Bearer a.b.c d", "invalid_token", "malformed"],
    ["Bearer without a space", "Bearera.b.c", "missing_token", "not_bearer"],
    ["a 9 KB token", `Bearer ${"a".repeat(9000)}.b.c`, "invalid_token", "too_large"],
  ])("refuses %s: %s, %s", (_label, value, kind, reason) => {
    expect(error(value)).toMatchObject({ kind, reason });
  });
});
