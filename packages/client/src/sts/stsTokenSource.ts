/**
 * AWS-native tokens: a refreshing token source that asks STS `GetWebIdentityToken` (IAM outbound
 * identity federation) with the caller's own credentials. No broker, no Auth0, no client secret; the
 * token names the caller by construction (`sub` and `https://sts.amazonaws.com/` `principal_id`).
 *
 * Caching and refresh are core's `TokenCache`, as for broker tokens: served while `minTtlSeconds`
 * remain, one background refresh after 75 % of the lifetime, concurrent callers share one STS call;
 * an optional persistent `TokenStore` (the CLI's disk cache) sits behind it. `@aws-sdk/client-sts` is
 * imported on the first STS call only, so the broker path and a warm cache never load it.
 *
 * STS offers `GetWebIdentityToken` on regional endpoints only: a region is required, `aws-global` and
 * an explicit `sts.amazonaws.com` endpoint are refused here, and the SDK is told not to use the global
 * endpoint.
 */
import { type CacheOutcome, type Clock, systemClock, type TokenResponse, toPrintable } from "@mcp-token/core";
import { toCredentialsProvider } from "../credentials/defaultCredentials.js";
import { toCredentialsError } from "../credentials/toCredentialsError.js";
import type { AwsCredentials, AwsCredentialsProvider } from "../credentials/types.js";
import { invalidArgument } from "../errors/invalidArgument.js";
import { StsTokenError } from "../errors/stsTokenError.js";
import { type CachedToken, createLayeredCache } from "../tokenSource/layeredCache.js";
import type { TokenStore, TokenStoreKey } from "../tokenSource/tokenStore.js";

/** Default token lifetime asked of STS (seconds): long enough to cache, short enough to leak little. */
export const DEFAULT_STS_DURATION_SECONDS = 900;

/** Options of {@link createStsTokenSource}. */
export interface StsTokenSourceOptions {
  /** The token's audience(s) (`aud`): 1 to 10, what the MCP server's authorizer allows. */
  audience: string | readonly string[];
  /** STS region (a regional endpoint). Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  /** STS endpoint override (a VPC endpoint, or a local stand-in). Default: the SDK's regional endpoint (it honours `AWS_ENDPOINT_URL_STS`). */
  endpoint?: string;
  /** Token lifetime, 60–3600 seconds. Default {@link DEFAULT_STS_DURATION_SECONDS}. */
  durationSeconds?: number;
  /** Default `RS256`. */
  signingAlgorithm?: "RS256" | "ES384";
  /** `AWSIdentity` (default): `sub` is the principal's ARN. `OriginIdentity`: the human or workload behind the session. */
  subjectMode?: "AWSIdentity" | "OriginIdentity";
  /** Request tags, copied into the token's `https://sts.amazonaws.com/` `request_tags`. */
  tags?: Readonly<Record<string, string>>;
  /** Static AWS credentials or a provider. Default: the AWS Node provider chain, loaded lazily. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** AWS shared-config profile for the default chain. */
  awsProfile?: string;
  /** Seconds a handed-out token must have left. Default: 300, at most half of `durationSeconds`. */
  minTtlSeconds?: number;
  /** Persistent cache behind the in-memory one. Default: none. */
  cache?: TokenStore;
  /** AWS identity fingerprint for `cache` keys. Default: the access key id. */
  identity?: () => Promise<string | undefined>;
  clock?: Clock;
  /** Called when a background refresh or a cache write fails (the caller is still served). */
  onBackgroundError?: (error: unknown) => void;
}

/** A refreshing source of STS web identity tokens. */
export interface StsTokenSource {
  /** A token with at least `minTtlSeconds` left (memory, then the persistent cache, then STS). */
  getToken(): Promise<string>;
  /** Like `getToken`, as a token response (`profile` is `"sts"`, `scope` is empty). */
  getTokenResponse(): Promise<TokenResponse>;
  /** Drops the cached token so the next call asks STS again (only if it is still `rejectedToken`). */
  invalidate(rejectedToken?: string): Promise<void>;
  readonly lastOutcome: CacheOutcome | "store" | undefined;
  /** What this source asks for. */
  readonly sts: {
    region: string;
    endpoint: string | undefined;
    audiences: readonly string[];
    durationSeconds: number;
  };
  /** The caller's credentials (for diagnostics). */
  readonly credentials: AwsCredentialsProvider;
}

