/**
 * `POST /v1/token` (JSON body) and `GET /v1/token` (query): authorise the caller for the profile and
 * scopes, then serve a cached or freshly issued token.
 *
 * Input rules (each answered with the documented error, never a 500):
 * - POST body larger than 8 KB → 413 `payload_too_large` (checked on `Content-Length` and while reading);
 * - a non-empty POST body whose `Content-Type` is not `application/json` → 400 `invalid_request`
 *   (the contract has no 415); an empty body means `{}`;
 * - malformed JSON, unknown fields, bad profile names or scopes → 400 `invalid_request` (core parsers);
 * - query parameters on POST → 400 `invalid_request` (parameters go in the body);
 * - principal not allowed or scope outside the profile → 403 `access_denied`; unknown profile → 404,
 *   but only for a caller allowed on some profile (anyone else gets the same 403 as for a profile that
 *   exists, so invokers cannot enumerate profile names);
 * - the caller's issuance budget spent → 429 `rate_limited` with `Retry-After` (cache hits still served).
 */
import {
  BrokerError,
  callerIdentityOf,
  parseTokenRequestBody,
  parseTokenRequestQuery,
  type TokenRequest,
  type TokenResponse,
} from "@mcp-token/core";
import { authorizeTokenRequest, requireProfile } from "../authorize.js";
import { type BrokerRequest, type BrokerResponse, jsonResponse } from "../http/exchange.js";
import { BodyTooLargeError, bodyText } from "../http/readBody.js";
import { budgetKey } from "../issuanceBudget.js";
import type { TokenService } from "../tokens.js";
import type { RouteContext } from "./context.js";

/** Largest accepted request body, bytes. */
export const MAX_REQUEST_BODY_BYTES = 8 * 1024;

const tooLarge = () =>
  new BrokerError("payload_too_large", `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`);

/** Reads and validates a `POST /v1/token` request. */
export async function readPostTokenRequest(request: BrokerRequest): Promise<TokenRequest> {
  if (request.query.length > 0) {
    throw new BrokerError(
      "invalid_request",
      'POST /v1/token takes its parameters in a JSON body ({"profile","scopes","minTtlSeconds"}), not in the query string.',
    );
  }
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = await bodyText(request.body, MAX_REQUEST_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge();
    throw new BrokerError("invalid_request", "The request body could not be read.", { cause: error });
  }
  if (text.trim().length === 0) return parseTokenRequestBody({});
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new BrokerError(
      "invalid_request",
      `Content-Type must be application/json, got ${mediaType ? JSON.stringify(mediaType.slice(0, 100)) : "none"}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BrokerError("invalid_request", "The request body is not valid JSON.");
  }
  return parseTokenRequestBody(json);
}

/** Serves a token request once it is parsed. */
export async function serveToken(
  ctx: RouteContext,
  tokens: TokenService,
  req: TokenRequest,
): Promise<BrokerResponse> {
  ctx.audit.profile = req.profile;
  ctx.audit.scopes = req.scopes;
  const profile = requireProfile(ctx.config, req.profile, ctx.principal);
  const scopes = authorizeTokenRequest(ctx.principal, req.profile, profile, req.scopes);
  ctx.audit.scopes = scopes;
  ctx.audit.identity = profile.identity;
  const minTtlSeconds = req.minTtlSeconds ?? profile.minTtlSeconds;
  const caller = profile.identity === "caller" ? callerIdentityOf(ctx.principal.arn) : undefined;
  const { token, outcome, sharedCache } = await tokens.get({
    name: req.profile,
    profile,
    scopes,
    minTtlSeconds,
    budgetKey: budgetKey(ctx.principal),
    ...(req.replaces !== undefined && { replaces: req.replaces }),
    ...(caller && { caller }),
  });
  ctx.audit.cache = outcome;
  if (sharedCache) ctx.audit.sharedCache = sharedCache;
  ctx.audit.tokenFingerprint = token.fingerprint;
  // expires_at keeps the token's milliseconds, so a client's expiry is exact; expires_in is whole
  // seconds, rounded down.
  const body: TokenResponse = {
    access_token: token.accessToken,
    token_type: "Bearer",
    expires_in: Math.max(0, Math.floor((token.expiresAt - ctx.now()) / 1000)),
    expires_at: new Date(token.expiresAt).toISOString(),
    scope: token.scope,
    profile: req.profile,
  };
  ctx.audit.tokenExpiresAt = body.expires_at;
  return jsonResponse(body);
}

/** `POST /v1/token`. */
export async function postToken(ctx: RouteContext, tokens: TokenService): Promise<BrokerResponse> {
  return serveToken(ctx, tokens, await readPostTokenRequest(ctx.request));
}

/** `GET /v1/token?profile=…&scope=a+b&min_ttl=…`. */
export async function getToken(ctx: RouteContext, tokens: TokenService): Promise<BrokerResponse> {
  return serveToken(ctx, tokens, parseTokenRequestQuery(new URLSearchParams(ctx.request.query)));
}
