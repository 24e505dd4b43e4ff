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
 * Only a caller this server verified contributes a client id, scopes or expiry; anything else (an
 * authenticator that returned an unverified caller) is dropped here, so nothing unverified reaches
 * a tool whatever the mode.
 */
export function toAuthInfo(auth: RequestAuth): AuthInfo {
  const caller = auth.caller?.verified === true ? auth.caller : undefined;
  const safe: RequestAuth = caller ? { ...auth, caller } : { mode: auth.mode, outcome: auth.outcome };
  const info: AuthInfo = {
    token: "",
    clientId: caller?.token.clientId ?? "",
    scopes: caller?.token.scopes ?? [],
    extra: { [KEY]: safe },
  };
  const expiresAt = caller?.token.expiresAt;
  if (expiresAt !== undefined) info.expiresAt = expiresAt;
  return info;
}

/** The request's auth as attached by the app, read from a tool handler's context. */
export function requestAuthOf(ctx: Pick<ServerContext, "http">): RequestAuth | undefined {
  return ctx.http?.authInfo?.extra?.[KEY] as RequestAuth | undefined;
}
