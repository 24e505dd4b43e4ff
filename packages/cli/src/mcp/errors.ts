// The errors an exchange with the MCP server ends in, and how a failed HTTP answer or network error
// becomes one (bounded, flattened, redacted with core's `redactSecrets`: a server may echo the token).
import { readBoundedText, redactSecrets } from "@mcp-token/core";

const MAX_ERROR_BODY_BYTES = 8 * 1024;
const MAX_DETAIL_CHARS = 300;

/** The server answered with an HTTP error (after the retries that apply). */
export class McpHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly wwwAuthenticate: string | undefined,
    /** A JSON-RPC error the server put in the body, if any. */
    readonly rpcError: { code: number; message: string } | undefined,
  ) {
    super(`HTTP ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "McpHttpError";
  }
}

/** The server could not be reached (connection refused after retries, reset, DNS, TLS). */
export class McpConnectionError extends Error {
  constructor(url: URL, cause: unknown) {
    super(`cannot reach ${url.origin} (${networkCode(cause)})`, { cause });
    this.name = "McpConnectionError";
  }
}

/** Reads (at most 8 KiB of) a failed response into an {@link McpHttpError}. */
export async function httpErrorFrom(res: Response): Promise<McpHttpError> {
  let text = "";
  try {
    text = await readBoundedText(res, MAX_ERROR_BODY_BYTES);
  } catch {
    // keep the status alone
  }
  let detail = "";
  let rpcError: { code: number; message: string } | undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body.error as { code?: unknown; message?: unknown } | string | undefined;
    if (error && typeof error === "object" && typeof error.message === "string") {
      detail = error.message;
      if (typeof error.code === "number") rpcError = { code: error.code, message: error.message };
    } else if (typeof body.error_description === "string") {
      detail = body.error_description;
    } else if (typeof error === "string") {
      detail = error;
    } else if (typeof body.message === "string") {
      detail = body.message;
    } else if (typeof body.Message === "string") {
      detail = body.Message;
    }
  } catch {
    detail = "";
  }
  const www = res.headers.get("www-authenticate") ?? undefined;
  if (!detail && www) detail = /error_description="([^"]*)"/.exec(www)?.[1] ?? "";
  return new McpHttpError(res.status, printable(detail), www ? printable(www) : undefined, rpcError);
}

/** Whether a `fetch` failure means nothing reached the server (every address refused the connection). */
export function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause as
    | { code?: unknown; errors?: { code?: unknown }[] }
    | undefined;
  if (!cause) return false;
  if (cause.code === "ECONNREFUSED") return true;
  return (
    Array.isArray(cause.errors) &&
    cause.errors.length > 0 &&
    cause.errors.every((e) => e.code === "ECONNREFUSED")
  );
}

/** A short name for a `fetch` failure (`ECONNREFUSED`, `UND_ERR_SOCKET`, `aborted`, or the message). */
export function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  if (error instanceof Error && error.name === "AbortError") return "aborted";
  return error instanceof Error ? error.message : String(error);
}

/** One line of at most 300 characters, control characters flattened, secrets redacted. */
function printable(text: string): string {
  let flat = "";
  for (const ch of text) flat += ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? " " : ch;
  flat = redactSecrets(flat);
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}…` : flat;
}
