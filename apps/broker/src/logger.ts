/**
 * The logging seam. The broker logs through this interface; in Lambda it is a Powertools `Logger`
 * (structured JSON on stdout), in tests anything that records calls. Every string the broker logs that
 * could carry upstream text passes through {@link SecretScrubber} first.
 */
import { redactSecrets } from "@mcp-token/core";

/** Structured logger (Powertools `Logger` satisfies it). */
export interface BrokerLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const silentLogger: BrokerLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * Remembers every client secret the broker has handled (in memory only) and removes them, and any
 * JWT-shaped string, from text before it is logged.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  /** Registers a secret value; values shorter than 4 characters are ignored by core `redactSecrets`. */
  add(secret: string): void {
    if (this.#secrets.size < 1000) this.#secrets.add(secret);
  }

  /** Returns `text` with known secrets and JWT-shaped strings replaced by `[REDACTED]`. */
  scrub(text: string): string {
    return redactSecrets(text, [...this.#secrets]);
  }

  /** A log-safe `{ name, message, code?, cause? }` summary of an error (causes up to depth 3). */
  describeError(error: unknown, depth = 0): Record<string, unknown> {
    if (!(error instanceof Error)) return { message: this.scrub(String(error)).slice(0, 500) };
    const out: Record<string, unknown> = {
      name: error.name,
      message: this.scrub(error.message).slice(0, 1000),
    };
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") out.code = code;
    if (error.cause !== undefined && depth < 3) out.cause = this.describeError(error.cause, depth + 1);
    return out;
  }
}
