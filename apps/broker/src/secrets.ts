/**
 * Client credentials from AWS Secrets Manager.
 *
 * Reads go through the Powertools Parameters `SecretsProvider` (bounded `maxAge` cache, `forceFetch` to
 * bypass it after an `invalid_client`). The provider and the AWS SDK are loaded with a dynamic
 * `import()` on first use so that importing the handler stays fast. Concurrent reads of one secret share
 * one request. The secret holds JSON `{ "client_id", "client_secret" }` (other keys are ignored).
 */
import { z } from "zod";

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

/** Options for {@link createSecretsManagerProvider}. */
export interface SecretsManagerProviderOptions {
  /** Cache lifetime of a secret value, seconds. Default 300. */
  maxAgeSeconds?: number;
  /**
   * AWS SDK `SecretsManagerClient` configuration (region, endpoint, credentials). Default: the SDK's
   * own resolution (`AWS_REGION`, `AWS_ENDPOINT_URL`, the credential provider chain), with short
   * connection/request timeouts and two attempts.
   */
  clientConfig?: Record<string, unknown>;
}

interface PowertoolsSecrets {
  get(name: string, options: { maxAge: number; forceFetch: boolean }): Promise<unknown>;
}

const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "InternalServiceError",
  "InternalServiceErrorException",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
]);

function classifyAwsError(secretId: string, error: unknown): SecretReadError {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const name = (cause as { name?: string }).name ?? "Error";
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === "ResourceNotFoundException") {
    return new SecretReadError("not_found", `secret ${secretId} does not exist (${name})`, { cause });
  }
  if (name === "AccessDeniedException" || name === "AccessDenied" || name === "DecryptionFailure") {
    return new SecretReadError("access_denied", `the broker may not read secret ${secretId} (${name})`, {
      cause,
    });
  }
  if (status === undefined || status >= 500 || status === 429 || TRANSIENT_NAMES.has(name)) {
    return new SecretReadError(
      "unavailable",
      `Secrets Manager is unavailable reading ${secretId} (${name})`,
      {
        cause,
      },
    );
  }
  return new SecretReadError("access_denied", `Secrets Manager refused to read ${secretId} (${name})`, {
    cause,
  });
}

/**
 * Creates a {@link SecretProvider} backed by AWS Secrets Manager through Powertools Parameters.
 *
 * @example
 * const secrets = createSecretsManagerProvider({ maxAgeSeconds: 300 });
 * const { clientId } = await secrets.getClientCredentials("mcp-token/auth0");
 */
export function createSecretsManagerProvider(opts: SecretsManagerProviderOptions = {}): SecretProvider {
  const maxAge = opts.maxAgeSeconds ?? 300;
  let provider: Promise<PowertoolsSecrets> | undefined;
  const inFlight = new Map<string, Promise<ClientCredentials>>();

  const load = (): Promise<PowertoolsSecrets> => {
    provider ??= import("@aws-lambda-powertools/parameters/secrets")
      .then(
        ({ SecretsProvider }) =>
          new SecretsProvider({
            clientConfig: {
              maxAttempts: 2,
              requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
              ...opts.clientConfig,
            },
          }) as unknown as PowertoolsSecrets,
      )
      .catch((error: unknown) => {
        provider = undefined;
        throw error;
      });
    return provider;
  };

  return {
    getClientCredentials(secretId, getOpts = {}) {
      const forceFetch = getOpts.forceFetch ?? false;
      const flightKey = `${forceFetch ? "force" : "cached"}\u0000${secretId}`;
      const existing = inFlight.get(flightKey);
      if (existing) return existing;
      const pending = (async () => {
        const secrets = await load();
        let value: unknown;
        try {
          value = await secrets.get(secretId, { maxAge, forceFetch });
        } catch (error) {
          throw classifyAwsError(secretId, error);
        }
        return parseClientCredentials(secretId, value);
      })().finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, pending);
      return pending;
    },
  };
}
