import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { LocalIdentity } from "./identities.js";

const ALGORITHM = "AWS4-HMAC-SHA256";
/** The service a Function URL signature is scoped to; other stand-ins (STS) pass theirs. */
const LAMBDA_SERVICE = "lambda";
const MAX_SKEW_MS = 5 * 60 * 1000;
const MAX_PRESIGN_EXPIRES_S = 604_800;

/** The parts of an HTTP request SigV4 covers, exactly as received. */
export interface SignedRequestInput {
  method: string;
  /** Request target as received: raw (percent-encoded) path plus optional `?query`. */
  url: string;
  /** Node's `req.rawHeaders` (name, value, name, value, …), so repeated headers keep their values. */
  rawHeaders: string[];
  body: Buffer;
}

/** Why a request was refused, in AWS's words. */
export interface SigV4Failure {
  ok: false;
  status: 403 | 400;
  /** `x-amzn-ErrorType`. */
  errorType: string;
  /** JSON body AWS sends. */
  body: Record<string, string>;
}

export type SigV4Result = { ok: true; identity: LocalIdentity } | SigV4Failure;

const forbidden = (): SigV4Failure => ({
  ok: false,
  status: 403,
  errorType: "AccessDeniedException",
  body: { Message: "Forbidden" },
});
const incomplete = (message: string): SigV4Failure => ({
  ok: false,
  status: 403,
  errorType: "IncompleteSignatureException",
  body: { message },
});
const invalidSignature = (message: string): SigV4Failure => ({
  ok: false,
  status: 403,
  errorType: "InvalidSignatureException",
  body: { message },
});
const badToken = (): SigV4Failure => ({
  ok: false,
  status: 403,
  errorType: "UnrecognizedClientException",
  body: { message: "The security token included in the request is invalid." },
});
export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 percent-encoding as SigV4 wants it: everything but unreserved characters (and `/` if kept). */
export function uriEncode(value: string, keepSlash: boolean): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === "/")) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Canonical URI for every service but S3: the path as sent (already percent-encoded once), normalised
 * as SigV4 asks ("remove redundant and relative path components": empty segments, `.` and `..`, as
 * @smithy/signature-v4 does), then encoded again, i.e. each segment URI-encoded twice.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = rawPath.endsWith("/") && segments.length > 0 ? "/" : "";
  return uriEncode(`/${segments.join("/")}${trailing}`, true);
}

/**
 * Canonical query string: decode, strictly re-encode, sort by name then value. A raw `+` decodes to a
 * space, as AWS's SigV4 signers read it (curl's SigV4 canonicalisation, the AWS SDKs for Go v1 and Rust;
 * a Function URL event was reported carrying `q=a b` for `q=a+b`): only `%2B` is a plus. Inferred from
 * signer code and that report, not an AWS statement; clients here never send a raw `+`.
 */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    const name = safeDecode(k.replace(/\+/g, " "));
    if (name === exclude) continue;
    pairs.push([uriEncode(name, false), uriEncode(safeDecode(v.replace(/\+/g, " ")), false)]);
  }
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** All values of each header (lower-cased name), in arrival order. */
export function headerValues(rawHeaders: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const list = map.get(name) ?? [];
    list.push(rawHeaders[i + 1] as string);
    map.set(name, list);
  }
  return map;
}

/** SigV4 signing key: HMAC chain over date, region, service and "aws4_request". */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

/** Parse "20250101T000000Z" to epoch milliseconds, or undefined. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

interface AuthParts {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string | undefined;
  securityToken: string | undefined;
  presigned: boolean;
  expiresSeconds?: number;
}

function parseAuthorizationHeader(value: string): AuthParts | SigV4Failure {
  const space = value.indexOf(" ");
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return incomplete(`Authorization header requires '${ALGORITHM}' as the signing algorithm.`);
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const required of ["Credential", "SignedHeaders", "Signature"]) {
    if (!fields.get(required)) {
      return incomplete(`Authorization header requires '${required}' parameter.`);
    }
  }
  return {
    credential: fields.get("Credential") as string,
    signedHeaders: fields.get("SignedHeaders") as string,
    signature: fields.get("Signature") as string,
    amzDate: undefined,
    securityToken: undefined,
    presigned: false,
  };
}

/**
 * Verify a SigV4 (`AWS4-HMAC-SHA256`) signature for `service` (default `lambda`) the way AWS does in front of a
 * Function URL with `AuthType AWS_IAM`: Authorization header or presigned query, credential scope,
 * ±5 minute clock skew, session token for temporary credentials, payload hash
 * (`x-amz-content-sha256` or the body's SHA-256) and a constant-time signature comparison.
 *
 * @param now current time in epoch milliseconds.
 */
