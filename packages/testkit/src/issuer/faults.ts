import type { AdminFaultsRequest, IssuerFaults } from "./types.js";

/** What the front must do with one token request, decided by the injected faults. */
export type TokenFault =
  | { kind: "none" }
  | { kind: "rateLimit"; retryAfterSeconds: number }
  | { kind: "fail"; status: 500 | 503 }
  | { kind: "drop" };

/** Mutable fault state behind {@link IssuerFaults}; consumed request by request by the issuer front. */
export class FaultState implements IssuerFaults {
  latencyMs = 0;
  isDown = false;
  #queue: TokenFault[] = [];

  latency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError('"ms" must be a non-negative number');
    this.latencyMs = ms;
  }

  rateLimit(count: number, retryAfterSeconds: number): void {
    if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0 || retryAfterSeconds > 86_400) {
      throw new TypeError('"retryAfterSeconds" must be an integer between 0 and 86400');
    }
    this.#enqueue(count, { kind: "rateLimit", retryAfterSeconds });
  }

  fail(count: number, status: 500 | 503): void {
    if (status !== 500 && status !== 503) throw new TypeError('"status" must be 500 or 503');
    this.#enqueue(count, { kind: "fail", status });
  }

  drop(count: number): void {
    this.#enqueue(count, { kind: "drop" });
  }

  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  reset(): void {
    this.latencyMs = 0;
    this.isDown = false;
    this.#queue = [];
  }

  /** Take the fault for the next token request (faults queue up in the order they were injected). */
  nextTokenFault(): TokenFault {
    return this.#queue.shift() ?? { kind: "none" };
  }

  /** Apply an admin request body (already JSON-parsed, untrusted). */
  applyAdmin(body: unknown): void {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new TypeError("body must be a JSON object");
    }
    const req = body as AdminFaultsRequest;
    if (req.reset) this.reset();
    if (req.latencyMs !== undefined) this.latency(Number(req.latencyMs));
    if (req.rateLimit !== undefined) {
      this.rateLimit(Number(req.rateLimit.count), Number(req.rateLimit.retryAfterSeconds));
    }
    if (req.fail !== undefined) this.fail(Number(req.fail.count), Number(req.fail.status) as 500 | 503);
    if (req.drop !== undefined) this.drop(Number(req.drop));
    if (req.down === true) this.down();
    if (req.down === false) this.up();
  }

  #enqueue(count: number, fault: TokenFault): void {
    if (!Number.isInteger(count) || count < 0 || count > 100_000) {
      throw new TypeError('"count" must be an integer between 0 and 100000');
    }
    for (let i = 0; i < count; i++) this.#queue.push(fault);
  }
}
