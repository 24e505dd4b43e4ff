import { tokenResponseSchema } from "@mcp-token/core";
import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BAD_INPUTS, expectErrorResponse } from "./support/badInputs.js";
import { AUDIENCES, CLIENTS, iamOf, identities, issuerSetup } from "./support/fixtures.js";
import { call, makeBroker, SECRET_IDS, testConfig, tokenBody } from "./support/issuerBroker.js";

let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await startIssuer(issuerSetup());
});
afterAll(async () => {
  await issuer?.close();
});
afterEach(() => {
  issuer.faults.reset();
});

const postToken = (body: unknown) => ({
  method: "POST",
  path: "/v1/token",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("Broker: requests and answers", () => {
  it.each(BAD_INPUTS)("answers $name with $status $error", async (c) => {
    const { broker, logger } = makeBroker(issuer);
    const res = await call(broker, identities.developer, c);
    await expectErrorResponse(res, c);
    expect(logger.entries.some((e) => e.level === "warn" && e.message.startsWith("request refused"))).toBe(
      true,
    );
    expect(logger.audits()).toMatchObject([{ outcome: c.error, status: c.status }]);
  });

  it("answers 401 unauthorized when the request carries no IAM context", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, null, { path: "/v1/whoami" });
    await expectErrorResponse(res, { status: 401, error: "unauthorized", description: /SigV4/ });
  });

  it("tells the caller who they are", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.developer, { path: "/v1/whoami" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      principal: identities.developer.principalArn,
      accountId: "123456789012",
      normalizedPrincipal: "arn:aws:iam::123456789012:role/AWSReservedSSO_Developer_0123456789abcdef",
    });
  });

  it("answers plain requests through serve exactly as web requests through handle", async () => {
    // Prepare
    const { broker, logger } = makeBroker(issuer);
    const identity = iamOf(identities.agent);
    // Act
    const plain = await broker.serve({
      method: "PUT",
      path: "/v1/whoami",
      query: "",
      headers: {},
      body: "{}",
      identity,
      requestId: "plain-1",
    });
    const web = await broker.handle(new Request("https://x/v1/whoami", { method: "PUT", body: "{}" }), {
      requestId: "plain-1",
      identity,
    });
    // Assess
    expect(plain).toEqual({
      status: web.status,
      headers: Object.fromEntries(web.headers),
      body: await web.text(),
    });
    expect(plain.headers.allow).toBe("GET");
    expect(logger.audits()).toHaveLength(2);
  });

  it("lists only the profiles the caller may use", async () => {
    const { broker } = makeBroker(issuer);
    const names = async (who: typeof identities.agent) =>
      ((await (await call(broker, who, { path: "/v1/profiles" })).json()) as { profiles: { name: string }[] })
        .profiles;
    expect(await names(identities.agent)).toEqual([
      { name: "agents", audience: AUDIENCES.tools, scopes: ["tools:call"], identity: "shared" },
      { name: "default", audience: AUDIENCES.mcp, scopes: ["invoke", "read"], identity: "shared" },
    ]);
    expect((await names(identities.developer)).map((p) => p.name)).toEqual(["default"]);
    expect(await names(identities.outsider)).toEqual([]);
  });

  it("refuses an outsider with 403 access_denied naming the allow list", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.outsider, postToken({}));
    await expectErrorResponse(res, {
      status: 403,
      error: "access_denied",
      description: /arn:aws:iam::123456789012:user\/outsider is not in profiles\.default\.allow/,
    });
  });

  it("refuses a developer the agents-only profile", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.developer, { path: "/v1/token?profile=agents" });
    await expectErrorResponse(res, {
      status: 403,
      error: "access_denied",
      description: /profiles\.agents\.allow/,
    });
  });
});

