/**
 * A small SigV4 signer (`AWS4-HMAC-SHA256`, service `lambda`) on `node:crypto`, written independently
 * of the client's (`@smithy/signature-v4`) so the suites can sign at load-test rates and build valid
 * requests whose headers the fuzz suite then mutates. It signs `host`, `x-amz-date`,
 * `x-amz-content-sha256` (when asked) and `x-amz-security-token` (temporary credentials) plus any
 * headers passed in.
 */
import { createHash, createHmac } from "node:crypto";

/** Credentials to sign with. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request to sign. `path` is the raw path (already percent-encoded), `query` the raw query. */
export interface RequestToSign {
  method: string;
  /** `host[:port]` as sent. */
  host: string;
  path: string;
  /** Raw query string without `?`; default "". */
  query?: string;
  /** Extra headers to sign and send (lower-case names). */
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send `x-amz-content-sha256` (signed); default false. */
  contentSha256Header?: boolean;
}

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

function encode(value: string, keepSlash: boolean): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, keepSlash ? "/" : "%2F");
}

function canonicalQuery(raw: string): string {
  const pairs: [string, string][] = [];
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const v = decodeURIComponent(eq < 0 ? "" : part.slice(eq + 1));
    pairs.push([encode(k, false), encode(v, false)]);
  }
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** `20250101T000000Z`. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** A cache of derived signing keys: one HMAC chain per (secret, day, region). */
const keys = new Map<string, Buffer>();

function signingKey(secret: string, day: string, region: string): Buffer {
  const id = `${secret}\n${day}\n${region}`;
  let key = keys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), "lambda"), "aws4_request");
    if (keys.size > 100) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/**
 * Signs `req` for `region` at `nowMs` (default now) and returns the headers to send (lower-case names,
 * `host` included; drop it when the HTTP client sets it itself).
 */
export function signV4(
  req: RequestToSign,
  credentials: SigningCredentials,
  region: string,
  nowMs: number = Date.now(),
): Record<string, string> {
  const date = amzDate(nowMs);
  const day = date.slice(0, 8);
  const body = req.body ?? "";
  const payloadHash = sha256Hex(body);
  const headers: Record<string, string> = { ...req.headers, host: req.host, "x-amz-date": date };
  if (req.contentSha256Header) headers["x-amz-content-sha256"] = payloadHash;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const canonicalHeaders = names
    .map((n) => `${n}:${(lower[n] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    req.method.toUpperCase(),
    encode(req.path === "" ? "/" : req.path, true),
    canonicalQuery(req.query ?? ""),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${region}/lambda/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", signingKey(credentials.secretAccessKey, day, region))
    .update(stringToSign, "utf8")
    .digest("hex");
  return {
    ...lower,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
