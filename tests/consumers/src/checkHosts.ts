/**
 * `npm run check:hosts`: the `npm start` banner's MCP host lines, run for real, as printed. Opt-in and
 * not part of `npm test`: it needs the npm registry (node@22 and MCP Inspector v2 through npx, and
 * Claude Code when `claude` is not on PATH).
 *
 * Starts the local stack as `npm start` does (free ports, a temporary state directory), puts
 * `mcp-token` on PATH the way the banner says (`npm link -w @mcp-token/cli`, into a temporary global
 * prefix), then runs in `sh`, with this shell's environment: the banner's Inspector line and its
 * `tools/call` variant; the banner's Claude Code line and `claude mcp list` with HOME in a temporary
 * directory (Claude Code keeps its configuration there). stdout is the transcript for
 * docs/CLIENTS.md (the tools listing reduced to names, titles and annotations); progress goes to stderr.
 * Exits 1 when a line fails or does not list the tools.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FREE_PORTS, type LocalStack, renderBanner, startLocalStack } from "@mcp-token/local";
import { REPO_ROOT } from "./npmPack.js";

interface Shell {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(line: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Shell> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const say = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`check:hosts: ${text}\n`);

/** The `tools/list` answer reduced to what the transcript shows. */
function reduceTools(stdout: string): string {
  const { tools } = JSON.parse(stdout) as {
    tools: { name: string; title?: string; annotations?: unknown }[];
  };
  return JSON.stringify(
    { tools: tools.map((t) => ({ name: t.name, title: t.title, annotations: t.annotations })) },
    null,
    2,
  );
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-token-check-hosts-"));
  let stack: LocalStack | undefined;
  let failures = 0;
  const check = (ok: boolean, what: string, run: Shell) => {
    if (ok) return;
    failures++;
    note(`FAILED: ${what} (exit ${run.code})\n${run.stderr}`);
  };
  try {
    note("linking the CLI as the banner says (npm link -w @mcp-token/cli, temporary global prefix)");
    const prefix = join(dir, "prefix");
    await promisify(execFile)("npm", ["link", "-w", "@mcp-token/cli", "--no-audit", "--no-fund"], {
      cwd: REPO_ROOT,
      env: { ...process.env, npm_config_prefix: prefix },
    });
    const env = { ...process.env, PATH: `${join(prefix, "bin")}:${process.env.PATH ?? ""}` };
    note("starting the local stack");
    stack = await startLocalStack({
      ...FREE_PORTS,
      quiet: true,
      stateDir: join(dir, "state"),
    });
    const lines = renderBanner(stack.info, stack.stackFile)
      .split("\n")
      .map((l) => l.trim());
    const inspector = lines.find((l) => l.includes("@modelcontextprotocol/inspector@2 --cli "));
    const claude = lines.find((l) => l.startsWith("claude mcp add "));
    if (!inspector || !claude) throw new Error("the banner has no Inspector or Claude Code line");

    note("MCP Inspector, as printed");
    const version = await sh(
      'npx -y node@22 "$(command -v npx)" -y @modelcontextprotocol/inspector@2 --version',
      env,
      dir,
    );
    say('$ npx -y node@22 "$(command -v npx)" -y @modelcontextprotocol/inspector@2 --version');
    say(version.stdout.trim());
    const list = await sh(inspector, env, dir);
    say(`$ ${inspector}`);
    check(list.code === 0 && /"name": "add"/.test(list.stdout), "the Inspector line", list);
    say(list.code === 0 ? reduceTools(list.stdout) : list.stdout + list.stderr);
    const call = inspector.replace(
      "--method tools/list",
      "--method tools/call --tool-name add --tool-arg a=2 b=40",
    );
    const sum = await sh(call, env, dir);
    say("$ … --method tools/call --tool-name add --tool-arg a=2 b=40");
    check(sum.code === 0 && /"sum": 42/.test(sum.stdout), "the Inspector tools/call line", sum);
    say((sum.stdout + (sum.code === 0 ? "" : sum.stderr)).trim());

    note("Claude Code, as printed");
    const claudeEnv: NodeJS.ProcessEnv = {
      ...env,
      HOME: join(dir, "claude-home"),
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    };
    await mkdir(claudeEnv.HOME as string);
    if ((await sh("command -v claude", env, dir)).code !== 0) {
      note("claude is not on PATH: installing @anthropic-ai/claude-code@2 into the temporary prefix");
      const claudePrefix = join(dir, "claude");
      await promisify(execFile)(
        "npm",
        ["install", "-g", "--prefix", claudePrefix, "--no-audit", "--no-fund", "@anthropic-ai/claude-code@2"],
        {
          env: process.env,
        },
      );
      claudeEnv.PATH = `${join(claudePrefix, "bin")}:${claudeEnv.PATH}`;
    }
    const claudeVersion = await sh("claude --version", claudeEnv, dir);
    say("$ claude --version");
    say(claudeVersion.stdout.trim());
    const add = await sh(claude, claudeEnv, dir);
    say(`$ ${claude}`);
    check(add.code === 0, "the Claude Code line", add);
    say((add.stdout + add.stderr).trim());
    const mcpList = await sh("claude mcp list", claudeEnv, dir);
    say("$ claude mcp list");
    check(/mcp-token-local: .*Connected/.test(mcpList.stdout), "claude mcp list", mcpList);
    say((mcpList.stdout + mcpList.stderr).trim());
  } finally {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  }
  note(failures === 0 ? "every printed host line worked" : `${failures} line(s) failed`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    note(`internal error: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