describe("Broker: tokens", () => {
  it("issues a token that verifies against the issuer's JWKS, then serves it from cache", async () => {
    // Prepare
    const { broker, logger } = makeBroker(issuer);
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    const res = await call(broker, identities.developer, postToken({ profile: "default" }));
    const again = await call(broker, identities.agent, { path: "/v1/token?scope=read+invoke" });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await tokenBody(res);
    expect(Object.keys(body).sort()).toEqual([
      "access_token",
      "expires_at",
      "expires_in",
      "profile",
      "scope",
      "token_type",
    ]);
    expect(body).toMatchObject({ token_type: "Bearer", profile: "default", scope: "invoke read" });
    expect(body.expires_in).toBeGreaterThan(3500);
    expect(Date.parse(String(body.expires_at)) - Date.now()).toBeGreaterThan(3_500_000);
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(issuer.jwksUri)),
      {
        issuer: issuer.url,
        audience: AUDIENCES.mcp,
      },
    );
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload.client_id).toBe(CLIENTS.default);
    expect((await tokenBody(again)).access_token).toBe(body.access_token);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    const audits = logger.audits();
    expect(audits.map((a) => a.cache)).toEqual(["miss", "hit"]);
    expect(audits[0]).toMatchObject({
      principal: identities.developer.principalArn,
      normalizedPrincipal: "arn:aws:iam::123456789012:role/AWSReservedSSO_Developer_0123456789abcdef",
      profile: "default",
      scopes: ["invoke", "read"],
      outcome: "ok",
      status: 200,
      tokenExpiresAt: body.expires_at,
      tokenFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(JSON.stringify(logger.entries)).not.toContain(body.access_token);
  });

  it("issues a token for a subset of the profile's scopes under its own cache key", async () => {
    const { broker } = makeBroker(issuer);
    const body = await tokenBody(await call(broker, identities.developer, postToken({ scopes: ["read"] })));
    expect(body.scope).toBe("read");
    const full = await tokenBody(await call(broker, identities.developer, postToken({})));
    expect(full.access_token).not.toBe(body.access_token);
  });

  it("uses the oauth2 style (discovery, form, resource) for an Auth0-profile API", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.agent, postToken({ profile: "agents" }));
    expect(res.status).toBe(200);
    const body = await tokenBody(res);
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(issuer.jwksUri)),
      {
        issuer: issuer.url,
        audience: AUDIENCES.tools,
      },
    );
    expect(protectedHeader.typ).toBe("JWT");
    expect(payload).toMatchObject({ azp: CLIENTS.agents, gty: "client-credentials" });
    expect(body.scope).toBe("tools:call");
  });

  it("maps an issuer refusal to 502 upstream_rejected with the issuer's error", async () => {
    const config = testConfig(issuer, {
      ungranted: {
        issuer: issuer.url,
        audience: AUDIENCES.tools,
        secretId: SECRET_IDS.default,
        scopes: ["tools:call"],
        allow: ["arn:aws:iam::123456789012:role/mcp-agent"],
      },
    });
    const { broker } = makeBroker(issuer, { config });
    const res = await call(broker, identities.agent, postToken({ profile: "ungranted" }));
    await expectErrorResponse(res, {
      status: 502,
      error: "upstream_rejected",
      description: /The issuer refused the token request for profile "ungranted" \(access_denied/,
    });
  });

  it("answers 500 internal_error when the client secret cannot be read, and logs why", async () => {
    const config = testConfig(issuer, {
      nosecret: {
        issuer: issuer.url,
        audience: AUDIENCES.mcp,
        secretId: "mcp-token/missing",
        allow: ["arn:aws:iam::123456789012:role/mcp-agent"],
      },
    });
    const { broker, logger } = makeBroker(issuer, { config });
    const res = await call(broker, identities.agent, postToken({ profile: "nosecret" }));
    await expectErrorResponse(res, {
      status: 500,
      error: "internal_error",
      description: /client secret of profile "nosecret"/,
    });
    expect(JSON.stringify(logger.entries)).toContain("no secret mcp-token/missing");
  });

  it("re-reads a rotated secret once after invalid_client and succeeds", async () => {
    const { broker, secrets } = makeBroker(issuer);
    const { SECRETS } = await import("./support/fixtures.js");
    issuer.rotateSecret(CLIENTS.agents, SECRETS.rotated);
    // The broker's secret cache still holds the old value; the store has the new one.
    await secrets.getClientCredentials(SECRET_IDS.agents);
    secrets.put(SECRET_IDS.agents, { clientId: CLIENTS.agents, clientSecret: SECRETS.rotated });
    secrets.calls.length = 0;
    const requestsBefore = issuer.requests();
    try {
      const res = await call(broker, identities.agent, postToken({ profile: "agents" }));
      expect(res.status).toBe(200);
      await tokenBody(res);
      expect(secrets.calls).toEqual([
        { secretId: SECRET_IDS.agents, forceFetch: false },
        { secretId: SECRET_IDS.agents, forceFetch: true },
      ]);
      expect(issuer.requests() - requestsBefore).toBe(2);
    } finally {
      issuer.rotateSecret(CLIENTS.agents, SECRETS.agents);
    }
  });
});

