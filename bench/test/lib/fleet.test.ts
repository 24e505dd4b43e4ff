import { cacheKey, isPrincipalAllowed, parseBrokerConfig } from "@mcp-token/core";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  effectiveScopes,
  FLEET_PROFILES,
  FLEET_SIZE,
  fleetBrokerConfig,
  fleetCallers,
  fleetEvent,
  fleetIssuerSetup,
  newInvocation,
  tokenRequestEvent,
} from "../../src/lib/fleet.js";
import { mulberry32 } from "../../src/lib/random.js";

/** An event shaped like the testkit emulator's (the fleet's template). */
const template = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/v1/token",
  rawQueryString: "",
  headers: {
    host: "127.0.0.1:40123",
    accept: "application/json",
    "content-type": "application/json",
    "content-length": "21",
    "x-amz-date": "20261126T120000Z",
    authorization:
      "AWS4-HMAC-SHA256 Credential=ASIALOCALDEVELOPER01/20261126/us-west-2/lambda/aws4_request, …",
    "x-amzn-trace-id": "Root=1-69270000-000000000000000000000000",
    "x-forwarded-proto": "http",
  },
  requestContext: {
    accountId: "123456789012",
    apiId: "abcdefghijklmnopqrstuvwxyz012345",
    authorizer: {
      iam: { userArn: "arn:aws:sts::123456789012:assumed-role/Dev/alice", accountId: "123456789012" },
    },
    domainName: "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-west-2.on.aws",
    domainPrefix: "abcdefghijklmnopqrstuvwxyz012345",
    http: {
      method: "POST",
      path: "/v1/token",
      protocol: "HTTP/1.1",
      sourceIp: "127.0.0.1",
      userAgent: "node",
    },
    requestId: "template",
    routeKey: "$default",
    stage: "$default",
    time: "26/Nov/2026:12:00:00 +0000",
    timeEpoch: 1_795_694_400_000,
  },
  body: '{"profile":"default"}',
  isBase64Encoded: false,
} as unknown as LambdaFunctionURLEventWithIAMAuthorizer;

const config = parseBrokerConfig(
  fleetBrokerConfig({ issuer: "http://127.0.0.1:9999/", secretId: "mcp-token/bench/fleet" }),
);

