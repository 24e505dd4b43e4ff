import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { AUDIENCE, type Stack, startStack } from "../support/stack.js";

describe("mcp-token doctor (bundle, local stack)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("passes every check against the healthy stack, summarising whose credentials and the token's claims", async () => {
    const result = await runCli(["doctor", stack.mcpUrl, "--aws-profile", "developer"], stack.env);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.filter((l) => /^[✓✗!-] /.test(l)).map((l) => l.slice(0, 2))).toEqual(Array(11).fill("✓ "));
    expect(result.stdout).toContain(
      `✓ Token source: mcp-token broker ${new URL(String(stack.env.MCP_TOKEN_BROKER_URL)).href}, profile default`,
    );
    expect(result.stdout).toContain("✓ AWS credentials: temporary key ASIA…ER01 from profile developer");
    expect(result.stdout).toContain(`knows you as ${stack.ids.developer.principalArn}`);
    expect(result.stdout).toContain(`✓ Authorised for profile "default": audience ${AUDIENCE}`);
    expect(result.stdout).toMatch(
      new RegExp(
        `✓ Token claims: issuer ${stack.issuer.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, audience ${AUDIENCE}, client_id mcp-token-broker, lifetime 1 h, RFC 9068 token profile`,
      ),
    );
    expect(result.stdout).toMatch(/✓ MCP server accepts the token: .* 2 tools: add, whoami/);
    expect(result.stdout).toContain("✓ Caller identity: shared: one token for every allowed caller");
    expect(result.stdout).toContain("All checks passed.");
    expect(result.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  it("fails with the RFC 9068 hint against an Auth0-profile API whose runtime sets allowed clients", async () => {
    const result = await runCli(
      ["doctor", stack.legacyMcpUrl, "--profile", "legacy", "--aws-profile", "developer"],
      stack.env,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/! client_id claim: missing \(only azp, the Auth0 token profile\)/);
    expect(result.stdout).toMatch(/✗ MCP server accepts the token: .* answered HTTP 401: .*client_id/);
    expect(result.stdout).toContain(
      "→ the token has no client_id claim (Auth0's default token profile), but the runtime's allowedClients needs one: set the Auth0 API's token profile to RFC 9068",
    );
    expect(result.stdout).toContain("1 check failed.");
  });

  it("reports an outsider as not authorised, with the fix, and skips what depends on it", async () => {
    const result = await runCli(["doctor", "--aws-profile", "outsider", "--json"], stack.env);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { id: string; status: string; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ["source", "pass"],
      ["credentials", "pass"],
      ["whoami", "pass"],
      ["profile", "fail"],
      ["token", "skip"],
    ]);
    expect(report.checks[3]?.fix).toContain(
      "ask a broker admin to add arn:aws:iam::123456789012:user/outsider to profiles.default.allow",
    );
  });

  it("fails the credentials check with the fix when there are none", async () => {
    const env = {
      ...stack.env,
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_CONFIG_FILE: "/nonexistent",
    };
    const result = await runCli(["doctor", "--aws-profile", "ghost"], env);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /\n✗ AWS credentials: No AWS credentials found for profile "ghost": run `aws sso login --profile ghost`/,
    );
  });
});
