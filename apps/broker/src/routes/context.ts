/**
 * What a route receives: the request, its parsed URL, the checked caller, configuration, and a mutable
 * audit record the route fills in (profile, scopes, cache outcome, token expiry and fingerprint).
 */
import type { BrokerConfig } from "@mcp-token/core";
import type { AuditRecord } from "../audit.js";
import type { Principal } from "../authorize.js";

/** Per-request input to a route handler. */
export interface RouteContext {
  request: Request;
  url: URL;
  requestId: string;
  principal: Principal;
  config: BrokerConfig;
  audit: Partial<AuditRecord>;
  /** Current time, epoch ms (the broker's injected clock). */
  now: () => number;
}

/** JSON response with `Cache-Control: no-store`. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" },
  });
}
