// The broker client validates every response with the zod schemas of @mcp-token/core: it is the
// one module of the client that loads zod, and a token source imports it only when it has to ask
// the broker (see lazyBrokerClient.ts), so a token answered from a cache never loads it.
import {
  BodyTooLargeError,
  BrokerError,
  profilesResponseSchema,
  readBoundedText,
  tokenResponseSchema,
  whoamiResponseSchema,
} from "@mcp-token/core";
import { toCredentialsProvider } from "../credentials/defaultCredentials.js";
import { BrokerConnectionError } from "../errors/brokerConnectionError.js";
import type { FetchLike } from "../http/types.js";
import { USER_AGENT } from "../version.js";
import { awsRejection } from "./awsRejection.js";
import { resolveBrokerEndpoint } from "./brokerEndpoint.js";
import type { BrokerClient, BrokerClientOptions } from "./types.js";

export type { BrokerClient, BrokerClientOptions, BrokerTokenRequest } from "./types.js";

/** Largest successful broker response accepted (bytes). A token response is about 2 KB. */
export const MAX_BROKER_RESPONSE_BYTES = 64 * 1024;
/** Largest error body read (bytes). */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/**
 * Creates a SigV4-signing client for the broker API.
 *
 * @example
 * ```ts
 * const broker = createBrokerClient({ brokerUrl: "https://abc.lambda-url.us-west-2.on.aws/" });
 * const { principal } = await broker.whoami();
 * ```
 */
export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const { base, region, timeoutMs } = resolveBrokerEndpoint(options);
  const credentials = toCredentialsProvider(options.credentials, options.awsProfile);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const userAgent = options.userAgent ?? USER_AGENT;

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: "application/json" };
    if (text !== undefined) headers["content-type"] = "application/json";
    const awsCredentials = await credentials();
    // Loaded on first use: a process answered from a warm cache never loads the signer.
    const { signRequest } = await import("./signRequest.js");
    const { url: signedUrl, headers: signed } = await signRequest(
      { url, method, headers, ...(text !== undefined ? { body: text } : {}) },
      awsCredentials,
      region,
    );
    let response: Response;
    try {
      response = await doFetch(signedUrl, {
        method,
        headers: { ...signed, "user-agent": userAgent },
        ...(text !== undefined ? { body: text } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new BrokerConnectionError(base.href, error);
    }
    if (!response.ok) throw await errorFrom(response, options.awsProfile);
    let raw: string;
    try {
      raw = await readBoundedText(response, MAX_BROKER_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw invalidResponse(base, path, `larger than ${MAX_BROKER_RESPONSE_BYTES} bytes`, error);
      }
      throw new BrokerConnectionError(base.href, error);
    }
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw invalidResponse(base, path, "not JSON", error);
    }
  }

  function validate<T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: unknown } },
    path: string,
    value: unknown,
  ): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidResponse(base, path, "unexpected shape", parsed.error);
    return parsed.data;
  }

  return {
    url: base.href,
    region,
    async requestToken(request) {
      const body: Record<string, unknown> = { profile: request.profile };
      if (request.scopes && request.scopes.length > 0) body.scopes = [...request.scopes];
      if (request.minTtlSeconds !== undefined) body.minTtlSeconds = request.minTtlSeconds;
      if (request.replaces !== undefined) body.replaces = request.replaces;
      return validate(tokenResponseSchema, "v1/token", await call("POST", "v1/token", body));
    },
    async listProfiles() {
      return validate(profilesResponseSchema, "v1/profiles", await call("GET", "v1/profiles"));
    },
    async whoami() {
      return validate(whoamiResponseSchema, "v1/whoami", await call("GET", "v1/whoami"));
    },
    credentials,
  };
}

async function errorFrom(response: Response, awsProfile: string | undefined): Promise<Error> {
  let text = "";
  try {
    text = await readBoundedText(response, MAX_ERROR_BODY_BYTES);
  } catch {
    // An oversize or broken error body still maps to an error by status below.
  }
  const aws = awsRejection(response.status, text, awsProfile);
  if (aws) return aws;
  return BrokerError.fromResponse(new Response(text, { status: response.status, headers: response.headers }));
}

function invalidResponse(base: URL, path: string, what: string, cause: unknown): BrokerError {
  return new BrokerError(
    "internal_error",
    `The broker at ${base.href} answered ${path} with an invalid response (${what}); check that --broker points at an mcp-token broker.`,
    { cause },
  );
}
