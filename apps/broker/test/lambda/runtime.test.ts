import { type LocalIssuer, startIssuer } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../src/env.js";
import { createRuntime } from "../../src/lambda/runtime.js";
import { functionUrlEvent } from "../support/events.js";
import { issuerFetch, memorySecrets } from "../support/fakes.js";
import { brokerConfigDoc, CLIENTS, identities, issuerSetup, SECRETS } from "../support/fixtures.js";
import { recordingLogger, recordSensitive } from "../support/logs.js";
import { captureOutput, emfLines, emfProblems } from "../support/stdout.js";

let issuer: LocalIssuer;
const secretIds = { defaultSecretId: "rt/default", agentsSecretId: "rt/agents" };

beforeAll(async () => {
  issuer = await startIssuer(issuerSetup());
});
afterAll(async () => {
  await issuer?.close();
});

function runtime() {
  const logger = recordingLogger();
  const rt = createRuntime({
    env: { [ENV.config]: JSON.stringify(brokerConfigDoc({ issuer: issuer.url, ...secretIds })) },
    logger,
    secrets: memorySecrets({
      [secretIds.defaultSecretId]: { clientId: CLIENTS.default, clientSecret: SECRETS.default },
      [secretIds.agentsSecretId]: { clientId: CLIENTS.agents, clientSecret: SECRETS.agents },
    }),
    fetch: issuerFetch(issuer),
  });
  return { ...rt, logger };
}

describe("Lambda handler", () => {
  it("maps a Function URL event to the broker and the response back to a Function URL result", async () => {
    const { handler } = runtime();
    const result = await handler(functionUrlEvent(identities.agent, { path: "/v1/whoami" }));
    expect(result).toMatchObject({
      statusCode: 200,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
      isBase64Encoded: false,
    });
    expect(JSON.parse(String((result as { body: string }).body))).toMatchObject({
      principal: identities.agent.principalArn,
      normalizedPrincipal: "arn:aws:iam::123456789012:role/mcp-agent",
    });
  });

  it("publishes exactly one valid EMF line per warm token request, with its outcome", async () => {
    // Prepare
    const { handler } = runtime();
    const event = () =>
      functionUrlEvent(identities.developer, {
        method: "POST",
        path: "/v1/token",
        headers: { "content-type": "application/json" },
        body: '{"profile":"default"}',
      });
    const first = (await handler(event())) as { body: string };
    recordSensitive((JSON.parse(first.body) as { access_token: string }).access_token);
    // Act
    const warm = await captureOutput(() => handler(event()));
    const denied = await captureOutput(() =>
      handler(functionUrlEvent(identities.outsider, { path: "/v1/token" })),
    );
    // Assess
    const [line, ...rest] = emfLines(warm.stdout);
    expect(rest).toEqual([]);
    expect(line && emfProblems(line)).toEqual([]);
    expect(line).toMatchObject({ Outcome: "ok", Requests: 1, CacheHit: 1, service: "mcp-token-broker" });
    expect(emfLines(denied.stdout).map((l) => [l.Outcome, l.Requests])).toEqual([["access_denied", 1]]);
  });

  it("answers 401 unauthorized for an event without IAM context", async () => {
    const { handler } = runtime();
    const result = (await handler(functionUrlEvent(null, { path: "/v1/token" }))) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: "unauthorized", request_id: expect.any(String) });
  });

  it("decodes a base64 body", async () => {
    const { handler } = runtime();
    const result = (await handler(
      functionUrlEvent(identities.developer, {
        method: "POST",
        path: "/v1/token",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scopes: ["invoke"] }),
        base64: true,
      }),
    )) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as { access_token: string; scope: string };
    recordSensitive(body.access_token);
    expect(body.scope).toBe("invoke");
  });

  it("serves 1,000 concurrent token requests on a cold broker with exactly one issuance", async () => {
    // Prepare
    const { handler, logger } = runtime();
    const before = issuer.issued({ clientId: CLIENTS.default });
    const event = () =>
      functionUrlEvent(identities.developer, {
        method: "POST",
        path: "/v1/token",
        headers: { "content-type": "application/json" },
        body: '{"profile":"default"}',
      });
    // Act
    const results = (await Promise.all(Array.from({ length: 1000 }, () => handler(event())))) as {
      statusCode: number;
      body: string;
    }[];
    // Assess
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const tokens = new Set(results.map((r) => (JSON.parse(r.body) as { access_token: string }).access_token));
    recordSensitive(...tokens);
    expect(tokens.size).toBe(1);
    expect(issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    const audits = logger.audits();
    expect(audits).toHaveLength(1000);
    expect(audits.filter((a) => a.cache === "miss")).toHaveLength(1000);
  });

  it("answers internal_error to every request when the configuration is invalid, naming the field in the log", async () => {
    // Prepare
    const logger = recordingLogger();
    const bad = brokerConfigDoc({ issuer: issuer.url, ...secretIds }) as {
      profiles: Record<string, Record<string, unknown>>;
    };
    (bad.profiles.default as Record<string, unknown>).allow = ["arn:aws:iam::role/x"];
    // Act
    const rt = createRuntime({ env: { [ENV.config]: JSON.stringify(bad) }, logger });
    const first = (await rt.handler(functionUrlEvent(identities.agent, { path: "/v1/whoami" }))) as {
      statusCode: number;
      body: string;
    };
    const second = (await rt.handler(functionUrlEvent(identities.agent, { path: "/v1/token" }))) as {
      statusCode: number;
    };
    // Assess
    expect(rt.startup.ok).toBe(false);
    expect([first.statusCode, second.statusCode]).toEqual([500, 500]);
    expect(JSON.parse(first.body)).toMatchObject({
      error: "internal_error",
      error_description: expect.stringContaining("misconfigured"),
    });
    const operatorLines = logger.entries.filter(
      (e) => e.level === "error" && e.message.includes("profiles.default.allow[0]"),
    );
    expect(operatorLines.length).toBe(3); // once at cold start, then once per request
  });
});
