/**
 * Converts a Lambda Function URL (payload 2.0, IAM auth) event into the broker's plain request, and its
 * plain response into the Function URL result, without web `Request`/`Response` objects.
 *
 * The meaning is that of the web request Lambda's event describes, `https://{domainName}{rawPath}?{rawQueryString}`
 * with the event's headers (cookies joined into `cookie`) and its body (base64-decoded when flagged; none
 * for GET and HEAD), exactly as {@link eventToRequest} builds it. {@link eventToBrokerRequest} takes that
 * meaning directly when the event is plainly unambiguous — a common method, a host, path and query the
 * WHATWG URL parser would keep verbatim, values of the headers the broker reads that `Headers` would keep
 * as they are — and otherwise builds the web request and converts it, so every unusual event (dot
 * segments, characters the parser encodes, headers `Headers` trims or rejects, an invalid method or host)
 * is treated exactly as before, including being unparsable.
 */
import type { LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import type { HandleContext } from "../broker.js";
import type { BrokerRequest, BrokerRequestHeader, BrokerResponse } from "../http/exchange.js";
import { fromWebRequest } from "../http/web.js";

/** The web request and broker context for a Function URL event (the reference conversion). */
export function eventToRequest(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  fallbackRequestId: string,
): { request: Request; ctx: HandleContext } {
  const rc = event.requestContext;
  const method = (rc?.http?.method ?? "GET").toUpperCase();
  const host = rc?.domainName || "localhost";
  const path = event.rawPath?.startsWith("/") ? event.rawPath : `/${event.rawPath ?? ""}`;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === "string") {
      try {
        headers.set(name, value);
      } catch {
        // invalid header name/value from the wire: drop it
      }
    }
  }
  if (event.cookies?.length) headers.set("cookie", event.cookies.join("; "));
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (event.body !== undefined && event.body !== null && method !== "GET" && method !== "HEAD") {
    body = new Uint8Array(Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8"));
  }
  const request = new Request(`https://${host}${path}${query}`, { method, headers, ...(body && { body }) });
  return { request, ctx: { requestId: rc?.requestId || fallbackRequestId, identity: identityOf(event) } };
}

/** The Function URL result for a web response (text body, headers flattened). */
export async function responseToResult(response: Response): Promise<LambdaFunctionURLResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false };
}

function identityOf(event: LambdaFunctionURLEventWithIAMAuthorizer): BrokerRequest["identity"] {
  const iam = event.requestContext?.authorizer?.iam;
  return iam && typeof iam.userArn === "string" ? iam : undefined;
}

/** Methods `Request` accepts as they are (after upper-casing). */
const PLAIN_METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
/** A DNS-style host with an optional port: nothing the URL parser could read as path, query or userinfo. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;
/** Segments of unreserved characters, none of them `.` or `..`: the URL parser keeps such a path verbatim. */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._~-]*)+$/;
/** Printable ASCII outside the special-query percent-encode set (`"`, `#`, `'`, `<`, `>`): kept verbatim. */
const PLAIN_QUERY = /^[!$-&(-;=?-~]*$/;
/** Printable ASCII without leading or trailing whitespace: a header value `Headers` keeps as it is. */
const HEADER_VALUE = /^(?:[!-~](?:[ -~]*[!-~])?)?$/;

let hostSeen: string | undefined;

/** `host` forms a valid URL origin (the last distinct host is remembered: Lambda gives one per function). */
function plainHost(host: string): boolean {
  if (host === hostSeen) return true;
  if (!PLAIN_HOST.test(host) || !URL.canParse(`https://${host}/`)) return false;
  hostSeen = host;
  return true;
}

/**
 * The broker request for a Function URL event. Throws (like the web conversion) when the event cannot
 * be a request: an invalid method or host.
 */
export function eventToBrokerRequest(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  fallbackRequestId: string,
): BrokerRequest {
  const direct = directRequest(event, fallbackRequestId);
  if (direct) return direct;
  const { request, ctx } = eventToRequest(event, fallbackRequestId);
  return fromWebRequest(request, ctx);
}

function directRequest(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  fallbackRequestId: string,
): BrokerRequest | undefined {
  const rc = event.requestContext;
  const method = (rc?.http?.method ?? "GET").toUpperCase();
  if (!PLAIN_METHODS.has(method)) return undefined;
  if (!plainHost(rc?.domainName || "localhost")) return undefined;
  const path = event.rawPath?.startsWith("/") ? event.rawPath : `/${event.rawPath ?? ""}`;
  if (!PLAIN_PATH.test(path)) return undefined;
  const query = event.rawQueryString ?? "";
  if (typeof query !== "string" || (query.length > 0 && !PLAIN_QUERY.test(query))) return undefined;
  const headers: { -readonly [K in BrokerRequestHeader]?: string } = {};
  const source = event.headers;
  if (source) {
    for (const name in source) {
      // Only the headers the broker reads; a name that lower-cases to one of them is plain ASCII.
      if ((name.length !== 12 && name.length !== 14) || !Object.hasOwn(source, name)) continue;
      const lower = name.toLowerCase();
      if (lower !== "content-type" && lower !== "content-length") continue;
      const value = source[name];
      if (typeof value !== "string") continue;
      if (!HEADER_VALUE.test(value)) return undefined;
      headers[lower] = value;
    }
  }
  // Cookies are not read, but the web conversion refuses the event when they make an invalid header.
  if (event.cookies?.length && !HEADER_VALUE.test(event.cookies.join("; "))) return undefined;
  let body: BrokerRequest["body"] = null;
  const raw = event.body;
  if (raw !== undefined && raw !== null && method !== "GET" && method !== "HEAD") {
    if (typeof raw !== "string") return undefined;
    if (event.isBase64Encoded) body = new Uint8Array(Buffer.from(raw, "base64"));
    // ASCII text (one byte per character) decodes back to itself; anything else goes as bytes.
    else
      body = Buffer.byteLength(raw, "utf8") === raw.length ? raw : new Uint8Array(Buffer.from(raw, "utf8"));
  }
  return {
    method,
    path,
    query,
    headers,
    body,
    identity: identityOf(event),
    requestId: rc?.requestId || fallbackRequestId,
  };
}

/** The Function URL result for a broker response. */
export function toFunctionUrlResult(response: BrokerResponse): LambdaFunctionURLResult {
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: false,
  };
}
