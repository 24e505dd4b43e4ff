/**
 * The production bundle (dist/handler.mjs, rebuilt here) — not the sources — behind the Function URL
 * emulator with SigV4, Secrets Manager on moto_server and the local issuer. It also checks that the
 * bundle logs through Powertools (structured JSON audit lines, EMF metrics) and never ships testkit.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FunctionUrlEmulator, loadHandler, startFunctionUrlEmulator } from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectErrorResponse } from "../support/badInputs.js";
import { AUDIENCES, CLIENTS, identities } from "../support/fixtures.js";
import { logDir, recordSensitive } from "../support/logs.js";
import { signedFetch } from "../support/sign.js";
import { type Stack, startStack } from "../support/stack.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundlePath = join(root, "dist", "handler.mjs");

let stack: Stack;
let emulator: FunctionUrlEmulator;
let buildOutput: string;

beforeAll(async () => {
  buildOutput = execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { encoding: "utf8" });
  stack = await startStack("e2e-bundle");
  vi.stubEnv("MCP_TOKEN_BROKER_CONFIG", stack.configJson);
  vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "McpTokenTest");
  const handler = await loadHandler(bundlePath);
  emulator = await startFunctionUrlEmulator({
    handler: handler as Parameters<typeof startFunctionUrlEmulator>[0]["handler"],
    identities: [identities.developer, identities.agent, identities.outsider],
  });
});
afterAll(async () => {
  await emulator?.close();
  await stack?.close();
});

const tokenRequest = {
  method: "POST",
  path: "/v1/token",
  headers: { "content-type": "application/json" },
  body: '{"profile":"default"}',
};

describe("The bundle behind the emulator", () => {
  it("is one minified ESM file under 1 MB without testkit or oidc-provider", () => {
    expect(buildOutput).toMatch(/bundle: dist\/handler\.mjs [\d.]+ KiB/);
    const text = readFileSync(bundlePath, "utf8");
    expect(text.length).toBeLessThan(1024 * 1024);
    expect(text).not.toMatch(/oidc-provider|@mcp-token\/testkit|startFunctionUrlEmulator/);
  });

  it("serves 20 concurrent requests on its cold start with one issuance, tokens verifying against the JWKS", async () => {
    const before = stack.issuer.issued({ clientId: CLIENTS.default });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => signedFetch(emulator.url, identities.developer, tokenRequest)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { access_token: string }[];
    const tokens = [...new Set(bodies.map((b) => b.access_token))];
    recordSensitive(...tokens);
    expect(tokens).toHaveLength(1);
    expect(stack.issuer.issued({ clientId: CLIENTS.default }) - before).toBe(1);
    const { payload } = await jwtVerify(
      tokens[0] as string,
      createRemoteJWKSet(new URL(stack.issuer.jwksUri)),
      {
        issuer: stack.issuer.url,
        audience: AUDIENCES.mcp,
      },
    );
    expect(payload.client_id).toBe(CLIENTS.default);
  });

  it("refuses an outsider and bad input with the documented errors", async () => {
    await expectErrorResponse(await signedFetch(emulator.url, identities.outsider, tokenRequest), {
      status: 403,
      error: "access_denied",
      description: /not in profiles\.default\.allow/,
    });
    await expectErrorResponse(
      await signedFetch(emulator.url, identities.developer, { ...tokenRequest, body: "x".repeat(9000) }),
      { status: 413, error: "payload_too_large", description: /8192/ },
    );
    await expectErrorResponse(
      await signedFetch(emulator.url, identities.developer, { path: "/v1/token?profile=nope" }),
      {
        status: 404,
        error: "unknown_profile",
        description: /nope/,
      },
    );
  });

  it("writes Powertools JSON audit lines and EMF metrics", async () => {
    await signedFetch(emulator.url, identities.agent, { path: "/v1/whoami" });
    const output = readdirSync(logDir())
      .filter((f) => f.startsWith(`output-${process.pid}-`))
      .map((f) => readFileSync(join(logDir(), f), "utf8"))
      .join("");
    const lines = output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const audit = lines.find(
      (l) => l.message === "audit" && l.service === "mcp-token-broker" && l.path === "/v1/whoami",
    );
    expect(audit).toMatchObject({
      level: "INFO",
      principal: identities.agent.principalArn,
      normalizedPrincipal: "arn:aws:iam::123456789012:role/mcp-agent",
      outcome: "ok",
      status: 200,
    });
    const emf = lines.filter((l) => typeof l._aws === "object");
    expect(JSON.stringify(emf)).toContain("McpTokenTest");
    expect(emf.some((l) => "Requests" in l && l.Outcome === "ok")).toBe(true);
    expect(emf.some((l) => "CacheMiss" in l && l.Outcome === "ok")).toBe(true);
    // Issuer attempts are instance events: a line of their own, without a request's Outcome.
    expect(emf.some((l) => "UpstreamCalls" in l && !("Outcome" in l))).toBe(true);
  });
});
