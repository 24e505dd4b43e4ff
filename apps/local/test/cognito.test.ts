/**
 * Amazon Cognito beside Auth0 on the local stack, from one broker: the `cognito` profile's tokens come
 * from the Cognito user pool stand-in (scope-only requests to the user pool domain), carry `client_id`
 * and no `aud`, and the MCP server that accepts them by allowed client serves a proxy session; `doctor`
 * passes for it and explains a scope the app client lacks. The CLI bundle runs as a child process.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BUNDLE } from "../src/paths.js";
import { cliEnv, runCli } from "../src/runCli.js";
import { FREE_PORTS, LOCAL, type LocalStack, startLocalStack } from "../src/stack.js";

let stack: LocalStack;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "mcp-token-cognito-"));
  stack = await startLocalStack({
    ...FREE_PORTS,
    stateDir,
    quiet: true,
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli([...args, "--no-cache"], cliEnv(stack.info));

describe("local stack: an Auth0 and a Cognito profile side by side", () => {
  it("serves both from one broker: Auth0 tokens with aud, Cognito tokens with client_id, scope and no aud", async () => {
    expect(stack.info.broker.profiles).toEqual(expect.arrayContaining(["default", "cognito"]));
    const auth0 = await cli(["get", "--aws-profile", "agent"]);
    const cognito = await cli(["get", "--aws-profile", "agent", "--profile", "cognito"]);
    expect(auth0.exitCode, auth0.stderr).toBe(0);
    expect(cognito.exitCode, cognito.stderr).toBe(0);
    expect(decodeJwt(auth0.stdout.trim())).toMatchObject({ aud: LOCAL.audience, client_id: LOCAL.clientId });
    const claims = decodeJwt(cognito.stdout.trim());
    expect(claims).toMatchObject({
      iss: stack.info.cognito.issuer,
      client_id: LOCAL.cognito.clientId,
      token_use: "access",
      scope: `${LOCAL.cognito.resourceServer}/invoke`,
    });
    expect(claims).not.toHaveProperty("aud");
  });

  it("runs a proxy session through the Cognito profile whose whoami shows the app client", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        CLI_BUNDLE,
        "proxy",
        stack.info.mcpCognito.url,
        "--aws-profile",
        "developer",
        "--profile",
        "cognito",
        "--no-cache",
      ],
      env: cliEnv(stack.info),
      stderr: "pipe",
    });
    const client = new Client({ name: "cognito-e2e", version: "1.0.0" });
    let who: {
      verified: boolean;
      clientId?: string;
      clientIdClaim?: string;
      audience: string[];
      scopes: string[];
      issuer?: string;
    };
    try {
      await client.connect(transport);
      who = (await client.callTool({ name: "whoami", arguments: {} })).structuredContent as typeof who;
    } finally {
      await client.close();
    }
    expect(who).toMatchObject({
      verified: true,
      issuer: stack.info.cognito.issuer,
      clientId: LOCAL.cognito.clientId,
      clientIdClaim: "client_id",
      audience: [],
      scopes: [`${LOCAL.cognito.resourceServer}/invoke`],
    });
  });

  it("doctor passes for the Cognito profile, saying why no audience is fine", async () => {
    const r = await cli([
      "doctor",
      stack.info.mcpCognito.url,
      "--aws-profile",
      "developer",
      "--profile",
      "cognito",
    ]);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain("✓ Cognito access token:");
    expect(r.stdout).toMatch(/✓ MCP server accepts the token: .* 2 tools: add, whoami/);
    expect(r.stdout).toContain("All checks passed.");
  });

  it("doctor explains a scope the Cognito app client is not allowed", async () => {
    const r = await cli(["doctor", "--aws-profile", "developer", "--profile", "cognito-admin"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("✗ Token issued:");
    expect(r.stdout).toContain("invalid_scope");
    expect(r.stdout).toContain(
      "→ the identity provider does not allow this scope for the broker's client: in Cognito, add it to the app client's allowed custom scopes",
    );
  });
});
