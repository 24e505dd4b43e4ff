/** SigV4-signed requests to the Function URL emulator (service `lambda`), as a real client sends them. */
import { Sha256 } from "@aws-crypto/sha256-js";
import type { LocalIdentity } from "@mcp-token/testkit";
import { SignatureV4 } from "@smithy/signature-v4";

export interface SignedRequestInit {
  method?: string;
  /** Path plus optional query, e.g. `/v1/token?profile=default`. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Sends a SigV4-signed request as `identity` to `baseUrl` and returns the raw response. */
export async function signedFetch(
  baseUrl: string,
  identity: LocalIdentity,
  init: SignedRequestInit,
  region = "us-west-2",
): Promise<Response> {
  const url = new URL(init.path, baseUrl);
  const method = init.method ?? "GET";
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const signer = new SignatureV4({
    service: "lambda",
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken && { sessionToken: identity.sessionToken }),
    },
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port && { port: Number(url.port) }),
    path: url.pathname,
    query,
    headers: { ...init.headers, host: url.host },
    ...(init.body !== undefined && { body: init.body }),
  });
  const headers = { ...signed.headers } as Record<string, string>;
  delete headers.host;
  return fetch(url, { method, headers, ...(init.body !== undefined && { body: init.body }) });
}
