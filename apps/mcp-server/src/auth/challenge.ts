import { JSONRPC_ERRORS, jsonRpcErrorResponse } from "../http/responses.js";
import { AUTH_ERROR_KINDS, type AuthError } from "./errors.js";

/** Path of the RFC 9728 protected-resource metadata document. */
export const PROTECTED_RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

/** Seconds a client should wait after a 503 from the auth layer. */
export const AUTH_RETRY_AFTER_SECONDS = 5;

const quote = (value: string) => `"${value.replace(/[\\"]/g, "\\$&").replace(/[^\x20-\x7e]/g, "")}"`;

/**
 * The `WWW-Authenticate` value for a refusal (RFC 6750 §3, RFC 9728 §5.1):
 * `Bearer resource_metadata="<base>/.well-known/oauth-protected-resource", error="invalid_token", error_description="…"`.
 * A request without credentials gets no `error` (RFC 6750 §3.1), as AgentCore answers it;
 * `insufficient_scope` adds `scope="<allowed scopes>"`.
 */
export function bearerChallenge(
  error: AuthError,
  opts: { resourceMetadataUrl: string; scopes?: string[] },
): string {
  const params = [`resource_metadata=${quote(opts.resourceMetadataUrl)}`];
  const code = AUTH_ERROR_KINDS[error.kind].challengeError;
  if (code !== undefined) {
    params.push(`error=${quote(code)}`);
    if (code === "insufficient_scope" && opts.scopes && opts.scopes.length > 0) {
      params.push(`scope=${quote(opts.scopes.join(" "))}`);
    }
    params.push(`error_description=${quote(error.message)}`);
  }
  return `Bearer ${params.join(", ")}`;
}

/** The HTTP answer for an `AuthError`: JSON-RPC error body, challenge header on 401/403. */
export function authErrorResponse(
  error: AuthError,
  opts: { resourceMetadataUrl: string; scopes?: string[] },
): Response {
  if (error.kind === "unavailable") {
    return jsonRpcErrorResponse(error.status, JSONRPC_ERRORS.serverError, error.message, {
      "retry-after": String(AUTH_RETRY_AFTER_SECONDS),
    });
  }
  return jsonRpcErrorResponse(error.status, JSONRPC_ERRORS.unauthorized, error.message, {
    "www-authenticate": bearerChallenge(error, opts),
  });
}
