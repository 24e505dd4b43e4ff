/**
 * `mcp-token proxy` as a child process (the built CLI bundle), driven over stdio like an MCP host
 * drives it: JSON-RPC lines in, JSON-RPC lines out. Every stdout line must be a JSON-RPC message;
 * anything else is recorded as a protocol violation. stderr goes to the log audit. Optionally the
 * child runs with a heap probe (see heapProbe.mjs) so its heap can be read after a full collection.
 */
import { CLI_BUNDLE } from "@mcp-token/local";
import type { LeakAudit } from "../audit/leakAudit.js";
import { spawnTracked, type TrackedChild } from "./processes.js";

const PROBE = new URL("./heapProbe.mjs", import.meta.url).href;

/** A JSON-RPC message as the proxy writes it. */
export interface RpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** The running proxy. */
export interface ProxyProcess {
  tracked: TrackedChild;
  /** Sends a request with a fresh numeric id; resolves with its response (rejects after `timeoutMs`). */
  request(message: { method: string; params?: unknown }, timeoutMs?: number): Promise<RpcMessage>;
  /** Resolves with the message that carries `id` (register before writing the request). */
  awaitId(id: string | number, timeoutMs?: number): Promise<RpcMessage>;
  /** Writes raw bytes to stdin. */
  write(data: string | Buffer): Promise<void>;
  /** Messages with no pending request (id null, notifications, unknown ids), in arrival order. */
  unmatched: RpcMessage[];
  /** stdout lines that were not JSON-RPC messages (must stay empty). */
  violations: string[];
  /** Number of stdout lines seen. */
  lines(): number;
  /** Heap in bytes after a full collection (needs `heapProbe`). */
  heap(timeoutMs?: number): Promise<number>;
  /** Closes stdin and waits for a clean exit; resolves with the exit code. */
  end(timeoutMs?: number): Promise<number | string>;
}

/** Starts `mcp-token proxy <target> [args]` with `env` (the environment is exactly `env`). */
export function startProxy(opts: {
  target: string;
  env: Record<string, string>;
  audit: LeakAudit;
  args?: string[];
  heapProbe?: boolean;
  source?: string;
}): ProxyProcess {
  const nodeArgs = opts.heapProbe ? ["--expose-gc", "--import", PROBE] : [];
  let nextId = 1;
  const pending = new Map<string | number, (m: RpcMessage) => void>();
  const unmatched: RpcMessage[] = [];
  const violations: string[] = [];
  const heapWaiters: ((n: number) => void)[] = [];
  let lineCount = 0;
  const source = opts.source ?? "proxy";
  const stderr = opts.audit.writer(`${source}-stderr`);
  const tracked = spawnTracked(
    process.execPath,
    [...nodeArgs, CLI_BUNDLE, "proxy", opts.target, ...(opts.args ?? [])],
    {
      env: opts.env,
      audit: opts.audit,
      source,
      stdin: true,
      ownStdout: true,
    },
  );
  // stderr: the heap probe's lines are answers, everything else is a log line for the audit.
  tracked.child.stderr?.removeAllListeners("data");
  let errPending = "";
  tracked.child.stderr?.on("data", (chunk: Buffer) => {
    errPending += chunk.toString("utf8");
    let nl = errPending.indexOf("\n");
    while (nl >= 0) {
      const line = errPending.slice(0, nl);
      errPending = errPending.slice(nl + 1);
      const probe = /^\[heap-probe\] (\d+)$/.exec(line);
      if (probe) heapWaiters.shift()?.(Number(probe[1]));
      else stderr.write(`${line}\n`);
      nl = errPending.indexOf("\n");
    }
  });
  const out = opts.audit.writer(`${source}-stdout`);
  let outPending = "";
  tracked.child.stdout?.on("data", (chunk: Buffer) => {
    out.write(chunk);
    outPending += chunk.toString("utf8");
    let nl = outPending.indexOf("\n");
    while (nl >= 0) {
      const line = outPending.slice(0, nl);
      outPending = outPending.slice(nl + 1);
      lineCount++;
      let message: RpcMessage | undefined;
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === "object" && parsed !== null && (parsed as RpcMessage).jsonrpc === "2.0") {
          message = parsed as RpcMessage;
        }
      } catch {
        // not JSON
      }
      if (!message) violations.push(line.slice(0, 300));
      else {
        const waiter = message.id !== undefined && message.id !== null ? pending.get(message.id) : undefined;
        if (waiter && message.id !== undefined && message.id !== null) {
          pending.delete(message.id);
          waiter(message);
        } else unmatched.push(message);
      }
      nl = outPending.indexOf("\n");
    }
  });
  tracked.child.stdin?.on("error", () => {
    // the child went away; pending requests time out
  });

  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) => {
      const stdin = tracked.child.stdin;
      if (!stdin || stdin.destroyed) {
        reject(new Error("proxy stdin is closed"));
        return;
      }
      stdin.write(data, (error) => (error ? reject(error) : resolve()));
    });

  return {
    tracked,
    unmatched,
    violations,
    lines: () => lineCount,
    write,
    awaitId(id, timeoutMs = 15_000) {
      return new Promise<RpcMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no message with id ${JSON.stringify(id)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
    request(message, timeoutMs = 15_000) {
      const id = nextId++;
      return new Promise<RpcMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no answer to ${message.method} #${id} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        write(`${JSON.stringify({ jsonrpc: "2.0", id, ...message })}\n`).catch((error: unknown) => {
          clearTimeout(timer);
          pending.delete(id);
          reject(error);
        });
      });
    },
    heap(timeoutMs = 5000) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no heap probe answer")), timeoutMs);
        heapWaiters.push((n) => {
          clearTimeout(timer);
          resolve(n);
        });
        tracked.child.kill("SIGUSR2");
      });
    },
    async end(timeoutMs = 5000) {
      tracked.child.stdin?.end();
      const timer = setTimeout(() => tracked.child.kill("SIGKILL"), timeoutMs);
      const code = await tracked.exited;
      clearTimeout(timer);
      stderr.end();
      out.end();
      return code;
    },
  };
}
