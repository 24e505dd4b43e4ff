/**
 * The web-standard core of the server: `(Request) => Promise<Response>` for routing and auth, in
 * front of the MCP SDK's per-request handler. `server.ts` adapts it to `node:http` once.
 *
 * Routes:
 * - `POST /mcp` (also `/mcp/`, which AgentCore's health probe is reported to use) — MCP Streamable
 *   HTTP, stateless (a fresh server and transport per request), after auth. A plain `ping` is answered
 *   here for health probes: always in `agentcore`/`none` mode, in `jwt` mode without a token only when
 *   `MCP_ALLOW_UNAUTHENTICATED_PING` allows it (`auth/healthPing.ts`).
 * - `GET|DELETE|… /mcp` — 405 (no sessions, no standalone SSE stream).
 * - `GET /ping` — `{"status":"Healthy"}` (AgentCore's health contract), no auth.
 * - `GET /.well-known/oauth-protected-resource[/mcp]` — RFC 9728 metadata (`jwt` mode).
 */

import { type Clock, systemClock } from "@mcp-token/core";
import { createMcpHandler, type McpHttpHandler } from "@modelcontextprotocol/server";
import { createAgentCoreAuthenticator } from "./auth/agentcore.js";
import { type RequestAuth, toAuthInfo } from "./auth/authInfo.js";
import { authErrorResponse, PROTECTED_RESOURCE_METADATA_PATH } from "./auth/challenge.js";
import type { FetchLike } from "./auth/discovery.js";
import { isAuthError } from "./auth/errors.js";
import { answerHealthPing, mayAnswerPing } from "./auth/healthPing.js";
import { createJwtAuthenticator } from "./auth/jwt.js";
import { createNoAuthenticator } from "./auth/none.js";
import type { Authenticator, AuthOutcome } from "./auth/types.js";
import type { ServerConfig } from "./config.js";
import { JSONRPC_ERRORS, jsonResponse, jsonRpcErrorResponse } from "./http/responses.js";
import { type Logger, silentLogger } from "./log.js";
import { createMcpServerFactory } from "./mcp/factory.js";
import { tools as defaultTools } from "./tools/index.js";
import type { ToolModule } from "./tools/types.js";

/** Path of the MCP endpoint. */
export const MCP_PATH = "/mcp";
/** Path of the health check. */
export const PING_PATH = "/ping";

/** Options of {@link createMcpServerApp}; every one has a production default. */
export interface McpServerAppOptions {
  /** Time source (epoch ms) for token checks and `whoami`; default the system clock. */
  clock?: Clock;
  /** `fetch` for discovery and JWKS; default global `fetch`. */
  fetch?: FetchLike;
  /** Default: silent (the node adapter logs requests). */
  logger?: Logger;
  /** Tools to serve; default every tool of `src/tools/index.ts`. Tests add test-only tools here. */
  tools?: readonly ToolModule[];
  /** JWKS cache tuning (jwt mode); defaults are jose's (cooldown 30 s, max age 10 min). */
  jwks?: { cooldownMs?: number; cacheMaxAgeMs?: number };
  /** Replaces the authenticator chosen by `config.auth` (tests, embedding). */
  authenticator?: Authenticator;
}

/** What the transport knows about a request besides the request itself. */
export interface RequestContext {
  /** The peer's socket address (`req.socket.remoteAddress`); unknown when absent. */
  peerAddress?: string;
}

/** What the core did with a request, for the request log. */
export interface HandledRequest {
  response: Response;
  auth?: AuthOutcome;
  /** Short stable code of an auth refusal, e.g. `expired`, `client_id_mismatch`. */
  authReason?: string;
  clientId?: string;
  /** Fingerprint of the verified token (join key with the broker's audit line). */
  tokenFingerprint?: string;
  /** The IAM caller a per-caller token names (`https://mcp-token.dev/caller`, `…/session`). */
  caller?: string;
  callerSession?: string;
}

/** The server's web-standard core. */
export interface McpServerApp {
  readonly config: ServerConfig;
  readonly authenticator: Authenticator;
  /** Serves one request (web-standard face). */
  fetch(request: Request, context?: RequestContext): Promise<Response>;
  /** Serves one request and reports what auth decided (used by the node adapter's request log). */
  handle(request: Request, context?: RequestContext): Promise<HandledRequest>;
  /** Fetches issuer metadata and keys ahead of the first request (jwt mode); never throws. */
  warmUp(): Promise<void>;
  /** Aborts in-flight modern MCP exchanges and releases resources. */
  close(): Promise<void>;
}

function createAuthenticator(config: ServerConfig, opts: McpServerAppOptions, clock: Clock): Authenticator {
  switch (config.auth) {
    case "jwt": {
      if (!config.jwt) throw new TypeError('"config.jwt" is required when config.auth is "jwt"');
      return createJwtAuthenticator(config.jwt, {
        clock,
        fetch: opts.fetch,
        jwksCooldownMs: opts.jwks?.cooldownMs,
        jwksCacheMaxAgeMs: opts.jwks?.cacheMaxAgeMs,
      });
    }
    case "agentcore":
      return createAgentCoreAuthenticator();
    case "none":
      return createNoAuthenticator();
  }
}

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The public base URL for a request: `config.publicUrl`, else `http(s)://<Host>` (the scheme from
 * `X-Forwarded-Proto` when it says https). A malformed `Host` falls back to `localhost`.
 */
