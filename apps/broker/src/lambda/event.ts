/**
 * Converts between the Lambda Function URL (payload 2.0, IAM auth) event/result and web
 * `Request`/`Response`. The request URL is `https://{domainName}{rawPath}?{rawQueryString}`; headers
 * are copied (cookies too); a base64 body is decoded; GET/HEAD requests carry no body.
 */
import type { LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import type { HandleContext } from "../broker.js";

/** The web request and broker context for a Function URL event. */
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
  const iam = rc?.authorizer?.iam;
  return {
    request,
    ctx: {
      requestId: rc?.requestId || fallbackRequestId,
      identity: iam && typeof iam.userArn === "string" ? iam : undefined,
    },
  };
}

/** The Function URL result for a web response (text body, headers flattened). */
export async function responseToResult(response: Response): Promise<LambdaFunctionURLResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false };
}
