/**
 * The broker core's own request and response: plain data, no web `Request`/`Response` objects, so the
 * Lambda path never builds undici objects (`createBroker(...).serve`). The web-style seam
 * (`createBroker(...).handle`) converts to and from these (`web.ts`), the Lambda adapter converts Function
 * URL events (`lambda/event.ts`).
 */
import type { BrokerError } from "@mcp-token/core";
import type { CallerIdentity } from "../authorize.js";

/** The request headers the broker reads, by lower-case name. */
export const BROKER_REQUEST_HEADERS = ["content-type", "content-length"] as const;

/** A header the broker reads. */
export type BrokerRequestHeader = (typeof BROKER_REQUEST_HEADERS)[number];

/** Values of the headers the broker reads. */
export type BrokerRequestHeaders = Readonly<Partial<Record<BrokerRequestHeader, string>>>;

/** One request to the broker. */
export interface BrokerRequest {
  /** Method, upper case (`POST`). */
  method: string;
  /** Path as the WHATWG URL parser normalises it (`/v1/token`): dot segments resolved, percent-encoded. */
  path: string;
  /** Query string without the `?` (`""` when none), as the URL parser encodes it. */
  query: string;
  /**
   * The headers the broker reads ({@link BROKER_REQUEST_HEADERS}), with their values as a web `Headers`
   * would hold them (an invalid value is dropped). Others are not carried: a route that needs one adds it
   * to that list, and the type makes any other read a compile error.
   */
  headers: BrokerRequestHeaders;
  /**
   * The body: UTF-8 text, raw bytes (decoded as UTF-8 when read), a stream (read lazily, with the size
   * bound) or `null` for none. GET and HEAD requests carry none.
   */
  body: string | Uint8Array | ReadableStream<Uint8Array> | null;
  /** `requestContext.authorizer.iam`; undefined when the request carried no IAM context. */
  identity: CallerIdentity | undefined;
  /** Request id (Function URL `requestContext.requestId`), echoed in errors and logs. */
  requestId: string;
}

/** One response from the broker: a JSON text body. */
export interface BrokerResponse {
  status: number;
  /** Header values by lower-case name. */
  headers: Record<string, string>;
  body: string;
}

/** JSON response with `Cache-Control: no-store` and `Pragma: no-cache`. */
export function jsonResponse(body: unknown, status = 200): BrokerResponse {
  return jsonTextResponse(JSON.stringify(body), status);
}

/** {@link jsonResponse} for a body that is already JSON text. */
export function jsonTextResponse(json: string, status = 200): BrokerResponse {
  return {
    status,
    headers: { "cache-control": "no-store", "content-type": "application/json", pragma: "no-cache" },
    body: json,
  };
}

/** The error's wire response: core's `BrokerError.toPlainResponse`, the one owner of error bodies. */
export function errorResponse(
  error: BrokerError,
  requestId: string,
  extra?: Readonly<Record<string, string>>,
): BrokerResponse {
  return error.toPlainResponse(requestId, extra);
}
