/**
 * Secrets hygiene of the shipped command-line paths, on the local stack (`@mcp-token/local`: broker
 * bundle in the Function URL emulator, MCP server bundle as a child, moto, testkit issuer): the CLI
 * bundle's `get`, `headers`, `doctor` and `proxy` run as child processes with `--log-level debug`;
 * every stderr line (and `doctor`'s report) is scanned for tokens, the client secret and AWS
 * secrets; the disk cache's directory and file modes are checked, including a cache that was
 * loosened by hand.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliEnv, FREE_PORTS, type LocalStack, runCli, startLocalStack } from "@mcp-token/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { secretsManagerCall } from "../../src/stack/motoCalls.js";
import { startProxy } from "../../src/stack/proxyProcess.js";

const audit = new LeakAudit("hygiene-cli");
let stack: LocalStack;
let dir: string;
const runs: { command: string; exitCode: number | null; stderrLines: number }[] = [];
const figures: Record<string, unknown> = {};

const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8).padStart(4, "0");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-token-reliability-cli-"));
  stack = await startLocalStack({
    ...FREE_PORTS,
    tokenLifetimeSeconds: 3600,
    stateDir: join(dir, "state"),
    quiet: false,
  });
  const secret = await secretsManagerCall(stack.moto.endpoint, stack.moto.region, "GetSecretValue", {
    SecretId: stack.info.secrets.secretId,
  });
  const { client_secret } = JSON.parse(String(secret.SecretString)) as { client_secret: string };
  audit.sensitive(client_secret);
  for (const id of Object.values(stack.identities)) audit.sensitive(id.secretAccessKey, id.sessionToken);
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
  const scan = audit.scan();
  writeResult("hygiene-cli", "hygiene", "test/hygiene/cli.test.ts", {
    cliRuns: runs,
    ...figures,
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

function env(cacheHome: string, profile = "developer") {
  return cliEnv(stack.info, { AWS_PROFILE: profile, XDG_CACHE_HOME: cacheHome, NO_COLOR: "1" });
}

async function cli(args: string[], e: Record<string, string>) {
  const result = await runCli([...args, "--log-level", "debug"], e, 30_000);
  audit.line(`cli-${args[0]}-stderr`, result.stderr);
  runs.push({
    command: `mcp-token ${args.join(" ")}`,
    exitCode: result.exitCode,
    stderrLines: result.stderr.split("\n").filter(Boolean).length,
  });
  return result;
}

describe("CLI secrets hygiene on the local stack", () => {
  it("get and headers print the token only on stdout, write a 0600 cache file in a 0700 directory", async () => {
    const cacheHome = join(dir, "cache-a");
    const got = await cli(["get"], env(cacheHome));
    expect(got.exitCode).toBe(0);
    const token = got.stdout.trim();
    audit.sensitive(token);
    const headers = await cli(["headers"], env(cacheHome));
    expect(headers.exitCode).toBe(0);
    const auth = (JSON.parse(headers.stdout) as Record<string, string>).Authorization ?? "";
    audit.sensitive(auth.replace(/^Bearer /, ""));
    const cacheDir = join(cacheHome, "mcp-token");
    const files = (await readdir(cacheDir)).filter((f) => f.endsWith(".json"));
    const modes = await Promise.all(files.map((f) => mode(join(cacheDir, f))));
    figures.cache = { directoryMode: await mode(cacheDir), fileModes: modes, files: files.length };
    expect(await mode(cacheDir)).toBe("0700");
    expect(files.length).toBeGreaterThan(0);
    expect(modes.every((m) => m === "0600")).toBe(true);
    expect(got.stderr).not.toContain(token);
  });

  it("ignores a cache file whose mode was loosened, and rewrites it 0600", async () => {
    const cacheHome = join(dir, "cache-a");
    const cacheDir = join(cacheHome, "mcp-token");
    const [file] = (await readdir(cacheDir)).filter((f) => f.endsWith(".json"));
    if (!file) throw new Error("no cache file");
    await chmod(join(cacheDir, file), 0o644);
    const again = await cli(["get"], env(cacheHome));
    audit.sensitive(again.stdout.trim());
    expect(again.exitCode).toBe(0);
    const after = await mode(join(cacheDir, file));
    figures.loosenedCacheFile = {
      before: "0644",
      after,
      warned: /ignor|mode|permission/i.test(again.stderr),
    };
    expect(after).toBe("0600");
  });

  it("tightens a cache directory created with a loose mode", async () => {
    const cacheHome = join(dir, "cache-b");
    await mkdir(join(cacheHome, "mcp-token"), { recursive: true, mode: 0o755 });
    await chmod(join(cacheHome, "mcp-token"), 0o755);
    const got = await cli(["get"], env(cacheHome));
    audit.sensitive(got.stdout.trim());
    expect(got.exitCode).toBe(0);
    const after = await mode(join(cacheHome, "mcp-token"));
    figures.looseCacheDirectory = { before: "0755", after };
    expect(after).toBe("0700");
  });

  it("refuses an identity that is not allowed without printing any secret", async () => {
    const denied = await cli(["get"], env(join(dir, "cache-c"), "outsider"));
    figures.outsider = { exitCode: denied.exitCode, stdoutEmpty: denied.stdout.trim() === "" };
    expect(denied.exitCode).toBe(4); // the CLI's documented "access refused by the broker"
    expect(denied.stdout.trim()).toBe("");
    expect(denied.stderr).toMatch(/access_denied|not allowed|allow/i);
  });

  it("doctor explains the setup without printing the token", async () => {
    const doctor = await cli(["doctor", stack.info.mcp.url], env(join(dir, "cache-a")));
    audit.line("cli-doctor-stdout", doctor.stdout);
    figures.doctor = {
      exitCode: doctor.exitCode,
      reportLines: doctor.stdout.split("\n").filter(Boolean).length,
    };
    expect(doctor.stdout.length + doctor.stderr.length).toBeGreaterThan(0);
  });

  it("the proxy's stdout (JSON-RPC only) and stderr (debug) carry no token", async () => {
    const proxy = startProxy({
      target: stack.info.mcp.url,
      env: env(join(dir, "cache-a")),
      audit,
      args: ["--log-level", "debug"],
      source: "cli-proxy",
    });
    const init = await proxy.request(
      {
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "h", version: "1" } },
      },
      30_000,
    );
    expect(init.result).toBeDefined();
    await proxy.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    const who = await proxy.request({ method: "tools/call", params: { name: "whoami", arguments: {} } });
    expect(JSON.stringify(who.result)).toContain("verified");
    expect(await proxy.end()).toBe(0);
    expect(proxy.violations).toEqual([]);
  });

  it("no CLI output line carries a token, the client secret or an AWS secret", () => {
    const scan = audit.scan();
    expect(scan.lines).toBeGreaterThan(10);
    expect(scan.leaks).toEqual([]);
  });
});
