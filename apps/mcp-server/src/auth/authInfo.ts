import type { AuthInfo, ServerContext } from "@modelcontextprotocol/server";
import type { AuthMode } from "../config.js";
import type { AuthOutcome, Caller } from "./types.js";

/** How a request was authenticated; travels to tools in `AuthInfo.extra.mcpToken`. */
export interface RequestAuth {
  mode: AuthMode;
  outcome: AuthOutcome;
  caller?: Caller;
}

const KEY = "mcpToken";

/**
 * The SDK's `AuthInfo` for a request. `token` is always empty: no handler ever sees the raw token.
 */
export function toAuthInfo(auth: RequestAuth): AuthInfo {
  const info: AuthInfo = {
    token: "",
    clientId: auth.caller?.token.clientId ?? "",
    scopes: auth.caller?.token.scopes ?? [],
    extra: { [KEY]: auth },
  };
  const expiresAt = auth.caller?.token.expiresAt;
  if (expiresAt !== undefined) info.expiresAt = expiresAt;
  return info;
}

/** The request's auth as attached by the app, read from a tool handler's context. */
export function requestAuthOf(ctx: Pick<ServerContext, "http">): RequestAuth | undefined {
  return ctx.http?.authInfo?.extra?.[KEY] as RequestAuth | undefined;
}