export function verifySigV4(
  req: SignedRequestInput,
  identities: ReadonlyMap<string, LocalIdentity>,
  region: string,
  now: number,
  service: string = LAMBDA_SERVICE,
): SigV4Result {
  const q = req.url.indexOf("?");
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? "" : req.url.slice(q + 1);
  const headers = headerValues(req.rawHeaders);
  const query = new URLSearchParams(rawQuery);
  const first = (name: string) => headers.get(name)?.[0];

  // One signature, one date: a request carrying two (repeated headers, or header and query auth at
  // once) is ambiguous, and AWS refuses it rather than picking one.
  for (const name of ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]) {
    if ((headers.get(name)?.length ?? 0) > 1) {
      return incomplete(`The request must contain exactly one '${name}' header.`);
    }
  }
  if (headers.has("authorization") && query.has("X-Amz-Algorithm")) {
    return incomplete(
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.",
    );
  }

  let auth: AuthParts;
  const authorization = first("authorization");
  if (authorization !== undefined) {
    const parsed = parseAuthorizationHeader(authorization);
    if ("ok" in parsed) return parsed;
    auth = { ...parsed, amzDate: first("x-amz-date"), securityToken: first("x-amz-security-token") };
  } else if (query.has("X-Amz-Algorithm")) {
    if (query.get("X-Amz-Algorithm") !== ALGORITHM) {
      return incomplete(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
    }
    for (const required of ["X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date"]) {
      if (!query.get(required)) return incomplete(`AWS query-string parameters must include '${required}'.`);
    }
    const expires = Number(query.get("X-Amz-Expires") ?? String(MAX_PRESIGN_EXPIRES_S));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES_S) {
      return incomplete("X-Amz-Expires must be an integer between 1 and 604800.");
    }
    auth = {
      credential: query.get("X-Amz-Credential") as string,
      signedHeaders: query.get("X-Amz-SignedHeaders") as string,
      signature: query.get("X-Amz-Signature") as string,
      amzDate: query.get("X-Amz-Date") ?? undefined,
      securityToken: query.get("X-Amz-Security-Token") ?? undefined,
      presigned: true,
      expiresSeconds: expires,
    };
  } else {
    return forbidden();
  }

  // Date and clock skew.
  if (auth.amzDate === undefined) {
    return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseAmzDate(auth.amzDate);
  if (signedAt === undefined)
    return incomplete(`Date must be in ISO-8601 'basic format'. Got '${auth.amzDate}'.`);
  if (auth.presigned) {
    if (now > signedAt + (auth.expiresSeconds as number) * 1000) {
      return invalidSignature(
        `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - (auth.expiresSeconds as number) * 1000)}.`,
      );
    }
  } else if (signedAt < now - MAX_SKEW_MS) {
    return invalidSignature(
      `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`,
    );
  }
  if (signedAt > now + MAX_SKEW_MS) {
    return invalidSignature(
      `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
    );
  }

  // Credential scope: AKID/date/region/service/aws4_request.
  const scopeParts = auth.credential.split("/");
  if (scopeParts.length !== 5) {
    return incomplete(`Credential should be scoped to a valid region. Credential=${scopeParts[0] ?? ""}`);
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scopeParts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (scopeDate !== auth.amzDate.slice(0, 8)) {
    return invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
    );
  }
  if (scopeRegion !== region) return invalidSignature(`Credential should be scoped to a valid region. `);
  if (scopeService !== service)
    return invalidSignature(`Credential should be scoped to correct service: '${service}'. `);
  if (terminator !== "aws4_request") {
    return invalidSignature(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
    );
  }

  // Identity and session token.
  const identity = identities.get(accessKeyId);
  if (!identity) return badToken();
  if (identity.sessionToken !== undefined || auth.securityToken !== undefined) {
    if (identity.sessionToken === undefined || auth.securityToken === undefined) return badToken();
    const a = createHash("sha256").update(identity.sessionToken).digest();
    const b = createHash("sha256").update(auth.securityToken).digest();
    if (!timingSafeEqual(a, b)) return badToken();
  }

  // Payload hash. Lambda hashes the body itself and does not accept unsigned payloads: a request
  // declaring `UNSIGNED-PAYLOAD` (an S3 convention) fails like any other wrong payload hash.
  const declared = first("x-amz-content-sha256");
  const actual = sha256Hex(req.body);
  let payloadHash = actual;
  if (declared !== undefined) {
    if (declared.toLowerCase() !== actual) return invalidSignature(SIGNATURE_MISMATCH);
    payloadHash = declared;
  }

  // Canonical request.
  const signedHeaderNames = auth.signedHeaders.split(";");
  if (!signedHeaderNames.includes("host") || !headers.has("host")) {
    return invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  // Every `x-amz-*` header sent must be signed: otherwise anyone on the path could add or change one
  // (a session token, a content hash) without breaking the signature.
  const unsigned = [...headers.keys()].filter(
    (n) => n.startsWith("x-amz-") && !signedHeaderNames.includes(n),
  );
  if (unsigned.length > 0) {
    return invalidSignature(
      `There were headers present in the request which were not signed: ${unsigned.sort().join(", ")}`,
    );
  }
  const canonicalHeaders = signedHeaderNames
    .map((name) => {
      const values = (headers.get(name) ?? []).map((v) => v.trim().replace(/\s+/g, " "));
      return `${name}:${values.join(",")}\n`;
    })
    .join("");
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery, auth.presigned ? "X-Amz-Signature" : undefined),
    canonicalHeaders,
    auth.signedHeaders,
    payloadHash,
  ].join("\n");
  const credentialScope = `${scopeDate}/${scopeRegion}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, auth.amzDate, credentialScope, sha256Hex(canonicalRequest)].join("\n");
  const expected = createHmac("sha256", signingKey(identity.secretAccessKey, scopeDate, scopeRegion, service))
    .update(stringToSign, "utf8")
    .digest();
  const provided = /^[0-9a-f]{64}$/.test(auth.signature) ? Buffer.from(auth.signature, "hex") : undefined;
  if (!provided || !timingSafeEqual(expected, provided)) return invalidSignature(SIGNATURE_MISMATCH);
  // Authenticated; now authorised? Without lambda:InvokeFunctionUrl + lambda:InvokeFunction, Lambda
  // answers 403 Forbidden and never runs the function.
  if (service === LAMBDA_SERVICE && identity.mayInvoke === false) return forbidden();
  return { ok: true, identity };
}