describe("Broker: minimum remaining lifetime", () => {
  it("issues a fresh token when the cached one has less than the requested minTtlSeconds left", async () => {
    const { ManualClock } = await import("@mcp-token/core");
    const clock = new ManualClock(Date.now());
    const { broker } = makeBroker(issuer, { clock });
    const first = await tokenBody(await call(broker, identities.developer, postToken({})));
    clock.advance(2_000_000); // 1,600 s left of 3,600
    const same = await tokenBody(
      await call(broker, identities.developer, postToken({ minTtlSeconds: 1000 })),
    );
    const fresh = await tokenBody(
      await call(broker, identities.developer, postToken({ minTtlSeconds: 1700 })),
    );
    expect(same.access_token).toBe(first.access_token);
    expect(fresh.access_token).not.toBe(first.access_token);
  });

  it("caps minTtlSeconds at half the token's lifetime, so asking for nearly all of it issues no new token", async () => {
    // Prepare
    const { ManualClock } = await import("@mcp-token/core");
    const clock = new ManualClock(Date.now());
    const { broker } = makeBroker(issuer, { clock });
    const before = issuer.issued({ clientId: CLIENTS.default });
    const first = await tokenBody(await call(broker, identities.developer, postToken({})));
    // Act: 1,000 s later (2,600 s left) a caller asks for 3,599 s, i.e. more than the cap of 1,800 s.
    clock.advance(1_000_000);
    const later = await tokenBody(
      await call(broker, identities.developer, postToken({ minTtlSeconds: 3599 })),
    );
    // Assess
    expect(later.access_token).toBe(first.access_token);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
  });

  it("answers expires_at with millisecond precision and expires_in in whole seconds rounded down", async () => {
    // Prepare
    const { ManualClock } = await import("@mcp-token/core");
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 12, 0, 0, 123));
    const { broker } = makeBroker(issuer, { clock });
    const first = await tokenBody(await call(broker, identities.developer, postToken({})));
    // Act
    clock.advance(1_999);
    const res = await call(broker, identities.developer, postToken({}));
    const later = await tokenBody(res);
    // Assess
    expect(first.expires_at).toBe("2026-11-26T13:00:00.123Z");
    expect(later.expires_at).toBe(first.expires_at);
    expect([first.expires_in, later.expires_in]).toEqual([3600, 3598]);
    expect(tokenResponseSchema.parse(later)).toEqual(later);
  });

  it("does not issue on every request when minTtlSeconds exceeds the issuer's token lifetime", async () => {
    const { broker } = makeBroker(issuer);
    const before = issuer.issued({ clientId: CLIENTS.default });
    for (let i = 0; i < 3; i++) {
      const res = await call(broker, identities.developer, postToken({ minTtlSeconds: 43200 }));
      expect(res.status).toBe(200);
      await tokenBody(res);
    }
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
  });
});