export function baseUrlOf(request: Request, config: Pick<ServerConfig, "publicUrl">): string {
  if (config.publicUrl !== undefined) return config.publicUrl;
  const host = request.headers.get("host") ?? "";
  const proto =
    request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${HOST_HEADER.test(host) ? host : "localhost"}`;
}

const methodNotAllowed = (allow: string) =>
  jsonRpcErrorResponse(405, JSONRPC_ERRORS.serverError, "Method not allowed.", { allow });

/**
 * Builds the web-standard core for a configuration.
 *
 * @example
 * ```ts
 * const app = createMcpServerApp(loadConfig());
 * const res = await app.fetch(new Request("http://localhost/ping"));
 * ```
 */
export function createMcpServerApp(config: ServerConfig, opts: McpServerAppOptions = {}): McpServerApp {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const authenticator = opts.authenticator ?? createAuthenticator(config, opts, clock);
  const scopes = config.jwt?.allowedScopes ?? [];
  const pingAllowance = config.jwt?.allowUnauthenticatedPing ?? "off";
  const mcp: McpHttpHandler = createMcpHandler(
    createMcpServerFactory(opts.tools ?? defaultTools, { clock }, logger),
    {
      maxRequestBodySize: config.maxBodyBytes,
      onerror: (error) => logger.debug("mcp handler reported", { error: error.message }),
    },
  );

  async function serveMcp(request: Request, context: RequestContext): Promise<HandledRequest> {
    if (mayAnswerPing(request, { mode: authenticator.mode, allowance: pingAllowance }, context.peerAddress)) {
      const pong = await answerHealthPing(request);
      if (pong) return { response: pong, auth: "ping" };
    }
    let auth: RequestAuth;
    try {
      const result = await authenticator.authenticate(request);
      auth = { mode: authenticator.mode, ...result };
    } catch (e) {
      if (!isAuthError(e)) throw e;
      const resourceMetadataUrl = `${baseUrlOf(request, config)}${PROTECTED_RESOURCE_METADATA_PATH}`;
      if (e.kind === "unavailable")
        logger.warn("auth unavailable", { reason: e.reason, error: String(e.cause) });
      return {
        response: authErrorResponse(e, { resourceMetadataUrl, scopes }),
        auth: e.kind === "unavailable" ? "unavailable" : "rejected",
        authReason: e.reason,
      };
    }
    const response = await mcp.fetch(request, { authInfo: toAuthInfo(auth) });
    const verified = auth.caller?.verified ? auth.caller : undefined;
    return {
      response,
      auth: auth.outcome,
      clientId: verified?.token.clientId,
      tokenFingerprint: verified?.tokenFingerprint,
      caller: verified?.token.caller?.caller,
      callerSession: verified?.token.caller?.session,
    };
  }

  async function serveMetadata(request: Request): Promise<HandledRequest> {
    if (request.method !== "GET" && request.method !== "HEAD") return { response: methodNotAllowed("GET") };
    if (!authenticator.protectedResourceMetadata) {
      return {
        response: jsonResponse(404, {
          error: "not_found",
          error_description: "No metadata in this auth mode.",
        }),
      };
    }
    try {
      const metadata = await authenticator.protectedResourceMetadata(
        `${baseUrlOf(request, config)}${MCP_PATH}`,
      );
      return {
        response: jsonResponse(200, metadata, {
          "cache-control": "public, max-age=300",
          "access-control-allow-origin": "*",
        }),
      };
    } catch (e) {
      if (!isAuthError(e)) throw e;
      return { response: authErrorResponse(e, { resourceMetadataUrl: "", scopes }), authReason: e.reason };
    }
  }

  async function handle(request: Request, context: RequestContext = {}): Promise<HandledRequest> {
    const { pathname } = new URL(request.url);
    try {
      switch (pathname) {
        case MCP_PATH:
        case `${MCP_PATH}/`:
          return request.method === "POST"
            ? await serveMcp(request, context)
            : { response: methodNotAllowed("POST") };
        case PING_PATH:
          return request.method === "GET" || request.method === "HEAD"
            ? { response: jsonResponse(200, { status: "Healthy" }) }
            : { response: methodNotAllowed("GET") };
        case PROTECTED_RESOURCE_METADATA_PATH:
        case `${PROTECTED_RESOURCE_METADATA_PATH}${MCP_PATH}`:
          return await serveMetadata(request);
        default:
          return {
            response: jsonResponse(404, {
              error: "not_found",
              error_description: `No route for ${pathname}.`,
            }),
          };
      }
    } catch (e) {
      logger.error("request failed", { path: pathname, error: e instanceof Error ? e.message : String(e) });
      return { response: jsonRpcErrorResponse(500, -32603, "Internal error.") };
    }
  }

  return {
    config,
    authenticator,
    handle,
    fetch: async (request, context) => (await handle(request, context)).response,
    warmUp: async () => {
      await authenticator.warmUp?.();
    },
    close: () => mcp.close(),
  };
}
