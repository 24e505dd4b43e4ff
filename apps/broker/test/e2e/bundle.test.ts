/**
 * The production bundle (dist/handler.mjs, rebuilt here) — not the sources — behind the Function URL
 * emulator with SigV4, Secrets Manager on moto_server and the local issuer. It also checks that the
 * bundle logs through Powertools (structured JSON audit lines, EMF metrics) and never ships testkit.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FunctionUrlEmulator, loadHandler, startFunctionUrlEmulator } from "@mcp-token/testkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectErrorResponse } from "../support/badInputs.js";
import { functionUrlEvent } from "../support/events.js";
import { AUDIENCES, CLIENTS, identities } from "../support/fixtures.js";
import { logDir, recordSensitive } from "../support/logs.js";
import { signedFetch } from "../support/sign.js";
import { type Stack, startStack } from "../support/stack.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundlePath = join(root, "dist", "handler.mjs");

let stack: Stack;
let emulator: FunctionUrlEmulator;
let buildOutput: string;
let handler: Parameters<typeof startFunctionUrlEmulator>[0]["handler"];

beforeAll(async () => {
  buildOutput = execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { encoding: "utf8" });
  stack = await startStack("e2e-bundle");
  vi.stubEnv("MCP_TOKEN_BROKER_CONFIG", stack.configJson);
  vi.stubEnv("POWERTOOLS_METRICS_NAMESPACE", "McpTokenTest");
  handler = (await loadHandler(bundlePath)) as typeof handler;
  emulator = await startFunctionUrlEmulator({
    handler,
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
  it("is a tiny ESM entry with lazy chunks, under 1 MB in all, without testkit or oidc-provider", () => {
    expect(buildOutput).toMatch(/bundle: dist\/handler\.mjs [\d.]+ KiB \+ \d+ lazy chunk/);
    const entry = readFileSync(bundlePath, "utf8");
    const chunkDir = join(root, "dist", "chunks");
    const chunks = readdirSync(chunkDir).map((name) => readFileSync(join(chunkDir, name), "utf8"));
    // The entry only snapshots the environment and schedules the runtime chunk.
    expect(entry.length).toBeLessThan(2048);
    expect(entry).toMatch(/import\("\.\/chunks\/runtime-\w+\.mjs"\)/);
    const all = [entry, ...chunks].join("\n");
    expect(all.length).toBeLessThan(1024 * 1024);
    expect(all).not.toMatch(/oidc-provider|@mcp-token\/testkit|startFunctionUrlEmulator/);
  });

  it("builds its runtime right after the import only in Lambda; a process that only imports it exits at once", () => {
    // Prepare: an invalid configuration makes a built runtime say so (an ERROR line).
    const output = (script: string, extra: Record<string, string> = {}) => {
      const run = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", `await import(${JSON.stringify(`file://${bundlePath}`)});${script}`],
        { encoding: "utf8", env: { PATH: process.env.PATH ?? "", MCP_TOKEN_BROKER_CONFIG: "{}", ...extra } },
      );
      return `${run.stdout}${run.stderr}`;
    };
    const stayAlive = "setTimeout(() => {}, 500);";
    // Act + Assess
    expect(output("")).toBe("");
    expect(output(stayAlive)).toBe("");
    expect(output(stayAlive, { AWS_LAMBDA_FUNCTION_NAME: "mcp-token-broker" })).toContain(
      "broker misconfigured",
    );
  });

  it("gives each import with its own query (apps/local's ?instance=N) its own configuration and cache", async () => {
    // Prepare
    const load = async (instance: string, config: string) => {
      vi.stubEnv("MCP_TOKEN_BROKER_CONFIG", config);
      const url = new URL(`file://${bundlePath}`);
      url.searchParams.set("instance", instance);
      return (await import(url.href)) as { handler: (event: unknown) => Promise<{ statusCode: number }> };
    };
    const broken = await load("broken", "{}");
    const working = await load("working", stack.configJson);
    vi.stubEnv("MCP_TOKEN_BROKER_CONFIG", stack.configJson);
    const event = functionUrlEvent(identities.agent, { path: "/v1/profiles" });
    // Act
    const [fromBroken, fromWorking] = await Promise.all([broken.handler(event), working.handler(event)]);
    // Assess
    expect([fromBroken, fromWorking].map((r) => (r as { statusCode: number }).statusCode)).toEqual([
      500, 200,
    ]);
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
