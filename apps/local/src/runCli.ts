/** Runs the real `mcp-token` CLI bundle as a child process, as a person would from a shell. */
import { spawn } from "node:child_process";
import { CLI_BUNDLE } from "./paths.js";
import type { StackInfo } from "./stack.js";

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a user gets after copying the banner's exports: the local broker URL and AWS files,
 * and none of this process's AWS variables (which point the in-process broker at moto).
 */
export function cliEnv(info: StackInfo, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !k.startsWith("AWS_") &&
      !k.startsWith("MCP_TOKEN_") &&
      !k.startsWith("POWERTOOLS_")
    ) {
      env[k] = v;
    }
  }
  return { ...env, ...info.env, ...extra };
}

/** Runs `mcp-token <args>`; resolves with exit code and both streams (bounded to 64 KB each). */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<CliResult> {
  return await new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout = (stdout + c.toString("utf8")).slice(-65_536);
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString("utf8")).slice(-65_536);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