/** Creates an {@link StsTokenSource}. Validates the options at once (`TypeError` naming the option). */
export function createStsTokenSource(options: StsTokenSourceOptions): StsTokenSource {
  const audiences = [
    ...new Set(typeof options.audience === "string" ? [options.audience] : (options.audience ?? [])),
  ];
  if (
    audiences.length < 1 ||
    audiences.length > 10 ||
    audiences.some((a) => typeof a !== "string" || a.length < 1 || a.length > 1000)
  ) {
    throw invalidArgument(
      `"audience" must be 1 to 10 non-empty strings (the MCP server's allowed audiences)`,
    );
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const configuredRegion = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!configuredRegion || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(configuredRegion)) {
    const region = configuredRegion;
    throw new StsTokenError(
      "ERR_STS_GLOBAL_ENDPOINT",
      region === "aws-global"
        ? 'GetWebIdentityToken is not available on the STS global endpoint (region "aws-global"): pass a region such as us-west-2.'
        : `GetWebIdentityToken needs a regional STS endpoint: pass a region such as us-west-2 (or set AWS_REGION)${region ? `, not ${JSON.stringify(region.slice(0, 40))}` : ""}.`,
    );
  }
  const region: string = configuredRegion;
  const endpoint = options.endpoint;
  if (endpoint !== undefined) {
    let host: string;
    try {
      host = new URL(endpoint).hostname;
    } catch {
      throw invalidArgument(`"endpoint" must be a URL, got ${JSON.stringify(endpoint.slice(0, 80))}`);
    }
    if (host === "sts.amazonaws.com") {
      throw new StsTokenError(
        "ERR_STS_GLOBAL_ENDPOINT",
        `GetWebIdentityToken is not available on the STS global endpoint (${host}): use https://sts.${region}.amazonaws.com or leave the endpoint unset.`,
      );
    }
  }
  const durationSeconds = options.durationSeconds ?? DEFAULT_STS_DURATION_SECONDS;
  if (!Number.isInteger(durationSeconds) || durationSeconds < 60 || durationSeconds > 3600) {
    throw invalidArgument(
      `"durationSeconds" must be an integer from 60 to 3600, got ${String(durationSeconds)}`,
    );
  }
  const minTtlSeconds = options.minTtlSeconds ?? Math.min(300, Math.floor(durationSeconds / 2));
  if (!Number.isInteger(minTtlSeconds) || minTtlSeconds < 0 || minTtlSeconds >= durationSeconds) {
    throw invalidArgument(
      `"minTtlSeconds" must be an integer from 0 to below the token duration (${durationSeconds} s), got ${String(minTtlSeconds)}`,
    );
  }
  const signingAlgorithm = options.signingAlgorithm ?? "RS256";
  const subjectMode = options.subjectMode ?? "AWSIdentity";
  const tags = Object.entries(options.tags ?? {});
  const clock = options.clock ?? systemClock;
  const credentials = toCredentialsProvider(options.credentials, options.awsProfile);
  const onBackgroundError = options.onBackgroundError ?? (() => {});
  let rejected: string | undefined;
  let identity: Promise<string> | undefined;
  let client:
    | Promise<{ send(command: unknown): Promise<{ WebIdentityToken?: string; Expiration?: Date }> }>
    | undefined;
  let commandClass: (new (input: unknown) => unknown) | undefined;

  async function storeKey(): Promise<TokenStoreKey> {
    identity ??= (async () => {
      const hint = options.identity ? await options.identity() : undefined;
      return hint ?? `akid:${(await credentials()).accessKeyId}`;
    })();
    // One disk entry per STS endpoint and request shape; the store hashes these fields.
    return {
      brokerUrl: `sts:${region}:${endpoint ?? ""}`,
      profile: "sts",
      scopes: [
        ...audiences.map((a) => `aud=${a}`),
        `alg=${signingAlgorithm}`,
        `subject=${subjectMode}`,
        `duration=${durationSeconds}`,
        ...tags.map(([k, v]) => `tag=${k}=${v}`),
      ],
      identity: await identity,
    };
  }

  async function stsClient() {
    client ??= import("@aws-sdk/client-sts").then((mod) => {
      const sdk = "STSClient" in mod ? mod : (mod as { default: typeof mod }).default;
      commandClass = sdk.GetWebIdentityTokenCommand as unknown as new (input: unknown) => unknown;
      return new sdk.STSClient({
        region,
        useGlobalEndpoint: false,
        ...(endpoint !== undefined ? { endpoint } : {}),
        credentials: async () => credentials(),
        maxAttempts: 3,
      }) as unknown as { send(command: unknown): Promise<{ WebIdentityToken?: string; Expiration?: Date }> };
    });
    try {
      return await client;
    } catch (error) {
      client = undefined;
      throw error;
    }
  }

  async function fetchFromSts(): Promise<CachedToken> {
    const sts = await stsClient();
    const Command = commandClass as new (input: unknown) => unknown;
    let out: { WebIdentityToken?: string; Expiration?: Date };
    try {
      out = await sts.send(
        new Command({
          Audience: audiences,
          DurationSeconds: durationSeconds,
          SigningAlgorithm: signingAlgorithm,
          SubjectMode: subjectMode,
          ...(tags.length > 0 ? { Tags: tags.map(([Key, Value]) => ({ Key, Value })) } : {}),
        }),
      );
    } catch (error) {
      throw toStsError(error, { region, audiences, awsProfile: options.awsProfile });
    }
    const token = out.WebIdentityToken;
    if (typeof token !== "string" || token.length === 0 || token.length > 16_384) {
      throw new StsTokenError(
        "ERR_STS_UNAVAILABLE",
        "STS answered GetWebIdentityToken without a usable token.",
      );
    }
    const now = clock.now();
    const expiresAt =
      out.Expiration instanceof Date
        ? Math.min(out.Expiration.getTime(), now + durationSeconds * 1000)
        : now + durationSeconds * 1000;
    rejected = undefined;
    const response: TokenResponse = {
      access_token: token,
      token_type: "Bearer",
      expires_in: Math.max(0, Math.floor((expiresAt - now) / 1000)),
      expires_at: new Date(expiresAt).toISOString(),
      scope: "",
      profile: "sts",
    };
    return { issuedAt: now, expiresAt, response };
  }

  const cache = createLayeredCache({
    clock,
    minTtlSeconds,
    key: "sts",
    fetch: fetchFromSts,
    store: options.cache,
    storeKey,
    usable: (token, now) =>
      token.response.access_token !== rejected && token.expiresAt - now >= minTtlSeconds * 1000,
    onBackgroundError,
  });

  return {
    getTokenResponse: () => cache.get(),
    async getToken() {
      return (await cache.get()).access_token;
    },
    async invalidate(rejectedToken?: string) {
      const current = cache.peek();
      if (rejectedToken !== undefined && current && current.response.access_token !== rejectedToken) return;
      if (rejectedToken !== undefined) rejected = rejectedToken;
      await cache.drop();
    },
    get lastOutcome() {
      return cache.lastOutcome;
    },
    sts: { region, endpoint, audiences, durationSeconds },
    credentials,
  };
}

