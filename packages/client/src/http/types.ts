/** The `fetch` signature this package calls; pass any WHATWG-compatible implementation. */
export type { FetchLike } from "@mcp-token/core";
