/**
 * Converts a Lambda Function URL event (payload 2.0, IAM auth) into the broker's plain request, and the
 * broker's plain response back into the Function URL result.
 *
 * The request is taken straight from the event: `rawPath` (routed exactly: `/v1/token`, not
 * `/v1/token/` or `//v1/token`), `rawQueryString`, the headers the broker reads (Lambda gives header
 * names in lower case), the body (base64-decoded when flagged; none for GET and HEAD), and the IAM
 * context Lambda filled in from the verified SigV4 signature.
 */
import type { LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import {
  BROKER_REQUEST_HEADERS,
  type BrokerRequest,
  type BrokerRequestHeader,
  type BrokerResponse,
} from "../http/exchange.js";

/** The broker request for a Function URL event. */
export function eventToBrokerRequest(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  fallbackRequestId: string,
): BrokerRequest {
  const rc = event.requestContext;
  const method = String(rc?.http?.method ?? "GET").toUpperCase();
  const headers: { -readonly [K in BrokerRequestHeader]?: string } = {};
  for (const name of BROKER_REQUEST_HEADERS) {
    const value = event.headers?.[name];
    if (typeof value === "string") headers[name] = value;
  }
  let body: BrokerRequest["body"] = null;
  if (typeof event.body === "string" && method !== "GET" && method !== "HEAD") {
    body = event.isBase64Encoded ? new Uint8Array(Buffer.from(event.body, "base64")) : event.body;
  }
  const iam = rc?.authorizer?.iam;
  return {
    method,
    path: typeof event.rawPath === "string" && event.rawPath !== "" ? event.rawPath : "/",
    query: typeof event.rawQueryString === "string" ? event.rawQueryString : "",
    headers,
    body,
    identity: iam && typeof iam.userArn === "string" ? iam : undefined,
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