/** AWS's `GetWebIdentityToken` failures as errors that name the fix; AWS's text only as printable, bounded detail. */
export function toStsError(
  error: unknown,
  ctx: { region: string; audiences: readonly string[]; awsProfile?: string | undefined },
): Error {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e?.name === "string" ? e.name : "";
  const detail = toPrintable(typeof e?.message === "string" ? e.message : String(error)).slice(0, 300);
  const opts = { cause: error, awsCode: name };
  const aud = ctx.audiences.join(", ");
  switch (name) {
    case "OutboundWebIdentityFederationDisabledException":
      return new StsTokenError(
        "ERR_STS_FEDERATION_DISABLED",
        "Outbound identity federation is not enabled for this AWS account: an administrator runs `aws iam enable-outbound-web-identity-federation` once, and points the MCP server's authorizer at the issuer URL it returns (docs/SOURCES.md).",
        opts,
      );
    case "AccessDenied":
    case "AccessDeniedException":
      return new StsTokenError(
        "ERR_STS_ACCESS_DENIED",
        `STS refused GetWebIdentityToken (${detail}). Your principal needs sts:GetWebIdentityToken for audience ${aud} (and the requested duration): attach the stage's web identity token policy, or ask an admin (docs/SOURCES.md).`,
        opts,
      );
    case "InvalidAction":
      if (/global endpoint/i.test(detail)) {
        return new StsTokenError(
          "ERR_STS_GLOBAL_ENDPOINT",
          `GetWebIdentityToken is not available on the STS global endpoint: use the regional endpoint https://sts.${ctx.region}.amazonaws.com (${detail}).`,
          opts,
        );
      }
      return new StsTokenError(
        "ERR_STS_INVALID_REQUEST",
        `STS does not offer GetWebIdentityToken here (${detail}).`,
        opts,
      );
    case "ValidationError":
    case "JWTPayloadSizeExceededException":
    case "SessionDurationEscalationException":
      return new StsTokenError("ERR_STS_INVALID_REQUEST", `STS refused the token request: ${detail}`, opts);
    case "ExpiredToken":
    case "ExpiredTokenException":
    case "InvalidClientTokenId":
    case "SignatureDoesNotMatch":
    case "IncompleteSignature":
      return toCredentialsError(Object.assign(new Error(detail), { name }), ctx.awsProfile);
    default:
      if (
        name === "CredentialsProviderError" ||
        name === "CredentialsError" ||
        name === "TokenProviderError"
      ) {
        return toCredentialsError(error, ctx.awsProfile);
      }
      return new StsTokenError(
        "ERR_STS_UNAVAILABLE",
        `STS could not issue the token (${detail || name}); retry, or check the network and region ${ctx.region}.`,
        opts,
      );
  }
}
