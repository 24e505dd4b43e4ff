/**
 * Child processes started by the suites: each one's stdout/stderr lines go to a {@link LeakAudit},
 * and every child still running when this process exits is killed (a last resort; suites stop their
 * children in `afterAll`, also on failure).
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { LeakAudit } from "../audit/leakAudit.js";

const running = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** A tracked child. */
export interface TrackedChild {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the child has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3000); resolves once it exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now; resolves once it exited. */
  kill(): Promise<void>;
}

/** Options of {@link spawnTracked}. */
export interface SpawnOptions {
  env: Record<string, string | undefined>;
  audit: LeakAudit;
  /** Source name for the audit (`<source>-stdout`, `<source>-stderr`). */
  source: string;
  /** Keep stdin open as a pipe (default: ignored). */
  stdin?: boolean;
  /** Do not capture stdout (the caller reads it itself). */
  ownStdout?: boolean;
  /** Called with every complete stdout line (when stdout is captured). */
  onStdoutLine?: (line: string) => void;
}

/** Spawns `command args` with captured output and exit tracking. */
export function spawnTracked(command: string, args: string[], opts: SpawnOptions): TrackedChild {
  hookExit();
  const child = spawn(command, args, {
    env: opts.env as NodeJS.ProcessEnv,
    stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", () => {
      running.delete(child);
      resolve("spawn-error");
    });
  });
  const err = opts.audit.writer(`${opts.source}-stderr`);
  child.stderr?.on("data", (c: Buffer) => err.write(c));
  child.stderr?.on("end", () => err.end());
  if (!opts.ownStdout) {
    const out = opts.audit.writer(`${opts.source}-stdout`);
    let pending = "";
    child.stdout?.on("data", (c: Buffer) => {
      out.write(c);
      if (opts.onStdoutLine) {
        pending += c.toString("utf8");
        let nl = pending.indexOf("\n");
        while (nl >= 0) {
          opts.onStdoutLine(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
          nl = pending.indexOf("\n");
        }
      }
    });
    child.stdout?.on("end", () => out.end());
  }
  let stopping: Promise<void> | undefined;
  const done = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    exited,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (done()) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
    async kill() {
      if (!done()) child.kill("SIGKILL");
      await exited;
    },
  };
}
