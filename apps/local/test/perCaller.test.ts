/**
 * Per-caller tokens on the local stack (issue: know who is calling): the `per-caller` profile gives each
 * IAM caller its own token naming it, the shared profiles stay one token for all, only the broker's
 * client can name a caller, a proxy session's `whoami` shows the caller, and the MCP server's tool-call
 * log line carries the same join key (token fingerprint) as the broker's audit line for that token.
 * Real processes throughout: the bundled broker behind the SigV4 emulator, the issuer running the
 * shipped Action, the MCP server bundle, the CLI bundle as a child.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CLI_BUNDLE } from "../src/paths.js";
import { cliEnv, runCli } from "../src/runCli.js";
import { FREE_PORTS, LOCAL, type LocalStack, startLocalStack } from "../src/stack.js";

const A = LOCAL.accountId;
const DEVELOPER_ROLE = `arn:aws:iam::${A}:role/AWSReservedSSO_Developer_0123456789abcdef`;
const AGENT_ROLE = `arn:aws:iam::${A}:role/mcp-agent`;

let stack: LocalStack;
let stateDir: string;
const mcpLog: Record<string, unknown>[] = [];
/** JSON lines the in-process broker bundle writes through Powertools (dev mode: the global console). */
const brokerLog: Record<string, unknown>[] = [];

beforeAll(async () => {
  for (const method of ["info", "log", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      for (const arg of args) {
        if (typeof arg !== "string" || !arg.startsWith("{")) continue;
        try {
          brokerLog.push(JSON.parse(arg) as Record<string, unknown>);
        } catch {
          // not a log line
        }
      }
    });
  }
  stateDir = await mkdtemp(join(tmpdir(), "mcp-token-per-caller-"));
  stack = await startLocalStack({
    ...FREE_PORTS,
    stateDir,
    quiet: false,
    onMcpLogLine: (line) => {
      try {
        mcpLog.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await rm(stateDir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

async function tokenFor(awsProfile: string, profile: string): Promise<string> {
  const r = await runCli(
    ["get", "--aws-profile", awsProfile, "--profile", profile, "--no-cache"],
    cliEnv(stack.info),
  );
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.trim();
}

const callerClaims = (token: string) =>
  Object.fromEntries(
    Object.entries(decodeJwt(token)).filter(([k]) => k.startsWith("https://mcp-token.dev/")),
  );

describe("local stack: per-caller tokens", () => {
  it("gives two identities different tokens naming each, and keeps the shared profile one token for all", async () => {
    expect(stack.info.broker.profiles).toContain("per-caller");
    const developer = await tokenFor("developer", "per-caller");
    const agent = await tokenFor("agent", "per-caller");
    expect(developer).not.toBe(agent);
    expect(callerClaims(developer)).toEqual({
      "https://mcp-token.dev/caller": DEVELOPER_ROLE,
      "https://mcp-token.dev/account": A,
      "https://mcp-token.dev/session": "alice",
    });
    expect(callerClaims(agent)).toEqual({
      "https://mcp-token.dev/caller": AGENT_ROLE,
      "https://mcp-token.dev/account": A,
    });
    // The same caller again: its cached token.
    expect(await tokenFor("developer", "per-caller")).toBe(developer);

    const sharedDeveloper = await tokenFor("developer", "default");
    const sharedAgent = await tokenFor("agent", "default");
    expect(sharedDeveloper).toBe(sharedAgent);
    expect(callerClaims(sharedDeveloper)).toEqual({});
  });

  it("doctor shows the identity mode and the caller claim", async () => {
    const r = await runCli(
      ["doctor", stack.info.mcp.url, "--aws-profile", "developer", "--profile", "per-caller"],
      cliEnv(stack.info),
    );
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      `✓ Authorised for profile "per-caller": audience ${LOCAL.audience}, tokens per caller`,
    );
    expect(r.stdout).toContain(
      `✓ Caller identity: per-caller: the token names you, ${DEVELOPER_ROLE} (session alice), account ${A}`,
    );
  });

  it("denies a caller named by another application of the tenant (the Action)", async () => {
    const before = stack.issuer.issued();
    const res = await fetch(stack.issuer.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: stack.otherClient.clientId,
        client_secret: stack.otherClient.clientSecret,
        audience: LOCAL.audience,
        mcp_token_caller: DEVELOPER_ROLE,
        mcp_token_account: A,
        mcp_token_session: "alice",
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "invalid_request",
      error_description: "this client may not name a caller",
    });
    expect(stack.issuer.issued()).toBe(before);
  });

  it("shows the caller in a proxy session's whoami, and joins the MCP server's tool-call line to the broker's audit line", async () => {
    // Prepare
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [
        CLI_BUNDLE,
        "proxy",
        stack.info.mcp.url,
        "--aws-profile",
        "developer",
        "--profile",
        "per-caller",
        "--no-cache",
      ],
      env: cliEnv(stack.info),
      stderr: "pipe",
    });
    const client = new Client({ name: "per-caller-e2e", version: "1.0.0" });
    // Act
    let who: { caller?: { arn: string; account: string; session?: string }; tokenFingerprint?: string };
    try {
      await client.connect(transport);
      who = (await client.callTool({ name: "whoami", arguments: {} })).structuredContent as typeof who;
    } finally {
      await client.close();
    }
    // Assess: whoami names the caller
    expect(who.caller).toEqual({ arn: DEVELOPER_ROLE, account: A, session: "alice" });
    expect(who.tokenFingerprint).toMatch(/^[0-9a-f]{12}$/);
    // One query joins them: the tool call's fingerprint is the one the broker audited for the developer.
    const toolCall = mcpLog.find((l) => l.msg === "tool call" && l.tool === "whoami");
    expect(toolCall).toMatchObject({
      tokenFingerprint: who.tokenFingerprint,
      caller: DEVELOPER_ROLE,
      callerSession: "alice",
    });
    const audit = brokerLog.filter(
      (l) =>
        l.message === "audit" && l.profile === "per-caller" && l.tokenFingerprint === who.tokenFingerprint,
    );
    expect(audit.length).toBeGreaterThan(0);
    for (const line of audit) {
      expect(line).toMatchObject({
        principal: expect.stringContaining("AWSReservedSSO_Developer"),
        identity: "caller",
        outcome: "ok",
      });
    }
  });
});