describe("Broker: profile names are not revealed to callers allowed on none (issue 14)", () => {
  it("answers an unknown profile with the same 403 a denied profile gives, for a caller allowed on no profile", async () => {
    // Prepare
    const { broker } = makeBroker(issuer);
    // Act
    const unknown = await call(broker, identities.outsider, postToken({ profile: "no-such-profile" }));
    const denied = await call(broker, identities.outsider, postToken({ profile: "default" }));
    // Assess
    const [u, d] = [await unknown.json(), await denied.json()];
    expect([unknown.status, denied.status]).toEqual([403, 403]);
    expect(u.error).toBe("access_denied");
    expect(u.error_description).toBe(
      d.error_description.replace("profiles.default.", "profiles.no-such-profile."),
    );
  });

  it("answers 404 unknown_profile to a caller allowed on some profile", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.developer, postToken({ profile: "no-such-profile" }));
    await expectErrorResponse(res, { status: 404, error: "unknown_profile", description: /does not exist/ });
  });
});

describe("Broker: replacing a rejected token (replaces)", () => {
  it("issues a new token when the caller names the cached token's fingerprint, and serves the cache otherwise", async () => {
    // Prepare
    const { tokenFingerprint } = await import("@mcp-token/core");
    const { broker } = makeBroker(issuer);
    const before = issuer.issued({ clientId: CLIENTS.default });
    const first = await tokenBody(await call(broker, identities.developer, postToken({})));
    // Act
    const other = await tokenBody(
      await call(broker, identities.developer, postToken({ replaces: "0123456789ab" })),
    );
    const replaced = await tokenBody(
      await call(
        broker,
        identities.agent,
        postToken({ replaces: await tokenFingerprint(first.access_token) }),
      ),
    );
    const again = await tokenBody(
      await call(
        broker,
        identities.developer,
        postToken({ replaces: await tokenFingerprint(first.access_token) }),
      ),
    );
    // Assess: a fingerprint that is not the cached token's changes nothing; the right one replaces it
    // once; naming the old token again (another proxy that saw it rejected) gets the new one.
    expect(other.access_token).toBe(first.access_token);
    expect(replaced.access_token).not.toBe(first.access_token);
    expect(again.access_token).toBe(replaced.access_token);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(2);
  });

  it("refuses a replaces value that is not a fingerprint", async () => {
    const { broker } = makeBroker(issuer);
    const res = await call(broker, identities.developer, postToken({ replaces: "eyJhbGciOi" }));
    await expectErrorResponse(res, { status: 400, error: "invalid_request", description: /^replaces: / });
  });
});

describe("Broker: the client id lives in the secret (issue 16)", () => {
  it("refuses to issue with a secret of another application when expectedClientId is set, naming both in the log only", async () => {
    // Prepare: the default profile expects a client id the secret does not hold.
    const config = testConfig(issuer);
    const profile = config.profiles.default as NonNullable<typeof config.profiles.default>;
    config.profiles.default = { ...profile, expectedClientId: "another-m2m-client" };
    const { broker, logger } = makeBroker(issuer, { config });
    const before = issuer.issued({ clientId: CLIENTS.default });
    // Act
    const res = await call(broker, identities.developer, postToken({}));
    // Assess
    await expectErrorResponse(res, {
      status: 500,
      error: "internal_error",
      description: /another Auth0 application/,
    });
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(0);
    const logged = JSON.stringify(logger.entries);
    expect(logged).toContain('but profiles.default.expectedClientId is \\"another-m2m-client\\"');
    expect(logged).toContain(CLIENTS.default);
  });

  it("issues when the secret holds the expected client id", async () => {
    const config = testConfig(issuer);
    const profile = config.profiles.default as NonNullable<typeof config.profiles.default>;
    config.profiles.default = { ...profile, expectedClientId: CLIENTS.default };
    const { broker } = makeBroker(issuer, { config });
    expect((await call(broker, identities.developer, postToken({}))).status).toBe(200);
  });
});
