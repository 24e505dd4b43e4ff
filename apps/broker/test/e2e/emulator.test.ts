/**
 * The broker's Lambda handler (sources) behind the testkit Function URL emulator with SigV4, reading
 * client secrets from Secrets Manager on moto_server over HTTP and tokens from the local issuer.
 */
import { type FunctionUrlEmulator, startFunctionUrlEmulator } from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../src/env.js";
import { createRuntime, type Runtime } from "../../src/lambda/runtime.js";
import { BAD_INPUTS, expectErrorResponse } from "../support/badInputs.js";
import { issuerFetch } from "../support/fakes.js";
import { AUDIENCES, CLIENTS, identities, SECRETS } from "../support/fixtures.js";
import { recordingLogger, recordSensitive } from "../support/logs.js";
import { signedFetch } from "../support/sign.js";
import { type Stack, startStack } from "../support/stack.js";

let stack: Stack;
const emulators: FunctionUrlEmulator[] = [];

beforeAll(async () => {
  stack = await startStack("e2e-emulator");
});
afterAll(async () => {
  await Promise.allSettled(emulators.map((e) => e.close()));
  await stack?.close();
});

/** A cold broker instance (new runtime: empty token and secret caches) behind its own emulator. */
async function coldBroker(): Promise<{
  url: string;
  runtime: Runtime;
  logger: ReturnType<typeof recordingLogger>;
}> {
  const logger = recordingLogger();
  const runtime = createRuntime({
    env: { [ENV.config]: stack.configJson },
    logger,
    fetch: issuerFetch(stack.issuer),
  });
  const emulator = await startFunctionUrlEmulator({
    handler: runtime.handler,
    identities: [identities.developer, identities.agent, identities.outsider],
  });
  emulators.push(emulator);
  return { url: emulator.url, runtime, logger };
}

async function tokenOf(res: Response): Promise<{ access_token: string; scope: string; profile: string }> {
  const body = (await res.json()) as { access_token: string; scope: string; profile: string };
  if (typeof body.access_token === "string") recordSensitive(body.access_token);
  return body;
}

const verify = (token: string, audience: string) =>
  jwtVerify(token, createRemoteJWKSet(new URL(stack.issuer.jwksUri)), { issuer: stack.issuer.url, audience });

describe("Broker behind the Function URL emulator (SigV4, Secrets Manager on moto)", () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await coldBroker());
  });

  it("gives an allowed principal an RFC 9068 token (auth0 request style) that verifies against the JWKS", async () => {
    const res = await signedFetch(url, identities.developer, {
      method: "POST",
      path: "/v1/token",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ profile: "default", scopes: ["invoke"] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await tokenOf(res);
    const { payload, protectedHeader } = await verify(body.access_token, AUDIENCES.mcp);
    expect(protectedHeader.typ).toBe("at+jwt");
    expect(payload).toMatchObject({ client_id: CLIENTS.default, scope: "invoke" });
  });

  it("gives the agent an Auth0-profile token (oauth2 request style) with GET /v1/token", async () => {
    const res = await signedFetch(url, identities.agent, {
      path: "/v1/token?profile=agents&scope=tools:call",
    });
    expect(res.status).toBe(200);
    const body = await tokenOf(res);
    expect(body).toMatchObject({ profile: "agents", scope: "tools:call" });
    const { payload, protectedHeader } = await verify(body.access_token, AUDIENCES.tools);
    expect(protectedHeader.typ).toBe("JWT");
    expect(payload).toMatchObject({ azp: CLIENTS.agents, sub: `${CLIENTS.agents}@clients` });
  });

  it("refuses an outsider with 403 access_denied", async () => {
    const res = await signedFetch(url, identities.outsider, { path: "/v1/token" });
    await expectErrorResponse(res, {
      status: 403,
      error: "access_denied",
      description: /user\/outsider is not in/,
    });
  });

  it("shows whoami and only the permitted profiles", async () => {
    const who = await signedFetch(url, identities.developer, { path: "/v1/whoami" });
    expect(await who.json()).toEqual({
      principal: identities.developer.principalArn,
      accountId: "123456789012",
      normalizedPrincipal: "arn:aws:iam::123456789012:role/AWSReservedSSO_Developer_0123456789abcdef",
    });
    const profiles = await signedFetch(url, identities.outsider, { path: "/v1/profiles" });
    expect(await profiles.json()).toEqual({ profiles: [] });
  });

  it.each(BAD_INPUTS)("answers $name with $status $error", async (c) => {
    const res = await signedFetch(url, identities.developer, c);
    await expectErrorResponse(res, c);
  });

  it("never lets an unsigned request reach the broker", async () => {
    const res = await fetch(`${url}/v1/token`);
    expect(res.status).toBe(403);
  });
});

describe("Concurrency through the emulator", () => {
  it("serves 50 concurrent signed requests on a cold broker with one issuance", async () => {
    const { url } = await coldBroker();
    const before = stack.issuer.issued({ clientId: CLIENTS.default });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        signedFetch(url, identities.developer, { path: "/v1/token?profile=default" }),
      ),
    );
    const tokens = new Set(await Promise.all(responses.map(async (r) => (await tokenOf(r)).access_token)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(tokens.size).toBe(1);
    expect(stack.issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
  });
});

describe("Secret rotation in Secrets Manager", () => {
  it("hits invalid_client once, re-reads the new AWSCURRENT secret and succeeds with exactly one retry", async () => {
    // Prepare: a warm broker that has read (and cached) the current secret.
    const { url, runtime, logger } = await coldBroker();
    const first = await signedFetch(url, identities.agent, { path: "/v1/token?profile=agents" });
    expect(first.status).toBe(200);
    await tokenOf(first);
    // Rotate: the issuer switches to the new secret, Secrets Manager gets a new AWSCURRENT version.
    stack.issuer.rotateSecret(CLIENTS.agents, SECRETS.rotated);
    await stack.moto.putSecretValue(stack.secretArns.agents, {
      client_id: CLIENTS.agents,
      client_secret: SECRETS.rotated,
    });
    runtime.cache?.invalidate(); // the next token request is cold; the secret cache still holds the old value
    const requestsBefore = stack.issuer.requests();
    try {
      // Act
      const res = await signedFetch(url, identities.agent, { path: "/v1/token?profile=agents" });
      // Assess
      expect(res.status).toBe(200);
      await verify((await tokenOf(res)).access_token, AUDIENCES.tools);
      expect(stack.issuer.requests() - requestsBefore).toBe(2);
      const attempts = logger.entries
        .filter((e) => e.message === "upstream attempt")
        .map((e) => e.attributes.status);
      expect(attempts).toEqual([200, 401, 200]); // first issuance; then rejected once, retried once
      expect(logger.entries.filter((e) => e.message.includes("re-reading the secret"))).toHaveLength(1);
    } finally {
      stack.issuer.rotateSecret(CLIENTS.agents, SECRETS.agents);
      await stack.moto.putSecretValue(stack.secretArns.agents, {
        client_id: CLIENTS.agents,
        client_secret: SECRETS.agents,
      });
    }
  });
});
