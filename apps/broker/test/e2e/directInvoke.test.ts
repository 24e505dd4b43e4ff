/**
 * Why every `lambda:InvokeFunction` grant on the broker carries `lambda:InvokedViaFunctionUrl = true`
 * (infra/lib/policies.ts), and why the Function URL emulator authorises (issue 14).
 *
 * Through its Function URL, Lambda fills `requestContext.authorizer.iam` from the verified SigV4
 * signature. A direct `aws lambda invoke` hands the function whatever event the caller wrote: nothing
 * inside the event is unforgeable, so the production bundle, given a hand-written event naming an
 * allowed principal, answers 200 with a token. The defence cannot be in the function; it is in IAM.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FunctionUrlEmulator, startFunctionUrlEmulator } from "@mcp-token/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { functionUrlEvent } from "../support/events.js";
import { identities } from "../support/fixtures.js";
import { recordSensitive } from "../support/logs.js";
import { signedFetch } from "../support/sign.js";
import { type Stack, startStack } from "../support/stack.js";

const bundlePath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "handler.mjs");

let stack: Stack;
let handler: Parameters<typeof startFunctionUrlEmulator>[0]["handler"];
let emulator: FunctionUrlEmulator;

beforeAll(async () => {
  stack = await startStack("e2e-direct");
  vi.stubEnv("MCP_TOKEN_BROKER_CONFIG", stack.configJson);
  const url = new URL(`file://${bundlePath}`);
  url.searchParams.set("instance", "direct-invoke");
  // Its own instance (query) of the bundle, so this file's configuration and cache are its own.
  handler = ((await import(url.href)) as { handler: typeof handler }).handler;
  emulator = await startFunctionUrlEmulator({
    handler,
    identities: [identities.developer, identities.bystander],
  });
});
afterAll(async () => {
  await emulator?.close();
  await stack?.close();
});

describe("Direct invocation of the broker (issue 14)", () => {
  it("answers a hand-written event with a forged caller: the reason every InvokeFunction grant requires lambda:InvokedViaFunctionUrl", async () => {
    // Prepare: what anyone holding lambda:InvokeFunction on the function could send with
    // `aws lambda invoke --payload …`: an IAM context naming an allowed IAM Identity Center session.
    const forged = {
      ...identities.developer,
      principalArn:
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/mallory",
      accessKeyId: "ASIAFORGEDNOTAREALKEY",
    };
    const event = functionUrlEvent(forged, {
      method: "POST",
      path: "/v1/token",
      headers: { "content-type": "application/json" },
      body: '{"profile":"default"}',
    });
    // Act: no signature, no Function URL; just the event.
    const result = (await handler(event, undefined as never)) as { statusCode: number; body: string };
    // Assess: the bundle cannot tell, and hands out a token.
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as { access_token: string };
    recordSensitive(body.access_token);
    expect(body.access_token).toMatch(/^eyJ/);
  });

  it("is not reachable through the Function URL by an authenticated principal without the invoke grant", async () => {
    const before = emulator.invocations();
    const res = await signedFetch(emulator.url, identities.bystander, { method: "GET", path: "/v1/whoami" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ Message: "Forbidden" });
    expect(emulator.invocations()).toBe(before);
  });
});
