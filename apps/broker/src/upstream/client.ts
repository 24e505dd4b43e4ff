/**
 * Token issuance against a profile's issuer: builds the request for the profile's `requestStyle`, sends
 * it under connect/total timeouts, and retries with the core `retry` helper on network errors,
 * timeouts, 5xx and 429 (honouring `Retry-After`) within one deadline. 4xx answers are final; the
 * caller handles `invalid_client` (secret rotation).
 */
import { type CallerIdentity, type Clock, type FetchLike, type ProfileConfig, retry } from "@mcp-token/core";
import type { ClientCredentials } from "../secrets.js";
import { createMetadataCache, type MetadataCache } from "./discovery.js";
import { isUpstreamError, UpstreamError } from "./errors.js";
import { AttemptFailedError, httpAttempt } from "./httpAttempt.js";
import { buildAuth0Request, buildCognitoRequest, buildOAuth2Request } from "./tokenRequest.js";
import { type IssuedToken, parseTokenSuccess, upstreamErrorFromResponse } from "./tokenResponse.js";

/** Largest token response accepted, bytes. */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** One finished attempt, for metrics and logs. */
export interface UpstreamAttempt {
  issuer: string;
  attempt: number;
  durationMs: number;
  status: number | undefined;
  outcome: "ok" | "rejected" | "unavailable";
}

/** Options for {@link createUpstreamClient}. */
export interface UpstreamClientOptions {
  fetch: FetchLike;
  clock: Clock;
  /** Sleep used between retries (inject a fake in tests). Default: real timers. */
  sleep?: (ms: number) => Promise<void>;
  /** Whole-issuance deadline across attempts, ms. */
  deadlineMs: number;
  /** Per-attempt total timeout, ms. */
  timeoutMs: number;
  /** Per-attempt timeout until response headers, ms. */
  connectTimeoutMs: number;
  /** Attempts per issuance, first try included. */
  maxAttempts: number;
  /** Called after every attempt. */
  onAttempt?: (attempt: UpstreamAttempt) => void;
  /** Metadata cache; default: a new one using `fetch` and `clock`. */
  metadata?: MetadataCache;
}

/** Issues tokens from issuers. */
export interface UpstreamClient {
  /**
   * Requests a token for `profile` with `scopes` using `credentials`, naming `caller` in the request
   * when given (per-caller profiles; Auth0 request style only).
   * @throws {UpstreamError} `rejected` (final) or `unavailable` (after retries or when the deadline is spent).
   */
  issueToken(
    profile: ProfileConfig,
    scopes: readonly string[],
    credentials: ClientCredentials,
    caller?: CallerIdentity,
  ): Promise<IssuedToken>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates an {@link UpstreamClient}. */
export function createUpstreamClient(opts: UpstreamClientOptions): UpstreamClient {
  const metadata = opts.metadata ?? createMetadataCache({ fetch: opts.fetch, now: () => opts.clock.now() });

  return {
    async issueToken(profile, scopes, credentials, caller) {
      const start = opts.clock.now();
      const secrets = [credentials.clientSecret];
      const attemptTimeouts = () => {
        const remaining = Math.max(1, opts.deadlineMs - (opts.clock.now() - start));
        return {
          timeoutMs: Math.min(opts.timeoutMs, remaining),
          connectTimeoutMs: Math.min(opts.connectTimeoutMs, remaining),
        };
      };

      const attemptOnce = async (attempt: number): Promise<IssuedToken> => {
        const t0 = opts.clock.now();
        let status: number | undefined;
        try {
          const params = {
            issuer: profile.issuer,
            audience: profile.audience,
            scopes,
            credentials,
            allowedTokenEndpointOrigins: profile.allowedTokenEndpointOrigins,
            ...(caller && { caller }),
          };
          const request =
            profile.requestStyle === "oauth2"
              ? buildOAuth2Request(params, await metadata.get(profile.issuer, attemptTimeouts()))
              : profile.requestStyle === "cognito"
                ? buildCognitoRequest(params, await metadata.get(profile.issuer, attemptTimeouts()))
                : buildAuth0Request(params);
          let res: Awaited<ReturnType<typeof httpAttempt>>;
          try {
            res = await httpAttempt(
              opts.fetch,
              request.url,
              request.init,
              attemptTimeouts(),
              MAX_TOKEN_RESPONSE_BYTES,
            );
          } catch (error) {
            const kind =
              error instanceof AttemptFailedError && error.reason === "too_large"
                ? "rejected"
                : "unavailable";
            throw new UpstreamError(kind, (error as Error).message, { cause: error });
          }
          status = res.status;
          if (res.status !== 200) {
            throw upstreamErrorFromResponse(res.status, res.headers, res.text, secrets, opts.clock.now());
          }
          const token = parseTokenSuccess(res.text);
          opts.onAttempt?.({
            issuer: profile.issuer,
            attempt,
            durationMs: opts.clock.now() - t0,
            status,
            outcome: "ok",
          });
          return token;
        } catch (error) {
          const outcome = isUpstreamError(error) ? error.kind : "unavailable";
          opts.onAttempt?.({
            issuer: profile.issuer,
            attempt,
            durationMs: opts.clock.now() - t0,
            status,
            outcome,
          });
          throw error;
        }
      };

      try {
        return await retry(attemptOnce, {
          maxAttempts: opts.maxAttempts,
          deadlineMs: opts.deadlineMs,
          clock: opts.clock,
          sleep: opts.sleep ?? realSleep,
          classify: (error) =>
            isUpstreamError(error) && error.kind === "unavailable"
              ? {
                  retryable: true,
                  ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
                }
              : { retryable: false },
        });
      } catch (error) {
        if (isUpstreamError(error)) throw error;
        throw new UpstreamError("unavailable", `token request failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  };
}
