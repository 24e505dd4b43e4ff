/**
 * `node:http` hosting of the web-standard core: listening, request logs, body bound, graceful
 * shutdown. `main.ts` wires it to the environment and to SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { finished } from "node:stream/promises";
import { hostHeaderValidation, originValidation } from "@modelcontextprotocol/node";
import {
  createMcpServerApp,
  type HandledRequest,
  type McpServerApp,
  type McpServerAppOptions,
  PING_PATH,
} from "./app.js";
import { ENV, loadConfig, type ServerConfig } from "./config.js";
import { readNodeBody, toWebRequest, writeWebResponse } from "./http/node.js";
import { JSONRPC_ERRORS, jsonRpcErrorResponse } from "./http/responses.js";
import { createLogger, type Logger } from "./log.js";

/** Largest request header section accepted, in bytes (Node's default is 16 KiB; a 16 KB token must reach auth to get a 401). */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Headers whose presence (never value) is logged. */
const SESSION_HEADERS = ["mcp-session-id", "x-amzn-bedrock-agentcore-runtime-session-id"] as const;

export interface StartServerOptions extends McpServerAppOptions {
  /** Default: `loadConfig(process.env)`. */
  config?: ServerConfig;
  /** Overrides `config.port`; `0` picks a free port. */
  port?: number;
  /** Overrides `config.host`. */
  host?: string;
  /** Default: JSON lines on stderr at `config.logLevel`. */
  logger?: Logger;
}

/** A listening server. */
export interface RunningServer {
  /** Connectable base URL, e.g. `http://127.0.0.1:8000` (an unspecified bind address shows as 127.0.0.1). */
  url: string;
  /** `${url}/mcp`. */
  mcpUrl: string;
  port: number;
  host: string;
  app: McpServerApp;
  server: Server;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open connections with
   * 503, lets in-flight requests finish (up to `config.shutdownTimeoutMs`), then closes everything.
   * Idempotent.
   */
  close(): Promise<void>;
}

function connectableHost(address: string): string {
  if (address === "0.0.0.0" || address === "::") return "127.0.0.1";
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * Starts the MCP server on `node:http`.
 *
 * @example
 * ```ts
 * const running = await startServer({ config: loadConfig({ MCP_AUTH: "none", PORT: "0", HOST: "127.0.0.1" }) });
 * console.log(running.mcpUrl);
 * await running.close();
 * ```
 */
export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const app = createMcpServerApp(config, { ...opts, logger });
  // DNS-rebinding protection (the SDK's guards), whatever the bind address: a web page must not reach
  // the tools through a hostile DNS name that resolves to this server, which matters most where the
  // server checks no token (agentcore, none). Loopback names are always allowed; MCP_ALLOWED_HOSTS
  // adds names, or `*` turns the guard off (inside AgentCore Runtime, whose Host is not documented).
  const guard = config.hostGuard;
  const validateHost = guard.mode === "on" ? hostHeaderValidation(guard.hostnames) : undefined;
  const validateOrigin = guard.mode === "on" ? originValidation(guard.hostnames) : undefined;
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let handled: HandledRequest | undefined;
    let status = 500;
    inFlight++;
    try {
      const closeHeader: Record<string, string> = draining ? { connection: "close" } : {};
      if (draining) {
        handled = {
          response: jsonRpcErrorResponse(503, JSONRPC_ERRORS.serverError, "Server is shutting down; retry.", {
            "retry-after": "1",
          }),
        };
      } else {
        let body: Buffer | undefined;
        if (req.method !== "GET" && req.method !== "HEAD") {
          body = await readNodeBody(req, config.maxBodyBytes);
          if (body === undefined) {
            handled = {
              response: jsonRpcErrorResponse(
                413,
                JSONRPC_ERRORS.invalidRequest,
                `Request body exceeds ${config.maxBodyBytes} bytes.`,
              ),
            };
            closeHeader.connection = "close";
          }
        }
        if (!handled) {
          const abort = new AbortController();
          res.once("close", () => {
            if (!res.writableFinished) abort.abort();
          });
          handled = await app.handle(toWebRequest(req, body, abort.signal), {
            peerAddress: req.socket.remoteAddress,
          });
        }
      }
      if (draining) closeHeader.connection = "close";
      status = handled.response.status;
      await writeWebResponse(res, handled.response, closeHeader);
      if (!res.writableFinished) await finished(res).catch(() => {});
    } catch (e) {
      logger.error("request failed", { path, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) {
        await writeWebResponse(res, jsonRpcErrorResponse(500, -32603, "Internal error.")).catch(() => {});
      } else {
        res.destroy();
      }
    } finally {
      inFlight--;
      logger.info("request", {
        method: req.method,
        path,
        status,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        auth: handled?.auth,
        authReason: handled?.authReason,
        clientId: handled?.clientId,
        tokenFingerprint: handled?.tokenFingerprint,
        caller: handled?.caller,
        callerSession: handled?.callerSession,
        sessionId: SESSION_HEADERS.some((h) => req.headers[h] !== undefined),
      });
      if (draining && inFlight === 0) onIdle?.();
    }
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    // GET /ping carries nothing and changes nothing, so orchestrators may probe it by IP address.
    if (!isHealthCheck(req)) {
      if (validateHost && !validateHost(req, res)) return logRejected(req, "host");
      if (validateOrigin && !validateOrigin(req, res)) return logRejected(req, "origin");
    }
    void serve(req, res);
  });
  const logRejected = (req: IncomingMessage, check: "host" | "origin") =>
    logger.warn("request rejected", {
      method: req.method,
      path: (req.url ?? "/").split("?")[0],
      status: 403,
      check,
      // The refused name (not a secret) tells the operator what to add to MCP_ALLOWED_HOSTS.
      refused: printable(check === "host" ? req.headers.host : req.headers.origin),
      fix: `add the host name to ${ENV.allowedHosts} (comma-separated), or set ${ENV.allowedHosts}=* where only a trusted proxy reaches the port`,
    });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? config.port, opts.host ?? config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${connectableHost(address.address)}:${address.port}`;
  void app.warmUp();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const until = async (done: Promise<void>) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        });
        await Promise.race([done, timeout]);
        clearTimeout(timer);
      };
      if (inFlight > 0) {
        await until(
          new Promise<void>((resolve) => {
            onIdle = resolve;
          }),
        );
      }
      server.closeIdleConnections();
      await until(closed);
      server.closeAllConnections();
      await closed;
      await app.close();
    })();
    return closing;
  };

  return {
    url,
    mcpUrl: `${url}/mcp`,
    port: address.port,
    host: address.address,
    app,
    server,
    inFlight: () => inFlight,
    close,
  };
}

function isHealthCheck(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && (req.url ?? "").split("?")[0] === PING_PATH;
}

/** A header value fit for a log line: printable ASCII, at most 200 characters. */
function printable(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}
