import { type ChildProcess, spawn } from "node:child_process";
import { BUNDLE } from "./stack.js";

/** What a finished CLI process left behind. */
export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `mcp-token` bundle as a child process. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  input?: string,
  bundle = BUNDLE,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Spawns the bundle with pipes left open (for the proxy). */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BUNDLE, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
}

/** Whether a process id is still alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
