/**
 * Client credentials from AWS Secrets Manager.
 *
 * Reads use the AWS SDK `SecretsManagerClient` (`GetSecretValue`, `AWSCURRENT`) behind the core
 * `TokenCache`: each secret is cached for a bounded `maxAgeSeconds`, concurrent reads share one request,
 * and `forceFetch` (used once after an `invalid_client`) drops the cached value first. The SDK is loaded
 * with a dynamic `import()` on the first read, so importing the handler stays fast; the production
 * bundle leaves `@aws-sdk/*` to the Lambda runtime, which ships SDK v3 (see scripts/bundle.mjs).
 * The secret holds JSON `{ "client_id", "client_secret" }` (other keys are ignored).
 */
import { type CacheableToken, type Clock, systemClock, TokenCache } from "@mcp-token/core";
import { z } from "zod";
import { loadSdk } from "./aws/loadSdk.js";

/** OAuth client credentials for one profile. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Options for {@link SecretProvider.getClientCredentials}. */
export interface GetCredentialsOptions {
  /** Bypass the cache and read the current version (used once after `invalid_client`). Default false. */
  forceFetch?: boolean;
}

/** Where the broker gets client credentials from. Inject a fake in tests. */
export interface SecretProvider {
  /** Returns the credentials stored under `secretId`; throws {@link SecretReadError}. */
  getClientCredentials(secretId: string, opts?: GetCredentialsOptions): Promise<ClientCredentials>;
}

/** Why a secret could not be used. `unavailable` is transient (network, throttling, 5xx). */
export type SecretReadErrorKind = "not_found" | "access_denied" | "malformed" | "unavailable";

/** A secret that could not be read or parsed. The message never contains the secret value. */
export class SecretReadError extends Error {
  readonly code = "ERR_SECRET_READ";
  constructor(
    readonly kind: SecretReadErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SecretReadError";
  }
}

/** Largest secret value accepted, in characters. */
export const MAX_SECRET_CHARS = 16 * 1024;

const secretValueSchema = z.object({
  client_id: z.string().min(1).max(512),
  client_secret: z.string().min(1).max(4096),
});

/**
 * Parses a secret value into {@link ClientCredentials}.
 * @throws {SecretReadError} `malformed` naming the missing field, never quoting the value.
 */
export function parseClientCredentials(secretId: string, value: unknown): ClientCredentials {
  if (typeof value !== "string") {
    throw new SecretReadError("malformed", `secret ${secretId} has no SecretString`);
  }
  if (value.length > MAX_SECRET_CHARS) {
    throw new SecretReadError(
      "malformed",
      `secret ${secretId} is larger than ${MAX_SECRET_CHARS} characters`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new SecretReadError(
      "malformed",
      `secret ${secretId} is not JSON; store {"client_id","client_secret"}`,
    );
  }
  const parsed = secretValueSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))].join(", ");
    throw new SecretReadError(
      "malformed",
      `secret ${secretId} must be JSON {"client_id","client_secret"} (bad or missing: ${fields})`,
    );
  }
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}

/** The part of `SecretsManagerClient` the provider uses (inject a fake in tests). */
export interface SecretsManagerLike {
  send(command: unknown): Promise<{ SecretString?: string; SecretBinary?: Uint8Array }>;
}

/** Options for {@link createSecretsManagerProvider}. */
export interface SecretsManagerProviderOptions {
  /** Cache lifetime of a secret value, seconds. Default 300. */
  maxAgeSeconds?: number;
  /**
   * `SecretsManagerClient` configuration (region, endpoint, credentials). Default: the SDK's own
   * resolution (`AWS_REGION`, `AWS_ENDPOINT_URL`, the credential provider chain) with a 2 s connection
   * timeout, a 5 s request timeout and two attempts.
   */
  clientConfig?: Record<string, unknown>;
  /** A ready client; when set, `clientConfig` is ignored and the SDK is not loaded. */
  client?: SecretsManagerLike;
  /** Clock for the cache. Default the system clock. */
  clock?: Clock;
}

type SdkModule = typeof import("@aws-sdk/client-secrets-manager");

const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "InternalServiceError",
  "InternalServiceErrorException",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
]);

function classifyAwsError(secretId: string, error: unknown): SecretReadError {
  const name = (error as { name?: string }).name ?? "Error";
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === "ResourceNotFoundException") {
    return new SecretReadError("not_found", `secret ${secretId} does not exist (${name})`, { cause: error });
  }
  if (name === "AccessDeniedException" || name === "AccessDenied" || name === "DecryptionFailure") {
    return new SecretReadError("access_denied", `the broker may not read secret ${secretId} (${name})`, {
      cause: error,
    });
  }
  if (status === undefined || status >= 500 || status === 429 || TRANSIENT_NAMES.has(name)) {
    return new SecretReadError(
      "unavailable",
      `Secrets Manager is unavailable reading ${secretId} (${name})`,
      {
        cause: error,
      },
    );
  }
  return new SecretReadError(
    "access_denied",
    `Secrets Manager refused to read ${secretId} (${name}, ${status})`,
    {
      cause: error,
    },
  );
}

interface CachedCredentials extends CacheableToken {
  credentials: ClientCredentials;
}

/**
 * Creates a {@link SecretProvider} backed by AWS Secrets Manager.
 *
 * @example
 * const secrets = createSecretsManagerProvider({ maxAgeSeconds: 300 });
 * const { clientId } = await secrets.getClientCredentials("mcp-token/auth0");
 */
export function createSecretsManagerProvider(opts: SecretsManagerProviderOptions = {}): SecretProvider {
  const maxAgeMs = (opts.maxAgeSeconds ?? 300) * 1000;
  const clock = opts.clock ?? systemClock;
  const cache = new TokenCache<CachedCredentials>({
    clock,
    maxEntries: 100,
    refreshAheadRatio: 1,
    defaultMinTtlSeconds: 0,
    failureBackoffSeconds: 0,
  });
  let client: Promise<{ client: SecretsManagerLike; command: (secretId: string) => unknown }> | undefined;

  const getClient = () => {
    client ??= (async () => {
      const sdk = await loadSdk<SdkModule>(
        "@aws-sdk/client-secrets-manager",
        () => import("@aws-sdk/client-secrets-manager"),
      );
      const command = (secretId: string) => new sdk.GetSecretValueCommand({ SecretId: secretId });
      if (opts.client) return { client: opts.client, command };
      const instance = new sdk.SecretsManagerClient({
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
        ...opts.clientConfig,
      });
      return { client: instance as unknown as SecretsManagerLike, command };
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };

  const read = async (secretId: string): Promise<CachedCredentials> => {
    const { client: sm, command } = await getClient();
    let value: { SecretString?: string };
    try {
      value = await sm.send(command(secretId));
    } catch (error) {
      throw classifyAwsError(secretId, error);
    }
    const now = clock.now();
    return {
      credentials: parseClientCredentials(secretId, value.SecretString),
      issuedAt: now,
      expiresAt: now + maxAgeMs,
    };
  };

  return {
    async getClientCredentials(secretId, getOpts = {}) {
      if (getOpts.forceFetch) cache.invalidate(secretId);
      return (await cache.get(secretId, read, { minTtlSeconds: 0 })).credentials;
    },
  };
}
