/**
 * The `fetch` every package accepts as an option, so tests pass a recording or failing one instead
 * of patching `globalThis.fetch`. `globalThis.fetch` satisfies it.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
