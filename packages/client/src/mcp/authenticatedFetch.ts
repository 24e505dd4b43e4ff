import type { FetchLike } from "../http/types.js";
import type { TokenSource } from "../tokenSource/createTokenSource.js";

/**
 * Wraps `fetch` so every request carries `Authorization: Bearer <fresh token>`. On a 401 or 403 the
 * rejected token is invalidated, a new one fetched and the request retried once (AgentCore has been
 * reported to answer 403 for expired tokens). Requests whose body is a one-shot stream are not
 * retried.
 *
 * @example
 * ```ts
 * const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: createAuthenticatedFetch(source) });
 * ```
 */
export function createAuthenticatedFetch(
  source: Pick<TokenSource, "getToken" | "invalidate">,
  fetchImpl?: FetchLike,
): FetchLike {
  const doFetch: FetchLike = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const retryable =
      !(init?.body instanceof ReadableStream) && !(input instanceof Request && input.bodyUsed);
    const spare = input instanceof Request && retryable ? input.clone() : input;
    const token = await source.getToken();
    const response = await doFetch(input, withBearer(input, init, token));
    if ((response.status !== 401 && response.status !== 403) || !retryable) return response;
    await response.body?.cancel().catch(() => {});
    await source.invalidate(token);
    const fresh = await source.getToken();
    return doFetch(spare, withBearer(spare, init, fresh));
  };
}

function withBearer(
  input: string | URL | Request,
  init: RequestInit | undefined,
  token: string,
): RequestInit {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set("authorization", `Bearer ${token}`);
  return { ...init, headers };
}
