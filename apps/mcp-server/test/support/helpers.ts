import { type Logger, loadConfig, type ServerConfig } from "../../src/index.js";

/** Headers a Streamable HTTP POST needs. */
export const MCP_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
} as const;

/** A 2025-era `initialize` request (legacy stateless path). */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1.0.0" } },
} as const;

/** POSTs a JSON-RPC message to the MCP endpoint. */
export function postMcp(
  url: string,
  body: unknown = INITIALIZE,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { ...MCP_HEADERS, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A `jwt`-mode configuration on a free loopback port. */
export function jwtConfig(discoveryUrl: string, env: Record<string, string> = {}): ServerConfig {
  return loadConfig({
    MCP_AUTH: "jwt",
    PORT: "0",
    HOST: "127.0.0.1",
    AUTH_DISCOVERY_URL: discoveryUrl,
    LOG_LEVEL: "silent",
    ...env,
  });
}

/** A configuration for `agentcore` or `none` mode on a free loopback port. */
export function plainConfig(mode: "agentcore" | "none", env: Record<string, string> = {}): ServerConfig {
  return loadConfig({ MCP_AUTH: mode, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env });
}

/** A logger that keeps every entry in memory. */
export function memoryLogger(): { logger: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const push = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void entries.push({ level, msg, ...fields });
  return {
    entries,
    logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") },
  };
}

/** A clock tests move by hand (epoch ms). */
export function manualClock(startMs = Date.now()): {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
} {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** The JSON-RPC message of a Streamable HTTP response, whether JSON or a one-event SSE stream. */
export async function readRpc(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const data = text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice(6))
      .pop();
    return JSON.parse(data ?? "null") as Record<string, unknown>;
  }
  return JSON.parse(text) as Record<string, unknown>;
}

/** A `tools/call` request. */
export function toolCall(name: string, args: Record<string, unknown> = {}, id = 7): Record<string, unknown> {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}
