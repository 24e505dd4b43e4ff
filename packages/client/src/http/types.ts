/** The `fetch` signature this package calls; pass any WHATWG-compatible implementation. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
