/**
 * Signs one broker request with SigV4 (service `lambda`), the way a client does, so a load generator
 * can replay it: the Function URL emulator, like AWS, accepts a signature for ±5 minutes.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import type { LocalIdentity } from "@mcp-token/testkit";
import { SignatureV4 } from "@smithy/signature-v4";

/** A request ready to send (or replay): every header, including `host`, and the exact body. */
export interface SignedRequest {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

/** The body every token request in the benchmarks sends (what `mcp-token` clients send by default). */
export const TOKEN_REQUEST_BODY = JSON.stringify({ profile: "default" });

/**
 * Signs `method url` (with `body`) for `identity` in `region`.
 *
 * @example
 * const req = await signRequest({ url: `${broker.url}/v1/token`, method: "POST", body: TOKEN_REQUEST_BODY,
 *   identity: ids.developer, region: "us-west-2" });
 * await fetch(req.url, { method: req.method, headers: withoutHost(req.headers), body: req.body });
 */
export async function signRequest(input: {
  url: string;
  method: "GET" | "POST";
  body?: string;
  identity: LocalIdentity;
  region: string;
}): Promise<SignedRequest> {
  const url = new URL(input.url);
  const signer = new SignatureV4({
    service: "lambda",
    region: input.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: input.identity.accessKeyId,
      secretAccessKey: input.identity.secretAccessKey,
      ...(input.identity.sessionToken ? { sessionToken: input.identity.sessionToken } : {}),
    },
  });
  const headers: Record<string, string> = { host: url.host, accept: "application/json" };
  if (input.body !== undefined) headers["content-type"] = "application/json";
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signed = await signer.sign({
    method: input.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers,
    ...(input.body !== undefined ? { body: input.body } : {}),
  });
  return {
    url: url.href,
    method: input.method,
    headers: { ...(signed.headers as Record<string, string>) },
    ...(input.body !== undefined ? { body: input.body } : {}),
  };
}

/** `headers` without `host` (fetch sets it and refuses it as a forbidden header). */
export function withoutHost(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() !== "host") out[key] = value;
  return out;
}

/** Sends a signed request with fetch (15 s timeout) and returns the status and the JSON body (first 64 KB of text). */
export async function sendSigned(req: SignedRequest): Promise<{ status: number; json: unknown }> {
  const res = await fetch(req.url, {
    method: req.method,
    headers: withoutHost(req.headers),
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = (await res.text()).slice(0, 65_536);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}
