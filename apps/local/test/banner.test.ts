/**
 * Every `mcp-token` command the `npm start` banner prints, run as printed against the running stack:
 * the shell lines after the banner's exports, the Claude Code line's stdio command with only its `-e`
 * variables, and the MCP Inspector line's stdio command with only the environment the Inspector passes
 * (the MCP SDK's default inherited variables plus its `-e` variables). `mcp-token` comes from PATH, put
 * there the way the banner says: `npm link -w @mcp-token/cli` (into a temporary global prefix).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBanner } from "../src/banner.js";
import { REPO_ROOT } from "../src/paths.js";
import { FREE_PORTS, type LocalStack, startLocalStack } from "../src/stack.js";

let stack: LocalStack;
let banner: string;
let dir: string;
let pathWithLink: string;
let home: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-token-banner-test-"));
  home = join(dir, "home");
  // The banner's instruction, with a throwaway global prefix instead of the user's.
  await promisify(execFile)("npm", ["link", "-w", "@mcp-token/cli", "--offline", "--no-audit", "--no-fund"], {
    cwd: REPO_ROOT,
    env: { ...process.env, npm_config_prefix: join(dir, "prefix") },
  });
  pathWithLink = `${join(dir, "prefix", "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  stack = await startLocalStack({
    ...FREE_PORTS,
    quiet: true,
    stateDir: join(dir, "state"),
  });
  banner = renderBanner(stack.info, stack.stackFile);
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The banner's command lines: the indented ones, as a user copies them. */
const lines = () =>
  banner
    .split("\n")
    .filter((l) => l.startsWith("  "))
    .map((l) => l.trim());
/** The lines that run `mcp-token` in a shell. */
const shellLines = () => lines().filter((l) => l.startsWith("mcp-token "));

/** Runs one printed line in `sh` after the printed exports, with nothing else from this process. */
function runShell(line: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = [...lines().filter((l) => l.startsWith("export ")), line].join("\n");
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", script], {
      env: { PATH: pathWithLink, HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `-e KEY=VALUE` pairs and the words after them, from a whitespace-separated command line. */
function envFlags(words: string[]): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  let i = 0;
  while (words[i] === "-e") {
    const [key, ...value] = (words[i + 1] ?? "").split("=");
    env[key as string] = value.join("=");
    i += 2;
  }
  return { env, rest: words.slice(i) };
}

/** Connects an MCP client to a stdio command the way hosts do and lists the tools. */
async function listToolsOver(command: string[], env: Record<string, string>): Promise<string[]> {
  const [cmd, ...args] = command;
  const transport = new StdioClientTransport({
    command: cmd as string,
    args,
    // The SDK adds its default inherited variables (HOME, PATH, …) from this process: HOME and PATH
    // are set to what a user with the linked CLI has.
    env: { ...env, HOME: home, PATH: pathWithLink },
    stderr: "pipe",
  });
  const client = new Client({ name: "banner-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

describe("npm start banner", () => {
  it("prints `mcp-token` commands, not a path to the bundle", () => {
    expect(banner).not.toMatch(/dist\/mcp-token\.mjs|node \S*packages\/cli/);
    expect(shellLines().length).toBeGreaterThanOrEqual(3);
    expect(banner).toContain("npm link -w @mcp-token/cli");
  });

  it("every shell line works as printed after the printed exports", async () => {
    for (const line of shellLines()) {
      // Act
      const { code, stdout, stderr } = await runShell(line);
      // Assess: a line marked "denied" is refused with exit 4; every other line succeeds
      if (line.includes("# denied")) {
        expect(code, `${line}\n${stderr}`).toBe(4);
        expect(stderr).toContain("access_denied");
        expect(stdout).toBe("");
      } else {
        expect(code, `${line}\n${stderr}`).toBe(0);
        if (/^mcp-token get\b/.test(line)) expect(stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
        if (/^mcp-token doctor\b/.test(line)) expect(stdout).toContain("All checks passed.");
      }
    }
  });

  it("the Claude Code line's stdio server lists the tools with only its -e variables", async () => {
    // Prepare: `claude mcp add <name> -e K=V … -- <command>`
    const line = lines().find((l) => l.startsWith("claude mcp add ")) as string;
    const [before, after] = line.split(" -- ");
    const { env } = envFlags((before as string).split(/\s+/).slice(4));
    // Act
    const tools = await listToolsOver((after as string).split(/\s+/), env);
    // Assess
    expect(tools).toEqual(["add", "whoami"]);
  });

  it("the MCP Inspector line's stdio server lists the tools with only the Inspector's environment", async () => {
    // Prepare: `… inspector@2 --cli -e K=V … <command> --method tools/list`
    const line = lines().find((l) => l.includes("@modelcontextprotocol/inspector@2 --cli ")) as string;
    const afterCli = (line.split(" --cli ")[1] as string).split(/\s+/);
    const { env, rest } = envFlags(afterCli);
    const command = rest.slice(0, rest.indexOf("--method"));
    expect(rest.slice(rest.indexOf("--method"))).toEqual(["--method", "tools/list"]);
    expect(command[0]).toBe("mcp-token");
    // Act
    const tools = await listToolsOver(command, env);
    // Assess
    expect(tools).toEqual(["add", "whoami"]);
  });
});
