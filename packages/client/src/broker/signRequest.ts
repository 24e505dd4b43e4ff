import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentials } from "../credentials/types.js";

/** What {@link signRequest} needs: a URL, method, headers and an optional string body. */
export interface UnsignedRequest {
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

/** RFC 3986 encoding as SigV4 canonical query strings use it: only unreserved characters stay. */
function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The query's parameters as the broker reads them (`URLSearchParams`: a `+` is a space), and the query
 * re-encoded so that no character is ambiguous on the wire: spaces as `%20`, pluses as `%2B`. Signers
 * and receivers disagree about a raw `+` (SigV4 libraries read it as a space, a strict reading of the
 * spec as a plus), so a raw `+` is never sent: what is signed is exactly what is sent, under either.
 */
function canonicalQuery(search: string): { params: Record<string, string | string[]>; search: string } {
  const params: Record<string, string | string[]> = {};
  const parts: string[] = [];
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    parts.push(`${strictEncode(key)}=${strictEncode(value)}`);
  }
  return { params, search: parts.length > 0 ? `?${parts.join("&")}` : "" };
}

/**
 * Signs a request for a Lambda Function URL with SigV4 (service `lambda`). Returns the URL to send
 * (its query re-encoded unambiguously, see {@link canonicalQuery}) and the headers: the given ones plus
 * `authorization`, `x-amz-date` and, for temporary credentials, `x-amz-security-token`. `host` is
 * signed but left for `fetch` to send (it is a forbidden header).
 */
export async function signRequest(
  request: UnsignedRequest,
  credentials: AwsCredentials,
  region: string,
  signingDate?: Date,
): Promise<{ url: URL; headers: Record<string, string> }> {
  const signer = new SignatureV4({ service: "lambda", region, credentials, sha256: Sha256 });
  const { params: query, search } = canonicalQuery(request.url.search);
  const url = new URL(request.url);
  url.search = search;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    signingDate ? { signingDate } : {},
  );
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(signed.headers)) {
    if (key.toLowerCase() !== "host") headers[key] = value;
  }
  return { url, headers };
}
