import type { TokenSource } from "@mcp-token/client";
import type { TokenSummary } from "@mcp-token/core";
import type { JsonRpcId, JsonRpcMessage } from "../../mcp/jsonRpc.js";
import { McpConnectionError, McpHttpError, RemoteMcp } from "../../mcp/remoteMcp.js";
import type { Logger } from "../../output/logger.js";
import { CLI_USER_AGENT, CLI_VERSION } from "../../version.js";
import type { CheckResult } from "./checks.js";

const TIMEOUT_MS = 15_000;

/**
 * Initialises an MCP session with the token and lists the tools. `summary` (the token's claims, from
 * the claims check) lets a refusal be explained precisely.
 */
export async function checkMcpServer(
  url: URL,
  source: Pick<TokenSource, "getToken" | "invalidate">,
  log: Logger,
  summary?: TokenSummary,
): Promise<CheckResult> {
  const title = "MCP server accepts the token";
  const pending = new Map<JsonRpcId, (m: JsonRpcMessage) => void>();
  const remote = new RemoteMcp({
    url,
    tokens: source,
    userAgent: CLI_USER_AGENT,
    log,
    listen: false,
    onMessage: (m) => {
      if (m.id !== undefined && !m.method) pending.get(m.id)?.(m);
    },
  });
  let next = 0;
  const request = async (method: string, params: unknown): Promise<Record<string, unknown>> => {
    const id = `doctor-${++next}`;
    const answered = new Promise<JsonRpcMessage>((resolve) => pending.set(id, resolve));
    await remote.send({ jsonrpc: "2.0", id, method, params });
    const answer = await answered;
    if (answer.error) throw new Error(`${method} failed: ${answer.error.message} (${answer.error.code})`);
    return (answer.result ?? {}) as Record<string, unknown>;
  };
  const run = async (): Promise<CheckResult> => {
    const init = await request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "mcp-token-doctor", version: CLI_VERSION },
    });
    await remote.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const list = await request("tools/list", {});
    const info = (init.serverInfo ?? {}) as { name?: unknown; version?: unknown };
    const tools = Array.isArray(list.tools)
      ? (list.tools as { name?: unknown }[]).map((t) => String(t.name))
      : [];
    const shown = tools.slice(0, 10).join(", ") + (tools.length > 10 ? ", …" : "");
    return {
      id: "mcp",
      title,
      status: "pass",
      detail: `${String(info.name ?? "server")} ${String(info.version ?? "")} (protocol ${String(init.protocolVersion)}), ${tools.length} tool${tools.length === 1 ? "" : "s"}${tools.length ? `: ${shown}` : ""}`,
    };
  };
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref(),
      ),
    ]);
  } catch (error) {
    return { id: "mcp", title, status: "fail", ...explain(error, url, summary) };
  } finally {
    await remote.close();
  }
}

/** The fix for a `client_id` mismatch: no such claim, or a claim with a value the server does not allow. */
export function clientIdFix(summary: TokenSummary | undefined): string {
  if (summary?.clientIdClaim === "client_id" && summary.clientId !== undefined) {
    return `the token's client_id is ${JSON.stringify(summary.clientId)}, which the runtime does not allow: add it to the runtime's allowedClients (AUTH_ALLOWED_CLIENTS for a jwt-mode server), or, if the runtime allows another client, put that M2M application's credentials in the broker's secret`;
  }
  return "the token has no client_id claim (Auth0's default token profile), but the runtime's allowedClients needs one: set the Auth0 API's token profile to RFC 9068 (Dashboard → APIs → Settings → Token Profile), or drop allowedClients";
}

function explain(error: unknown, url: URL, summary?: TokenSummary): { detail: string; fix: string } {
  if (error instanceof McpHttpError) {
    const text = `${error.detail} ${error.wwwAuthenticate ?? ""}`;
    const detail = `${url.origin}${url.pathname} answered ${error.message}`;
    if (/client_id/i.test(text)) return { detail, fix: clientIdFix(summary) };
    if (/aud/i.test(text)) {
      return {
        detail,
        fix: "the runtime's allowedAudience must equal the broker profile's audience (the Auth0 API identifier)",
      };
    }
    if (error.status === 401 || error.status === 403) {
      return {
        detail,
        fix: "check the runtime's JWT authorizer (discoveryUrl of the same issuer, allowedAudience, allowedClients, allowedScopes)",
      };
    }
    if (error.status === 404)
      return { detail, fix: "check the MCP URL (AgentCore: the runtime ARN and --qualifier)" };
    return { detail, fix: "check the MCP server's logs" };
  }
  if (error instanceof McpConnectionError)
    return { detail: error.message, fix: "check the MCP URL and that the server is running" };
  return { detail: (error as Error).message ?? String(error), fix: "run with --log-level debug for details" };
}
