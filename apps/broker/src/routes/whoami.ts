/** `GET /v1/whoami`: the caller as the broker sees it. */
import type { WhoamiResponse } from "@mcp-token/core";
import { type BrokerResponse, jsonResponse } from "../http/exchange.js";
import type { RouteContext } from "./context.js";

/** Answers `{ principal, accountId, normalizedPrincipal }`. */
export function whoami(ctx: RouteContext): BrokerResponse {
  const body: WhoamiResponse = {
    principal: ctx.principal.arn,
    accountId: ctx.principal.accountId,
    normalizedPrincipal: ctx.principal.normalized,
  };
  return jsonResponse(body);
}