describe("fleetCallers", () => {
  const callers = fleetCallers(2026);

  it("makes 1,000 callers with distinct principals, access keys and session tokens", () => {
    expect(callers).toHaveLength(1000);
    expect(FLEET_SIZE).toBe(1000);
    expect(new Set(callers.map((c) => c.principalArn)).size).toBe(1000);
    expect(new Set(callers.map((c) => c.accessKeyId)).size).toBe(1000);
    expect(new Set(callers.map((c) => c.sessionToken)).size).toBe(1000);
  });

  it("mixes IAM Identity Center sessions and assumed-role sessions from two accounts", () => {
    const sso = callers.filter((c) => c.kind === "sso-session");
    const roles = callers.filter((c) => c.kind === "role-session");
    expect(sso.length).toBeGreaterThan(100);
    expect(roles.length).toBeGreaterThan(100);
    expect(sso.every((c) => /:assumed-role\/AWSReservedSSO_[A-Za-z]+_[0-9a-f]+\//.test(c.principalArn))).toBe(
      true,
    );
    expect(new Set(callers.map((c) => c.accountId))).toEqual(new Set(["123456789012", "210987654321"]));
    for (const c of callers) {
      expect(c.principalArn.split(":")[4]).toBe(c.accountId);
      expect(c.userId.endsWith(`:${c.principalArn.split("/").pop()}`)).toBe(true);
    }
  });

  it("only asks for profiles whose allow list admits the caller, and for scopes of that profile", () => {
    for (const caller of callers) {
      for (const request of caller.requests) {
        const profile = config.profiles[request.profile];
        expect(profile, request.profile).toBeDefined();
        expect(isPrincipalAllowed(caller.principalArn, profile?.allow ?? [])).toBe(true);
        for (const scope of request.scopes ?? []) expect(profile?.scopes).toContain(scope);
      }
    }
  });

  it("spreads the requests over every profile and many profile/scope sets", () => {
    const requests = callers.flatMap((c) => c.requests);
    expect(new Set(requests.map((r) => r.profile))).toEqual(new Set(FLEET_PROFILES.map((p) => p.name)));
    const keys = new Set(requests.map((r) => cacheKey(r.profile, effectiveScopes(r))));
    expect(keys.size).toBeGreaterThanOrEqual(10);
    expect(requests.some((r) => r.scopes === undefined)).toBe(true);
    expect(requests.some((r) => r.minTtlSeconds !== undefined)).toBe(true);
  });

  it("is deterministic for a seed", () => {
    expect(fleetCallers(2026)).toEqual(callers);
    expect(fleetCallers(7)).not.toEqual(callers);
  });
});

describe("fleetBrokerConfig and fleetIssuerSetup", () => {
  it("is a valid broker configuration with both request styles", () => {
    expect(Object.keys(config.profiles)).toEqual(FLEET_PROFILES.map((p) => p.name));
    expect(new Set(Object.values(config.profiles).map((p) => p.requestStyle))).toEqual(
      new Set(["auth0", "oauth2"]),
    );
  });

  it("grants the client every profile's audience and scopes at the issuer", () => {
    const setup = fleetIssuerSetup("s3cret");
    for (const p of FLEET_PROFILES) {
      expect(setup.apis.find((api) => api.audience === p.audience)?.scopes).toEqual(p.scopes);
      expect(setup.clients[0]?.grants[p.audience]).toEqual(p.scopes);
    }
  });
});

describe("fleetEvent", () => {
  const caller = fleetCallers(2026)[0];
  if (!caller) throw new Error("no caller");
  const random = mulberry32(1);

  it("carries the caller's identity, the request and this invocation's ids", () => {
    // Prepare
    const invocation = newInvocation(random, Date.UTC(2026, 10, 26, 12, 30, 5));
    // Act
    const event = tokenRequestEvent(
      template,
      caller,
      { profile: "analytics", scopes: ["reports:read"] },
      invocation,
    );
    // Assess
    expect(event.requestContext.authorizer.iam).toMatchObject({
      userArn: caller.principalArn,
      accountId: caller.accountId,
      accessKey: caller.accessKeyId,
      userId: caller.userId,
    });
    expect(event.requestContext.requestId).toBe(invocation.requestId);
    expect(event.requestContext.time).toBe("26/Nov/2026:12:30:05 +0000");
    expect(event.requestContext.timeEpoch).toBe(invocation.nowMs);
    expect(JSON.parse(event.body ?? "")).toEqual({ profile: "analytics", scopes: ["reports:read"] });
    expect(event.headers).toMatchObject({
      "content-length": String(Buffer.byteLength(event.body ?? "")),
      "x-amz-date": "20261126T123005Z",
      "x-amz-security-token": caller.sessionToken,
      "x-amzn-trace-id": invocation.traceId,
      host: template.requestContext.domainName,
    });
    expect(event.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${caller.accessKeyId}/20261126/us-west-2/lambda/aws4_request, ` +
        `SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=${invocation.signature}`,
    );
  });

  it("builds a GET without body headers", () => {
    const event = fleetEvent(
      template,
      caller,
      { method: "GET", path: "/v1/whoami" },
      newInvocation(random, 0),
    );
    expect(event.requestContext.http).toMatchObject({ method: "GET", path: "/v1/whoami" });
    expect(event.rawPath).toBe("/v1/whoami");
    expect(event.body).toBeUndefined();
    expect(event.headers["content-type"]).toBeUndefined();
    expect(event.headers["content-length"]).toBeUndefined();
  });

  it("shares nothing with the template", () => {
    const event = tokenRequestEvent(template, caller, { profile: "default" }, newInvocation(random, 0));
    event.headers.accept = "changed";
    event.requestContext.http.sourceIp = "changed";
    expect(template.headers.accept).toBe("application/json");
    expect(template.requestContext.http.sourceIp).toBe("127.0.0.1");
  });
});

describe("newInvocation", () => {
  it("draws distinct version-4 request ids, X-Ray trace ids and signatures", () => {
    const random = mulberry32(3);
    const invocations = Array.from({ length: 1000 }, () => newInvocation(random, 1_795_694_400_000));
    for (const inv of invocations) {
      expect(inv.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(inv.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(inv.signature).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(invocations.map((i) => i.requestId)).size).toBe(1000);
    expect(new Set(invocations.map((i) => i.traceId)).size).toBe(1000);
  });
});
