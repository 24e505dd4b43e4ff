import { summarizeClaims } from "@mcp-token/core";
import type { AuthMode } from "../config.js";
import type { Caller } from "./types.js";

type Claims = Readonly<Record<string, unknown>>;

/**
 * Scopes a token grants, from `scope` (space-separated; RFC 9068, Auth0) or `scp` (array or string),
 * for the authorization decision against `AUTH_ALLOWED_SCOPES`.
 */
export function scopesOf(claims: Claims): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === "string") return raw.split(" ").filter((s) => s !== "");
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string" && s !== "");
  return [];
}

/**
 * The caller described by a token's (verified or merely decoded) claims, summarised with
 * `@mcp-token/core`'s `summarizeClaims` so `whoami` and `mcp-token doctor` agree. Never holds the
 * token or its signature.
 */
export function callerFromClaims(
  mode: AuthMode,
  verified: boolean,
  claims: Claims,
  header: Claims,
  nowMs: number,
): Caller {
  return { mode, verified, token: summarizeClaims({ ...claims }, { ...header }, nowMs) };
}
