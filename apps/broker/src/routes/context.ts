/**
 * What a route receives: the request, the checked caller, configuration, and a mutable audit record the
 * route fills in (profile, scopes, cache outcome, token expiry and fingerprint).
 */
import type { BrokerConfig } from "@mcp-token/core";
import type { Principal } from "../authorize.js";
import type { BrokerRequest } from "../http/exchange.js";
import type { AuditRecord } from "../types.js";

/** Per-request input to a route handler. */
export interface RouteContext {
  request: BrokerRequest;
  requestId: string;
  principal: Principal;
  config: BrokerConfig;
  audit: AuditRecord;
  /** Current time, epoch ms (the broker's injected clock). */
  now: () => number;
}
