import { redactSecrets, toPrintable } from "@mcp-token/core";
import { EXIT } from "../errors.js";

/** How `main` reports a failure: the text for stderr and the exit code. */
export interface ErrorReport {
  message: string;
  exitCode: number;
  internal: boolean;
}

const DENIED = new Set(["access_denied", "unauthorized", "unknown_profile"]);

/**
 * Maps any thrown value to its report. Errors are recognised by `name` and `code` (not
 * `instanceof`) so this module loads nothing else but two text helpers from core; text has secrets and
 * anything JWT-shaped redacted, and control characters removed (much of it is remote text: a broker's
 * `error_description`, an AWS error body), so it cannot rewrite the terminal or forge output lines.
 */
export function describeError(error: unknown): ErrorReport {
  const text = (s: unknown) => toPrintable(redactSecrets(String(s ?? "")));
  if (!(error instanceof Error)) return internal(text(error));
  const e = error as Error & { code?: unknown; requestId?: unknown; description?: unknown };
  if (e.name === "CredentialsError") {
    return { message: text(e.message), exitCode: EXIT.credentials, internal: false };
  }
  if (e.name === "BrokerError" && typeof e.code === "string") {
    const id = typeof e.requestId === "string" ? `, request id ${e.requestId}` : "";
    return {
      message: `${text(e.description ?? e.message)} [${e.code}${id}]`,
      exitCode: DENIED.has(e.code) ? EXIT.denied : EXIT.failure,
      internal: false,
    };
  }
  if (e.name === "StsTokenError" && typeof e.code === "string") {
    return {
      message: `${text(e.message)} [${e.code}]`,
      exitCode: e.code === "ERR_STS_ACCESS_DENIED" ? EXIT.denied : EXIT.failure,
      internal: false,
    };
  }
  if (e.name === "BrokerConnectionError") {
    return { message: text(e.message), exitCode: EXIT.failure, internal: false };
  }
  if (e.code === "ERR_INVALID_ARG_VALUE") {
    return { message: text(e.message), exitCode: EXIT.usage, internal: false };
  }
  return internal(text(e.message));
}

function internal(detail: string): ErrorReport {
  return {
    message: `internal error: ${detail}\nThis is a bug in mcp-token; please report it to the mcp-token maintainers (an issue in the mcp-token repository) with the command you ran and this message, never with a token.`,
    exitCode: EXIT.failure,
    internal: true,
  };
}
