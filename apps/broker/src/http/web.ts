/**
 * The web-style seam: a web `Request` (plus the adapter's context) to a {@link BrokerRequest}, and a
 * {@link BrokerResponse} back to a web `Response`. Used by `createBroker(...).handle`, by tests, and as
 * the exact reference the Lambda adapter's direct conversion falls back to for unusual events.
 */
import type { CallerIdentity } from "../authorize.js";
import {
  BROKER_REQUEST_HEADERS,
  type BrokerRequest,
  type BrokerRequestHeader,
  type BrokerResponse,
} from "./exchange.js";

/** What the adapter knows about a request besides the request itself. */
export interface RequestMeta {
  requestId: string;
  identity: CallerIdentity | undefined;
}

/** The broker request for a web request; its body stays a stream, read only if a route needs it. */
export function fromWebRequest(request: Request, meta: RequestMeta): BrokerRequest {
  const url = new URL(request.url);
  const headers: { -readonly [K in BrokerRequestHeader]?: string } = {};
  for (const name of BROKER_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    body: request.body,
    identity: meta.identity,
    requestId: meta.requestId,
  };
}

/** The web response for a broker response. */
export function toWebResponse(response: BrokerResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
