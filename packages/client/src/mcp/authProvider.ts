import type { TokenSource } from "../tokenSource/createTokenSource.js";

/**
 * Structurally the MCP TypeScript SDK v2 client `AuthProvider`
 * (`import type { AuthProvider } from "@modelcontextprotocol/client"`), declared here so this package
 * does not depend on the SDK.
 */
export interface McpAuthProvider {
  /** Called by the transport before every request. */
  token(): Promise<string | undefined>;
  /** Called by the transport on a 401; awaited, then the request is retried once. */
  onUnauthorized(ctx?: unknown): Promise<void>;
}

/**
 * An MCP SDK v2 client `AuthProvider` backed by a token source: `token()` returns a fresh token
 * before every request (from cache, refreshed ahead of expiry); `onUnauthorized()` drops the token
 * the server rejected and fetches a new one before the SDK's single retry.
 *
 * The SDK retries only on 401 (not 403) and does not re-initialise lost sessions; for those, wrap
 * `fetch` with {@link createAuthenticatedFetch} instead or use `mcp-token proxy`.
 *
 * @example
 * ```ts
 * const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: createAuthProvider(source) });
 * ```
 */
export function createAuthProvider(source: Pick<TokenSource, "getToken" | "invalidate">): McpAuthProvider {
  let last: string | undefined;
  return {
    async token() {
      last = await source.getToken();
      return last;
    },
    async onUnauthorized() {
      await source.invalidate(last);
      last = await source.getToken();
    },
  };
}
