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

/**
 * The query exactly as it is sent, as the signer's name → value(s) map: percent-escapes decoded, but a
 * `+` kept as a literal plus. `URL.searchParams` would turn `+` into a space, so the signature would
 * cover `%20` while the request carries `+`, which the receiving end canonicalises as `%2B` (SigV4
 * canonical query strings URI-encode the bytes as sent): a signature mismatch.
 */
function rawQueryParameters(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = decode(eq < 0 ? "" : part.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/**
 * Signs a request for a Lambda Function URL with SigV4 (service `lambda`). Returns the headers to
 * send: the given ones plus `authorization`, `x-amz-date` and, for temporary credentials,
 * `x-amz-security-token`. `host` is signed but left for `fetch` to send (it is a forbidden header).
 */
export async function signRequest(
  request: UnsignedRequest,
  credentials: AwsCredentials,
  region: string,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: "lambda", region, credentials, sha256: Sha256 });
  const query = rawQueryParameters(request.url.search);
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
  return headers;
}
