/**
 * Child processes for benchmarks: a clean environment, node workers that report over a pipe (fd 3,
 * one JSON object per line) while their stdout is discarded, and wall-clock timing of short commands.
 * Every child is registered with a {@link Scope} and, as a last resort, killed when this process exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Scope } from "./scope.js";

/** The bench workspace directory (bench/). */
export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const live = new Set<ChildProcess>();
let exitHook = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

/**
 * This process's environment without the variables that would point a child at the wrong AWS or
 * broker (`AWS_*`, `MCP_TOKEN_*`, `POWERTOOLS_*`; the local stack sets some of them in-process),
 * plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(AWS_|MCP_TOKEN_|POWERTOOLS_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** A running node worker. */
export interface NodeWorker {
  child: ChildProcess;
  /** The next JSON message the worker wrote to fd 3; rejects when it exits first or after `timeoutMs`. */
  next<T>(timeoutMs?: number): Promise<T>;
  /** The last 8 KB of its stderr. */
  stderr(): string;
  /**
   * Waits up to `graceMs` (default 0) for the worker to exit by itself, then SIGTERM, then SIGKILL
   * after 3 s; resolves once it exited. Idempotent.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Options for {@link startNodeWorker}. */
export interface NodeWorkerOptions {
  env: Record<string, string>;
  /** Extra node flags before the script, e.g. `["--import", "tsx"]`. */
  nodeArgs?: string[];
  /** Where stdout goes; default discarded. */
  stdout?: "ignore" | "inherit";
  /** Where stderr goes; default captured (last 8 KB, for error messages). */
  stderr?: "ignore" | "pipe";
}

/**
 * Starts `node <nodeArgs> <script> <args>` with stdin closed, stdout discarded, stderr captured and
 * fd 3 as the result pipe. The worker is stopped when `scope` closes. With `BENCH_CPU_PROF=<dir>` in
 * the runner's environment, workers write V8 CPU profiles there (to investigate a missed target).
 */
export function startNodeWorker(
  scope: Scope,
  script: string,
  args: string[],
  opts: NodeWorkerOptions,
): NodeWorker {
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...(opts.nodeArgs ?? []), script, ...args], {
    cwd: BENCH_DIR,
    env: opts.env,
    stdio: ["ignore", opts.stdout ?? "ignore", opts.stderr ?? "pipe", "pipe"],
  });
  track(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-8192);
  });
  const queue: unknown[] = [];
  const waiters: { resolve: (m: unknown) => void; reject: (e: Error) => void }[] = [];
  let ended: Error | undefined;
  let buffered = "";
  const results = child.stdio[3] as NodeJS.ReadableStream | null;
  results?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() === "") continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(message);
      else queue.push(message);
    }
  });
  const exited = new Promise<void>((resolveExit) => {
    const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
      ended = new Error(
        `worker ${script} exited (code ${code}, signal ${signal})${stderr ? `: ${lastLines(stderr)}` : ""}`,
      );
      for (const w of waiters.splice(0)) w.reject(ended);
      resolveExit();
    };
    child.once("exit", onEnd);
    child.once("error", (error) => {
      ended = error;
      for (const w of waiters.splice(0)) w.reject(error);
      resolveExit();
    });
  });
  let stopping: Promise<void> | undefined;
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = (graceMs = 0) => {
    stopping ??= (async () => {
      if (running() && graceMs > 0) {
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (grace = setTimeout(r, graceMs)))]);
        clearTimeout(grace);
      }
      if (running()) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopping;
  };
  scope.defer(() => stop());
  return {
    child,
    stderr: () => stderr,
    stop,
    next<T>(timeoutMs = 60_000): Promise<T> {
      if (queue.length > 0) return Promise.resolve(queue.shift() as T);
      if (ended) return Promise.reject(ended);
      return new Promise<T>((resolveNext, rejectNext) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          rejectNext(new Error(`worker ${script} sent nothing within ${timeoutMs} ms: ${lastLines(stderr)}`));
        }, timeoutMs);
        const waiter = {
          resolve: (m: unknown) => {
            clearTimeout(timer);
            resolveNext(m as T);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            rejectNext(e);
          },
        };
        waiters.push(waiter);
      });
    },
  };
}

/**
 * Wall time in milliseconds from spawning `node <args>` to its exit (stdio discarded). Rejects on a
 * non-zero exit or after `timeoutMs` (the child is killed).
 */
export function timeNode(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<number> {
  return new Promise<number>((resolveTime, rejectTime) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: BENCH_DIR, env, stdio: ["ignore", "ignore", "pipe"] });
    track(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4096);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      rejectTime(error);
    });
    child.once("exit", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (code === 0) resolveTime(ms);
      else
        rejectTime(
          new Error(
            `node ${args.join(" ").slice(0, 120)} failed (code ${code}, signal ${signal}): ${lastLines(stderr)}`,
          ),
        );
    });
  });
}

/**
 * Runs `node <args>` once with stdout and stderr captured (their last 256 KB each), for checking what a
 * process printed; resolves with its exit code, or rejects after `timeoutMs` (the child is killed).
 */
export function runNodeCaptured(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, args, { cwd: BENCH_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString("utf8")).slice(-262_144);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-262_144);
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      rejectRun(new Error(`node ${args.join(" ").slice(0, 120)} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      rejectRun(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** The last three lines of some output, trimmed, for error messages. */
export function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" | ").slice(0, 600);
}
