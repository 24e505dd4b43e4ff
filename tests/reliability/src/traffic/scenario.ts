/**
 * One fault scenario: healthy callers, steady traffic, the fault switched on for a window and off
 * again, then traffic until every caller has been served again (bounded), and the figures.
 */
import { type FaultFigures, faultFigures } from "./faultReport.js";
import { type Caller, type Sample, startTraffic } from "./traffic.js";

/** Options of {@link runFaultScenario}. */
export interface FaultScenario {
  fault: string;
  description: string;
  callers: Caller[];
  /** Pause between one caller's calls, ms; default 50. */
  intervalMs?: number;
  /** Traffic before the fault, ms; default 400. */
  warmupMs?: number;
  /** How long the fault stays on, ms. */
  windowMs: number;
  inject(): unknown;
  clear(): unknown;
  /** Scenario counters read after the run. */
  notes?: () => Record<string, unknown>;
  /** Minimum traffic after the clear, ms; default 600. */
  settleMs?: number;
  /** Give up waiting for recovery after this long, ms; default 8000. */
  maxRecoveryMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every caller succeeds once (a healthy start), up to `timeoutMs`. */
export async function untilHealthy(callers: Caller[], timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const caller of callers) {
    for (;;) {
      const result = await caller.call().catch(() => ({ ok: false, code: "threw" }));
      if (result.ok) break;
      if (Date.now() > deadline)
        throw new Error(`${caller.name} not healthy before the scenario: ${result.code}`);
      await sleep(100);
    }
  }
}

function recovered(samples: Sample[], callers: Caller[], clearedAt: number): boolean {
  const lastFailure = Math.max(clearedAt, ...samples.filter((s) => !s.ok).map((s) => s.end));
  const served = new Set(samples.filter((s) => s.ok && s.start > lastFailure).map((s) => s.caller));
  return callers.every((c) => served.has(c.name));
}

/** Runs one scenario and returns its figures (never throws for a fault the system did not survive). */
export async function runFaultScenario(s: FaultScenario): Promise<FaultFigures & { samples: Sample[] }> {
  await untilHealthy(s.callers);
  const traffic = startTraffic(s.callers, s.intervalMs ?? 50);
  let injectedAt = Date.now();
  let clearedAt = injectedAt;
  try {
    await sleep(s.warmupMs ?? 400);
    injectedAt = Date.now();
    await s.inject();
    await sleep(s.windowMs);
    clearedAt = Date.now();
    await s.clear();
    const deadline = clearedAt + (s.maxRecoveryMs ?? 8000);
    const settle = clearedAt + (s.settleMs ?? 600);
    while (Date.now() < deadline) {
      if (Date.now() >= settle && recovered(traffic.samples, s.callers, clearedAt)) break;
      await sleep(50);
    }
  } finally {
    await traffic.stop();
  }
  const figures = faultFigures({
    fault: s.fault,
    description: s.description,
    samples: traffic.samples,
    injectedAt,
    clearedAt,
    ...(s.notes ? { notes: s.notes() } : {}),
  });
  return { ...figures, samples: traffic.samples };
}
