/**
 * The audit trail: one structured line per request (message `"audit"`) naming who asked for what and
 * what happened. It carries the served token's `tokenFingerprint` (a short hash of its `jti` or
 * signature) for correlation, never the token. This file owns the audit line: its fields
 * (`AuditRecord` in `types.ts`), where a request's record starts, and where it is written.
 */
import type { BrokerLogger } from "./logger.js";
import type { AuditRecord } from "./types.js";

/** Where audit records go. */
export interface AuditSink {
  /** Writes one finished request's record. Never throws. */
  write(record: Readonly<AuditRecord>): void;
}

/**
 * The sink used in production and by default: `logger.info("audit", fields)` with the record's defined
 * fields, which Powertools' `Logger` prints as one JSON line with the Lambda context.
 */
export function logAuditSink(logger: BrokerLogger): AuditSink {
  return {
    write(record) {
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) if (value !== undefined) fields[key] = value;
      logger.info("audit", fields);
    },
  };
}

/** A record for `request`: `outcome` `"ok"`, `status` and `durationMs` 0 until the request ends. */
export function newAuditRecord(request: { requestId: string; method: string; path: string }): AuditRecord {
  return {
    requestId: request.requestId,
    method: request.method,
    path: request.path.slice(0, 200),
    outcome: "ok",
    status: 0,
    durationMs: 0,
  };
}
