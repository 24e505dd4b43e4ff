/**
 * `MCP_AUTH=jwt`: verifies the bearer token the way AgentCore Runtime's custom JWT authorizer does.
 *
 * 1. Issuer and `jwks_uri` come from `AUTH_DISCOVERY_URL`, fetched once and cached.
 * 2. Keys come from `jose.createRemoteJWKSet` (cached; an unknown `kid` refetches at most once per
 *    cooldown, 30 s by default).
 * 3. The signature must use an asymmetric algorithm of {@link ALLOWED_ALGORITHMS}; `iss` must equal
 *    the discovered issuer; `exp` is required; `exp`/`nbf` allow `clockToleranceSeconds` of skew.
 * 4. `aud` must contain one of `allowedAudiences` (when set); the **`client_id`** claim (never `azp`)
 *    must be one of `allowedClients` (when set), else AgentCore's exact text
 *    {@link CLIENT_ID_MISMATCH}; every `customClaims` rule must hold (when set, see `customClaims.ts`),
 *    else 401 with {@link claimMismatch}; these are all 401 `invalid_token`.
 * 5. Last, the token must carry at least one of `allowedScopes` (when set): AgentCore's developer
 *    guide ("Configure inbound JWT authorizer") says at least one scope of the token must match one of
 *    the configured values. Else 403 `insufficient_scope` (RFC 6750 §3.1, the MCP authorization spec's
 *    scope challenge) with {@link SCOPE_MISMATCH}: scopes come after the 401 checks because a 403 says
 *    "valid token, too little permission".
 */

import type { Clock } from "@mcp-token/core";
import { BodyTooLargeError, readBoundedText, tokenFingerprint } from "@mcp-token/core";
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import type { JwtAuthConfig } from "../config.js";
import { readBearerToken } from "./bearer.js";
import { callerFromClaims, scopesOf } from "./claims.js";
import { checkCustomClaim } from "./customClaims.js";
import { createDiscovery, type FetchLike } from "./discovery.js";
import { AuthError } from "./errors.js";
import type { Authenticator, AuthResult } from "./types.js";

/** Asymmetric JWS algorithms accepted; `none` and HMAC (`HS*`) never are. */
export const ALLOWED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

/** AgentCore's message when `client_id` is absent or not allowed (FACTS: AgentCore Runtime). */
export const CLIENT_ID_MISMATCH = "Claim 'client_id' value mismatch with configuration.";
/** The same wording for an `aud` that is not allowed. */
export const AUDIENCE_MISMATCH = "Claim 'aud' value mismatch with configuration.";
/** The same wording for an `iss` other than the discovered issuer. */
export const ISSUER_MISMATCH = "Claim 'iss' value mismatch with configuration.";
/**
 * The same wording for a token without an allowed scope. AgentCore's own text and status for a scope
 * mismatch are not documented (unconfirmed): the family of {@link CLIENT_ID_MISMATCH} is kept.
 */
export const SCOPE_MISMATCH = "Claim 'scope' value mismatch with configuration.";

/**
 * The message for a custom claim that is missing, of the wrong type or not matching. AgentCore's text
 * for custom claims is not documented (unconfirmed): the family of {@link CLIENT_ID_MISMATCH} is kept,
 * and 401 like a `client_id` mismatch. The name comes from validated configuration, never the token.
 */
export const claimMismatch = (name: string): string => `Claim '${name}' value mismatch with configuration.`;

/** Largest JWKS document accepted, in bytes. */
export const MAX_JWKS_BYTES = 256 * 1024;

export interface JwtAuthenticatorOptions {
  clock: Clock;
  /** Used for discovery and JWKS; default global `fetch`. */
  fetch?: FetchLike;
  /** Milliseconds after a JWKS fetch before an unknown `kid` may refetch; default 30000 (jose). */
  jwksCooldownMs?: number;
  /** Maximum age of cached keys in milliseconds; default 600000 (jose). */
  jwksCacheMaxAgeMs?: number;
  /** Timeout of each discovery/JWKS request in milliseconds; default 5000. */
  fetchTimeoutMs?: number;
}

function boundedFetch(doFetch: FetchLike, maxBytes: number): FetchLike {
  return async (input, init) => {
    const res = await doFetch(input, init);
    const text = await readBoundedText(res, maxBytes);
    return new Response(text, { status: res.status, headers: res.headers });
  };
}

