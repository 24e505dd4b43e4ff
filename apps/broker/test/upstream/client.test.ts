import type { FetchLike } from "@mcp-token/core";
import { ManualClock, type ProfileConfig } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import { createUpstreamClient } from "../../src/upstream/client.js";
import type { UpstreamError } from "../../src/upstream/errors.js";
import { recordingSleep } from "../support/fakes.js";

const ISSUER = "https://issuer.example.test/";
const credentials = { clientId: "client-1", clientSecret: "super-secret-value-1234" };

function profile(overrides: Partial<ProfileConfig> = {}): ProfileConfig {
  return {
    issuer: ISSUER,
    audience: "https://api.example.test/",
    secretId: "s",
    scopes: ["invoke"],
    requestStyle: "auth0",
    allow: ["arn:aws:iam::123456789012:role/x"],
    minTtlSeconds: 300,
    allowCallerChosenNames: false,
    allowedTokenEndpointOrigins: [],
    identity: "shared",
    ...overrides,
  };
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | "network" | "hang";

/** A fetch that answers from a script and records requests. */
function scriptedFetch(replies: Reply[], metadata?: Record<string, unknown>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchFn: FetchLike = async (input, init = {}) => {
    const url = String(input);
    if (url.includes("/.well-known/")) {
      return new Response(JSON.stringify(metadata ?? {}), { status: metadata ? 200 : 404 });
    }
    requests.push({ url, init });
    const reply = replies.shift() ?? { status: 500 };
    if (reply === "network") throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    if (reply === "hang") {
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    }
    const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
    return new Response(body, { status: reply.status, headers: reply.headers ?? {} });
  };
  return Object.assign(fetchFn, { requests });
}

const ok = {
  status: 200,
  body: { access_token: "tok-abc", token_type: "Bearer", expires_in: 3600, scope: "invoke" },
};

function client(fetchFn: FetchLike, overrides: Record<string, unknown> = {}) {
  const sleep = recordingSleep();
  return {
    sleep,
    upstream: createUpstreamClient({
      fetch: fetchFn,
      clock: new ManualClock(1_700_000_000_000),
      sleep,
      deadlineMs: 8000,
      timeoutMs: 1000,
      connectTimeoutMs: 500,
      maxAttempts: 3,
      ...overrides,
    }),
  };
}

describe("Upstream client", () => {
  it("sends the auth0 style: JSON body with audience and scope to {issuer}oauth/token", async () => {
    // Prepare
    const fetchFn = scriptedFetch([ok]);
    // Act
    const token = await client(fetchFn).upstream.issueToken(profile(), ["invoke"], credentials);
    // Assess
    expect(token).toEqual({ accessToken: "tok-abc", expiresInSeconds: 3600, scope: "invoke" });
    const [req] = fetchFn.requests;
    expect(req?.url).toBe(`${ISSUER}oauth/token`);
    expect(new Headers(req?.init.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(req?.init.body))).toEqual({
      grant_type: "client_credentials",
      client_id: "client-1",
      client_secret: credentials.clientSecret,
      audience: "https://api.example.test/",
      scope: "invoke",
    });
  });

  it("names the caller in the auth0 body for per-caller profiles, the session only when there is one", async () => {
    const fetchFn = scriptedFetch([ok, ok]);
    const upstream = client(fetchFn).upstream;
    const A = "123456789012";
    await upstream.issueToken(profile({ identity: "caller" }), [], credentials, {
      caller: `arn:aws:iam::${A}:role/AWSReservedSSO_Dev_1`,
      account: A,
      session: "alice",
    });
    await upstream.issueToken(profile({ identity: "caller" }), [], credentials, {
      caller: `arn:aws:iam::${A}:role/mcp-agent`,
      account: A,
    });
    const bodies = fetchFn.requests.map((r) => JSON.parse(String(r.init.body)));
    expect(bodies[0]).toMatchObject({
      mcp_token_caller: `arn:aws:iam::${A}:role/AWSReservedSSO_Dev_1`,
      mcp_token_account: A,
      mcp_token_session: "alice",
    });
    expect(bodies[1]).toMatchObject({
      mcp_token_caller: `arn:aws:iam::${A}:role/mcp-agent`,
      mcp_token_account: A,
    });
    expect(bodies[1]).not.toHaveProperty("mcp_token_session");
  });

  it("sends the cognito style: scope only, HTTP Basic, to the user pool domain the profile allows", async () => {
    const domain = "https://acme.auth.us-west-2.amazoncognito.com";
    const fetchFn = scriptedFetch([ok, ok], { issuer: ISSUER, token_endpoint: `${domain}/oauth2/token` });
    const cognito = profile({
      requestStyle: "cognito",
      audience: "mcp",
      allowedTokenEndpointOrigins: [domain],
    });
    await client(fetchFn).upstream.issueToken(cognito, ["mcp/invoke"], credentials);
    const [req] = fetchFn.requests;
    expect(req?.url).toBe(`${domain}/oauth2/token`);
    expect(new Headers(req?.init.headers).get("authorization")).toBe(
      `Basic ${Buffer.from(`client-1:${credentials.clientSecret}`).toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(String(req?.init.body)))).toEqual({
      grant_type: "client_credentials",
      scope: "mcp/invoke",
    });
    // Without the domain among the allowed origins, the secret is not sent there.
    const refused = client(scriptedFetch([ok], { issuer: ISSUER, token_endpoint: `${domain}/oauth2/token` }));
    await expect(
      refused.upstream.issueToken(
        profile({ requestStyle: "cognito", audience: "mcp" }),
        ["mcp/invoke"],
        credentials,
      ),
    ).rejects.toMatchObject({
      kind: "rejected",
      message: expect.stringContaining("allowedTokenEndpointOrigins"),
    });
  });

  it("sends the oauth2 style: form body with resource and HTTP Basic when the issuer supports it", async () => {
    const fetchFn = scriptedFetch([ok], {
      issuer: ISSUER,
      token_endpoint: `${ISSUER}token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    });
    await client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), ["invoke"], credentials);
    const [req] = fetchFn.requests;
    expect(req?.url).toBe(`${ISSUER}token`);
    const headers = new Headers(req?.init.headers);
    expect(headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`client-1:${credentials.clientSecret}`).toString("base64")}`,
    );
    const form = new URLSearchParams(String(req?.init.body));
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      resource: "https://api.example.test/",
      scope: "invoke",
    });
  });

  it("uses client_secret_post when the issuer does not offer Basic", async () => {
    const fetchFn = scriptedFetch([ok], {
      issuer: ISSUER,
      token_endpoint: `${ISSUER}token`,
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    });
    await client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), [], credentials);
    const [req] = fetchFn.requests;
    expect(new Headers(req?.init.headers).has("authorization")).toBe(false);
    const form = new URLSearchParams(String(req?.init.body));
    expect(form.get("client_id")).toBe("client-1");
    expect(form.get("client_secret")).toBe(credentials.clientSecret);
    expect(form.has("scope")).toBe(false);
  });

  it("rejects discovery metadata that names another issuer", async () => {
    const fetchFn = scriptedFetch([ok], {
      issuer: "https://evil.example.test/",
      token_endpoint: `${ISSUER}token`,
    });
    await expect(
      client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), [], credentials),
    ).rejects.toMatchObject({ kind: "rejected", message: expect.stringContaining("names issuer") });
  });

  it.each([
    ["a trailing-slash variant beyond the configured one", `${ISSUER}/`],
    ["another path on the same host", `${ISSUER}tenant/`],
    ["different case", ISSUER.toUpperCase()],
  ])(
    "rejects a discovered issuer that is not identical to the configured one (%s, RFC 8414 §3.3)",
    async (_n, issuer) => {
      const fetchFn = scriptedFetch([ok], { issuer, token_endpoint: `${ISSUER}token` });
      await expect(
        client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), [], credentials),
      ).rejects.toMatchObject({ kind: "rejected", message: expect.stringContaining("names issuer") });
      expect(fetchFn.requests.filter((r) => r.init.method === "POST")).toHaveLength(0);
    },
  );

  it("accepts the configured issuer without the trailing slash the configuration added", async () => {
    const fetchFn = scriptedFetch([ok], { issuer: ISSUER.slice(0, -1), token_endpoint: `${ISSUER}token` });
    await expect(
      client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), [], credentials),
    ).resolves.toMatchObject({ accessToken: "tok-abc" });
  });

  it("never sends the client secret to a token endpoint on another origin", async () => {
    // Prepare: the discovery document (on the issuer's host) points the token endpoint elsewhere.
    const fetchFn = scriptedFetch([ok], {
      issuer: ISSUER,
      token_endpoint: "https://collector.example.net/token",
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    });
    // Act + Assess
    await expect(
      client(fetchFn).upstream.issueToken(profile({ requestStyle: "oauth2" }), [], credentials),
    ).rejects.toMatchObject({
      kind: "rejected",
      message: expect.stringContaining("is on https://collector.example.net, not the issuer's origin"),
    });
    expect(JSON.stringify(fetchFn.requests)).not.toContain(credentials.clientSecret);
  });

  it("sends to another origin only when the profile lists it in allowedTokenEndpointOrigins", async () => {
    const fetchFn = scriptedFetch([ok], {
      issuer: ISSUER,
      token_endpoint: "https://login.example.net/token",
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
    });
    const allowed = profile({
      requestStyle: "oauth2",
      allowedTokenEndpointOrigins: ["https://login.example.net/"],
    });
    await expect(client(fetchFn).upstream.issueToken(allowed, [], credentials)).resolves.toMatchObject({
      accessToken: "tok-abc",
    });
    expect(fetchFn.requests.at(-1)?.url).toBe("https://login.example.net/token");
  });

  it("retries 5xx and network errors, then succeeds", async () => {
    const fetchFn = scriptedFetch([{ status: 500 }, "network", ok]);
    const { upstream, sleep } = client(fetchFn);
    await expect(upstream.issueToken(profile(), [], credentials)).resolves.toMatchObject({
      accessToken: "tok-abc",
    });
    expect(fetchFn.requests).toHaveLength(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it("honours a 429 Retry-After before retrying", async () => {
    const fetchFn = scriptedFetch([
      { status: 429, body: { error: "too_many_requests" }, headers: { "retry-after": "2" } },
      ok,
    ]);
    const { upstream, sleep } = client(fetchFn);
    await upstream.issueToken(profile(), [], credentials);
    expect(sleep.delays).toEqual([2000]);
  });

  it("gives up at once when Retry-After is beyond the deadline, keeping the delay", async () => {
    const fetchFn = scriptedFetch([{ status: 429, headers: { "retry-after": "30" } }, ok]);
    const { upstream, sleep } = client(fetchFn);
    const error = (await upstream.issueToken(profile(), [], credentials).catch((e) => e)) as UpstreamError;
    expect(error).toMatchObject({ kind: "unavailable", status: 429, retryAfterMs: 30_000 });
    expect(sleep.delays).toEqual([]);
    expect(fetchFn.requests).toHaveLength(1);
  });

  it("does not retry a 4xx and reports the issuer's error without secrets", async () => {
    const fetchFn = scriptedFetch([
      {
        status: 401,
        body: {
          error: "invalid_client",
          error_description: `bad secret ${credentials.clientSecret} for client`,
        },
      },
    ]);
    const error = (await client(fetchFn)
      .upstream.issueToken(profile(), [], credentials)
      .catch((e) => e)) as UpstreamError;
    expect(fetchFn.requests).toHaveLength(1);
    expect(error.isInvalidClient).toBe(true);
    expect(error.description).toBe("bad secret [REDACTED] for client");
    expect(error.message).not.toContain(credentials.clientSecret);
  });

  it("stops after maxAttempts with unavailable", async () => {
    const fetchFn = scriptedFetch([{ status: 503 }, { status: 503 }, { status: 503 }, ok]);
    await expect(client(fetchFn).upstream.issueToken(profile(), [], credentials)).rejects.toMatchObject({
      kind: "unavailable",
      status: 503,
    });
    expect(fetchFn.requests).toHaveLength(3);
  });

  it("times out an attempt that never answers (connect timeout) and retries", async () => {
    const fetchFn = scriptedFetch(["hang", ok]);
    const { upstream } = client(fetchFn, { connectTimeoutMs: 50, timeoutMs: 200 });
    await expect(upstream.issueToken(profile(), [], credentials)).resolves.toMatchObject({
      accessToken: "tok-abc",
    });
    expect(fetchFn.requests).toHaveLength(2);
  });

  it("rejects token responses that are not a Bearer token, too large, or not JSON", async () => {
    for (const reply of [
      { status: 200, body: { access_token: "x", token_type: "mac", expires_in: 10 } },
      { status: 200, body: { access_token: "x", token_type: "Bearer" } },
      { status: 200, body: "not json" },
      { status: 200, body: "x".repeat(70_000) },
    ]) {
      const fetchFn = scriptedFetch([reply]);
      await expect(client(fetchFn).upstream.issueToken(profile(), [], credentials)).rejects.toMatchObject({
        kind: "rejected",
      });
      expect(fetchFn.requests).toHaveLength(1);
    }
  });
});
