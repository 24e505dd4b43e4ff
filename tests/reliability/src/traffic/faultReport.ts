/**
 * Turns a fault scenario's samples into its figures: what callers saw (a histogram of outcomes per
 * caller kind), requests that failed while a valid cached token was available (must be 0), and the
 * recovery time after the fault was cleared.
 */
import type { Sample } from "./traffic.js";

/** The figures of one injected fault. */
export interface FaultFigures {
  /** Short name, e.g. `issuer-down`. */
  fault: string;
  /** What was done, in a sentence. */
  description: string;
  /** How long the fault was active, ms. */
  faultWindowMs: number;
  /** Calls made during the whole scenario (before, during and after the fault). */
  calls: number;
  /** Outcome counts per caller kind: `{ broker: { ok: 120, "503 upstream_unavailable": 7 } }`. */
  seen: Record<string, Record<string, number>>;
  /** Calls that failed while a valid cached token was available (must be 0). */
  failedWithValidCache: number;
  /** Calls (all successful, by construction) that started after the recovery point. */
  callsAfterRecovery: number;
  /**
   * Time from clearing the fault until every caller had been served by a call that started after the
   * last failure (so it includes up to one call interval of sampling granularity).
   */
  recoveryMs: number;
  /** Time from clearing the fault until the last failed call ended (0 when none failed after the clear). */
  lastFailureAfterClearMs: number;
  /** Extra, scenario-specific figures (issuer counters, proxy counters…). */
  notes?: Record<string, unknown>;
  /**
   * Fault survived: no call failed while a valid cached token was available, and every caller was
   * served again after the recovery point.
   */
  survived: boolean;
}

/** Builds the figures of one fault from its samples. */
export function faultFigures(input: {
  fault: string;
  description: string;
  samples: Sample[];
  injectedAt: number;
  clearedAt: number;
  notes?: Record<string, unknown>;
}): FaultFigures {
  const { samples, clearedAt } = input;
  const seen: Record<string, Record<string, number>> = {};
  for (const s of samples) {
    const byKind = seen[s.kind] ?? {};
    byKind[s.code] = (byKind[s.code] ?? 0) + 1;
    seen[s.kind] = byKind;
  }
  const failedAfterClear = samples.filter((s) => !s.ok && s.end >= clearedAt);
  const lastFailureEnd = Math.max(clearedAt, ...failedAfterClear.map((s) => s.end));
  const afterRecovery = samples.filter((s) => s.start > lastFailureEnd);
  const callers = new Set(samples.map((s) => s.caller));
  const firstServed = new Map<string, number>();
  for (const s of afterRecovery) {
    if (s.ok && s.end < (firstServed.get(s.caller) ?? Number.POSITIVE_INFINITY))
      firstServed.set(s.caller, s.end);
  }
  const servedAgain = new Set(firstServed.keys());
  const recoveryMs = Math.max(lastFailureEnd, ...firstServed.values()) - clearedAt;
  const failedWithValidCache = samples.filter((s) => s.violation).length;
  return {
    fault: input.fault,
    description: input.description,
    faultWindowMs: input.clearedAt - input.injectedAt,
    calls: samples.length,
    seen,
    failedWithValidCache,
    callsAfterRecovery: afterRecovery.length,
    recoveryMs,
    lastFailureAfterClearMs: lastFailureEnd - clearedAt,
    ...(input.notes ? { notes: input.notes } : {}),
    survived: failedWithValidCache === 0 && servedAgain.size === callers.size,
  };
}
