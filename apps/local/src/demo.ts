/**
 * `npm run demo`: brings the local stack up, then drives the real CLI and proxy the way a person and an
 * agent would, prints each step's outcome, tears everything down, and exits 0 only if every step behaved
 * as expected (including the denial). Tokens are never printed: the demo shows their claims.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectToken } from "@mcp-token/core";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { CLI_BUNDLE } from "./paths.js";
import { cliEnv, runCli } from "./runCli.js";
import { FREE_PORTS, type LocalStack, startLocalStack } from "./stack.js";

/** Token lifetime for the demo: short, so that one expiry happens mid-session. */
export const DEMO_TOKEN_LIFETIME_SECONDS = 4;

interface StepResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** Runs the demo; returns every step's result. `log` receives the transcript lines. */
export async function runDemo(
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const record = (r: StepResult) => {
    results.push(r);
    log(`${r.ok ? "✓" : "✗"} ${r.name}\n    ${r.detail.split("\n").join("\n    ")}`);
  };
  const step = async (name: string, run: () => Promise<string>) => {
    try {
      record({ name, ok: true, detail: await run() });
    } catch (e) {
      record({ name, ok: false, detail: (e as Error).message });
    }
  };

  const stateDir = await mkdtemp(join(tmpdir(), "mcp-token-demo-"));
  const home = await mkdtemp(join(tmpdir(), "mcp-token-demo-home-"));
  let stack: LocalStack | undefined;
  try {
    log(
      "Starting the local stack (issuer, Secrets Manager on moto, broker bundle in the Function URL emulator, MCP server)…",
    );
    stack = await startLocalStack({
      ...FREE_PORTS,
      tokenLifetimeSeconds: DEMO_TOKEN_LIFETIME_SECONDS,
      stateDir,
      quiet: true,
      onProgress: (s) => log(`  ✓ ${s.component} ${s.url}`),
    });
    const info = stack.info;
    const env = cliEnv(info, { XDG_CACHE_HOME: join(home, "cache"), HOME: home });
    const mcpUrl = info.mcp.url;

    await step("doctor as developer (SSO role session)", async () => {
      const r = await runCli(["doctor", mcpUrl, "--aws-profile", "developer", "--min-ttl", "1"], env);
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}\n${r.stderr.trim()}\n${r.stdout.trim()}`);
      return (r.stdout + r.stderr).trim();
    });

    await step("get as agent (assumed role)", async () => {
      const r = await runCli(["get", "--aws-profile", "agent", "--min-ttl", "1"], env);
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      const s = inspectToken(r.stdout.trim());
      if (!s.audience.includes(info.issuer.audiences.default))
        throw new Error(`unexpected audience ${s.audience.join(",")}`);
      return `a token for ${s.audience.join(",")} from ${s.issuer}, client_id ${s.clientId}, scopes "${s.scopes.join(" ")}", ${s.lifetimeSeconds} s lifetime (profile ${s.profile}); the token itself is not shown`;
    });

    await step("get as outsider (IAM user not in allow): denied", async () => {
      const r = await runCli(["get", "--aws-profile", "outsider", "--min-ttl", "1"], env);
      if (r.exitCode === 0) throw new Error("the outsider got a token");
      if (!/access_denied/.test(r.stderr))
        throw new Error(`expected access_denied, got exit ${r.exitCode}: ${r.stderr.trim()}`);
      return `exit ${r.exitCode}: ${r.stderr.trim()}`;
    });

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_BUNDLE, "proxy", mcpUrl, "--aws-profile", "developer", "--min-ttl", "1"],
      env,
      stderr: "pipe",
    });
    const client = new Client({ name: "mcp-token-demo", version: "0.1.0" });
    try {
      let firstExpiry = 0;
      await step("MCP session through `mcp-token proxy`: initialize, tools/list, whoami, add", async () => {
        await client.connect(transport);
        const tools = await client.listTools();
        const who = whoamiOf(await client.callTool({ name: "whoami", arguments: {} }));
        const sum = textOf(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } }));
        if (!/\b5\b/.test(sum)) throw new Error(`add(2, 3) returned ${sum}`);
        firstExpiry = Date.parse(who.expiresAt ?? "");
        return `tools: ${tools.tools.map((t) => t.name).join(", ")}\nwhoami: client ${who.clientId} (${who.clientIdClaim}), scopes ${JSON.stringify(who.scopes)}, ${who.expiresInSeconds} s left\nadd(2, 3) = ${sum}`;
      });

      await step(
        `token expiry survived mid-session (lifetime ${DEMO_TOKEN_LIFETIME_SECONDS} s)`,
        async () => {
          await new Promise((r) => setTimeout(r, (DEMO_TOKEN_LIFETIME_SECONDS + 1) * 1000));
          const who = whoamiOf(await client.callTool({ name: "whoami", arguments: {} }));
          const expiry = Date.parse(who.expiresAt ?? "");
          if (!(expiry > firstExpiry))
            throw new Error(`the proxy did not move to a new token (expiry ${who.expiresAt})`);
          return `after the first token expired, whoami still answered with a new token (${who.expiresInSeconds} s left); no call failed`;
        },
      );
    } finally {
      await client.close().catch(() => {});
    }
  } catch (e) {
    record({ name: "local stack", ok: false, detail: (e as Error).message });
  } finally {
    await stack?.close();
    await rm(stateDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
    log("Local stack stopped.");
  }
  return results;
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}

interface Whoami {
  clientId?: string;
  clientIdClaim?: string;
  scopes?: string[];
  expiresInSeconds?: number;
  expiresAt?: string;
}

function whoamiOf(result: unknown): Whoami {
  const structured = (result as { structuredContent?: unknown }).structuredContent;
  if (structured && typeof structured === "object") return structured as Whoami;
  return JSON.parse(textOf(result)) as Whoami;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "\0");
if (isMain) {
  runDemo().then(
    (results) => {
      const failed = results.filter((r) => !r.ok);
      process.stdout.write(
        failed.length === 0
          ? `\nDemo passed: ${results.length} steps behaved as expected.\n`
          : `\nDemo FAILED: ${failed.map((r) => r.name).join("; ")}\n`,
      );
      process.exit(failed.length === 0 ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