function mapJoseError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  const invalid = (reason: string, message: string) =>
    new AuthError("invalid_token", reason, message, { cause: e });
  if (e instanceof errors.JWTExpired) return invalid("expired", "The token has expired.");
  if (e instanceof errors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case "nbf":
        return invalid("not_yet_valid", "The token is not yet valid (nbf).");
      case "iss":
        return invalid("issuer_mismatch", ISSUER_MISMATCH);
      case "aud":
        return invalid("audience_mismatch", AUDIENCE_MISMATCH);
      case "exp":
        return invalid("missing_exp", "The token has no valid 'exp' claim.");
      case "iat":
        return invalid("bad_iat", "The token's 'iat' claim is invalid.");
      default:
        return invalid("claim_invalid", `The token's '${e.claim}' claim is invalid.`);
    }
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    return invalid("alg_not_allowed", "The token's signing algorithm is not allowed.");
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return invalid("bad_signature", "The token's signature does not verify.");
  }
  if (e instanceof errors.JWKSNoMatchingKey) {
    return invalid("unknown_kid", "No signing key of the issuer matches the token.");
  }
  if (e instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid("ambiguous_kid", "Several signing keys of the issuer match the token; set 'kid'.");
  }
  if (
    e instanceof errors.JWSInvalid ||
    e instanceof errors.JWTInvalid ||
    e instanceof errors.JOSENotSupported ||
    e instanceof errors.JWKInvalid
  ) {
    return invalid("malformed", "The token is malformed.");
  }
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid || e instanceof BodyTooLargeError) {
    return new AuthError(
      "unavailable",
      "jwks_failed",
      "The issuer's signing keys are unavailable; retry shortly.",
      {
        cause: e,
      },
    );
  }
  if (e instanceof errors.JOSEError) return invalid("invalid", "The token is invalid.");
  // Network failures (fetch TypeError) while loading keys.
  return new AuthError(
    "unavailable",
    "jwks_failed",
    "The issuer's signing keys are unavailable; retry shortly.",
    {
      cause: e,
    },
  );
}

/** Creates the `jwt` mode authenticator. Nothing is fetched until the first request or `warmUp()`. */
export function createJwtAuthenticator(config: JwtAuthConfig, opts: JwtAuthenticatorOptions): Authenticator {
  const doFetch: FetchLike = opts.fetch ?? ((input, init) => fetch(input, init));
  const discovery = createDiscovery({
    discoveryUrl: config.discoveryUrl,
    fetch: doFetch,
    clock: opts.clock,
    timeoutMs: opts.fetchTimeoutMs,
  });
  const audiences = config.allowedAudiences.length > 0 ? config.allowedAudiences : undefined;
  const clients = new Set(config.allowedClients);
  const scopes = new Set(config.allowedScopes);
  const customClaims = config.customClaims;
  const algorithms = [...ALLOWED_ALGORITHMS];
  let keys: { jwksUri: string; getKey: JWTVerifyGetKey } | undefined;

  const keySet = async () => {
    const metadata = await discovery.get();
    if (keys?.jwksUri !== metadata.jwksUri) {
      keys = {
        jwksUri: metadata.jwksUri,
        getKey: createRemoteJWKSet(new URL(metadata.jwksUri), {
          cooldownDuration: opts.jwksCooldownMs,
          cacheMaxAge: opts.jwksCacheMaxAgeMs,
          timeoutDuration: opts.fetchTimeoutMs,
          [customFetch]: boundedFetch(doFetch, MAX_JWKS_BYTES),
        }),
      };
    }
    return { issuer: metadata.issuer, getKey: keys.getKey };
  };

  const checkClaims = (payload: JWTPayload) => {
    if (clients.size > 0) {
      const clientId = payload.client_id;
      if (typeof clientId !== "string" || !clients.has(clientId)) {
        throw new AuthError(
          "invalid_token",
          clientId === undefined ? "client_id_missing" : "client_id_mismatch",
          CLIENT_ID_MISMATCH,
        );
      }
    }
    for (const rule of customClaims) {
      const failure = checkCustomClaim(rule, payload);
      if (failure !== undefined) {
        throw new AuthError(
          "invalid_token",
          `custom_claim_${failure}`,
          claimMismatch(rule.inboundTokenClaimName),
        );
      }
    }
    if (scopes.size > 0) {
      const granted = scopesOf(payload);
      if (!granted.some((s) => scopes.has(s))) {
        throw new AuthError(
          "insufficient_scope",
          granted.length === 0 ? "scope_missing" : "scope_mismatch",
          SCOPE_MISMATCH,
        );
      }
    }
  };

  return {
    mode: "jwt",
    async authenticate(request: Request): Promise<AuthResult> {
      const token = readBearerToken(request.headers);
      const { issuer, getKey } = await keySet();
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      try {
        verified = await jwtVerify(token, getKey, {
          algorithms,
          issuer,
          audience: audiences,
          clockTolerance: config.clockToleranceSeconds,
          currentDate: new Date(opts.clock.now()),
          requiredClaims: ["exp"],
        });
      } catch (e) {
        throw mapJoseError(e);
      }
      checkClaims(verified.payload);
      const caller = callerFromClaims(
        "jwt",
        true,
        verified.payload,
        verified.protectedHeader,
        opts.clock.now(),
      );
      caller.tokenFingerprint = await tokenFingerprint(token);
      return { outcome: "verified", caller };
    },
    async protectedResourceMetadata(resource: string) {
      const { issuer } = await discovery.get();
      const metadata: Record<string, unknown> = {
        resource,
        authorization_servers: [issuer],
        bearer_methods_supported: ["header"],
        resource_name: "mcp-token MCP server",
      };
      if (scopes.size > 0) metadata.scopes_supported = [...scopes];
      return metadata;
    },
    async warmUp() {
      try {
        const { getKey } = await keySet();
        // Loads the key set: resolving a key for a header no key matches fetches JWKS once.
        await (getKey as unknown as { reload?: () => Promise<void> }).reload?.();
      } catch {
        // Reported on the first request that needs it.
      }
    },
  };
}
