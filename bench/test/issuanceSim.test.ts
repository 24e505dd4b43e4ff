import { describe, expect, it } from "vitest";
import {
  type Call,
  DEFAULT_ASSUMPTIONS,
  type SimulationAssumptions,
  simulate,
  simulateBroker,
} from "../src/issuanceSim.js";

const withSeed = (seed: number): SimulationAssumptions => ({ ...DEFAULT_ASSUMPTIONS, seed });

describe("simulate", () => {
  const base = simulate();

  it("is deterministic for a seed", () => {
    expect(simulate(withSeed(DEFAULT_ASSUMPTIONS.seed))).toEqual(base);
  });

  it("draws different traffic for a different seed", () => {
    const other = simulate(withSeed(7));
    expect(other.month.calls).not.toBe(base.month.calls);
    expect(other.burst.perInstanceMemory.coldStarts).not.toBe(base.burst.perInstanceMemory.coldStarts);
  });

  it.each([42, 7, 2026])(
    "orders a month per-request ≫ per-instance > shared ≥ shared with lease ≥ 30-day token (seed %i)",
    (seed) => {
      // Act
      const { month } = seed === DEFAULT_ASSUMPTIONS.seed ? base : simulate(withSeed(seed));
      // Assess: "≫" is at least a factor of ten.
      expect(month.perRequest).toBeGreaterThanOrEqual(10 * month.perInstanceMemory.issuances);
      expect(month.perInstanceMemory.issuances).toBeGreaterThan(month.sharedNoLease.issuances);
      expect(month.sharedNoLease.issuances).toBeGreaterThanOrEqual(month.sharedLease.issuances);
      expect(month.sharedLease.issuances).toBeGreaterThanOrEqual(month.thirtyDayToken);
    },
  );

  it("issues a token per call for the naive strategy and one per 30 days for the workaround", () => {
    expect(base.month.perRequest).toBe(base.month.calls);
    expect(base.month.thirtyDayToken).toBe(1);
    expect(base.burst.perRequest).toBe(DEFAULT_ASSUMPTIONS.burst.callers);
  });

  it("issues at least one token per instance started without a shared table", () => {
    expect(base.month.perInstanceMemory.issuances).toBeGreaterThanOrEqual(
      base.month.perInstanceMemory.coldStarts,
    );
  });

  it("issues about once per refresh window with the shared table while traffic is continuous", () => {
    // Agents call around the clock, so the shared token is refreshed about every 45 minutes of a 1 h lifetime.
    const a = DEFAULT_ASSUMPTIONS;
    const windows = (a.month.days * 86_400) / (a.token.refreshAheadRatio * a.token.lifetimeSeconds);
    expect(base.month.sharedLease.issuances).toBeLessThanOrEqual(Math.ceil(windows * 1.05));
  });

  it.each([42, 7, 2026])(
    "scales Lambda out in the burst, and only the lease issues once (seed %i)",
    (seed) => {
      // Act
      const { burst } = seed === DEFAULT_ASSUMPTIONS.seed ? base : simulate(withSeed(seed));
      // Assess: many instances ran at once ...
      expect(burst.perInstanceMemory.peakInstances).toBeGreaterThanOrEqual(10);
      expect(burst.sharedLease.peakInstances).toBeGreaterThanOrEqual(10);
      // ... each issued its own token without a shared table ...
      expect(burst.perInstanceMemory.issuances).toBe(burst.perInstanceMemory.coldStarts);
      // ... the table alone saves some, but every instance that read it before the first write issued ...
      expect(burst.sharedNoLease.issuances).toBeGreaterThan(1);
      expect(burst.sharedNoLease.issuances).toBeLessThan(burst.perInstanceMemory.issuances);
      // ... and with the lease one instance issued while the others waited for its token.
      expect(burst.sharedLease.issuances).toBe(1);
    },
  );

  it("issues per caller about principals × refresh windows in which each is active", () => {
    // Agents are active all month; people on weekdays for their working hours (plus the refresh
    // window their last token covers). Each active principal costs about one issuance per window.
    const a = DEFAULT_ASSUMPTIONS;
    const windowSeconds = a.token.refreshAheadRatio * a.token.lifetimeSeconds;
    const agentWindows = (a.month.days * 86_400) / windowSeconds;
    const weekdays = Array.from({ length: a.month.days }, (_, d) => d % 7 < 5).filter(Boolean).length;
    const personWindows = weekdays * Math.ceil((a.month.workHoursPerDay * 3600) / windowSeconds);
    const expected = a.month.agents * agentWindows + a.month.people * personWindows;
    const { perCaller, sharedLease, principals } = base.month;
    expect(principals).toBe(a.month.people + a.month.agents);
    expect(perCaller.issuances).toBeGreaterThan(0.85 * expected);
    expect(perCaller.issuances).toBeLessThan(1.1 * expected);
    // Shared: one token for everybody; per caller: several times more, far fewer than a token per call.
    expect(perCaller.issuances).toBeGreaterThan(5 * sharedLease.issuances);
    expect(base.month.perRequest).toBeGreaterThan(10 * perCaller.issuances);
  });

  it("issues one token per caller in the burst when every caller is a principal of its own", () => {
    expect(base.burst.perCaller.issuances).toBe(DEFAULT_ASSUMPTIONS.burst.callers);
    // Per caller, what the lease saves is the duplicates of one principal, never other principals' tokens.
    const twoCallsEach: Call[] = Array.from({ length: 40 }, (_, i) => ({ timeMs: i, actor: i % 20 }));
    expect(simulateBroker(DEFAULT_ASSUMPTIONS, twoCallsEach, "shared-lease", "caller").issuances).toBe(20);
    expect(simulateBroker(DEFAULT_ASSUMPTIONS, twoCallsEach, "shared-lease", "shared").issuances).toBe(1);
  });

  it("keeps the lease's wait short: waiters get the token about when the holder does", () => {
    const { sharedLease, sharedNoLease } = base.burst;
    expect(sharedLease.latencyMs.max).toBeLessThan(sharedNoLease.latencyMs.max + 250);
  });
});

describe("simulateBroker", () => {
  const a = DEFAULT_ASSUMPTIONS;
  const calls = (...times: number[]): Call[] => times.map((timeMs, actor) => ({ timeMs, actor }));

  it("starts a second instance for a request that arrives while the first is busy, and reuses an idle one", () => {
    // Prepare: two callers 1 ms apart (the first instance is still starting), a third after both answered.
    // Act
    const run = simulateBroker(a, calls(0, 1, 5_000), "per-instance-memory");
    // Assess
    expect(run.coldStarts).toBe(2);
    expect(run.peakInstances).toBe(2);
    expect(run.issuances).toBe(2);
    expect(run.brokerRequests).toBe(3);
  });

  it("answers a cold request after init, secret read and issuance, and a warm one in a request's time", () => {
    const l = a.lambda;
    const run = simulateBroker(a, calls(0, 5_000), "per-instance-memory");
    expect(run.latencyMs.max).toBe(l.initMs + l.requestMs + l.secretReadMs + l.issuanceMs);
    expect(run.latencyMs.p50).toBe(l.requestMs);
  });

  it("lets a cold instance take the token another one wrote to the table", () => {
    // Prepare: the first caller's instance issues and writes the token; at 2 s a second caller keeps that
    // instance busy, so a third one 1 ms later starts a new instance.
    const times = calls(0, 2_000, 2_001);
    // Act
    const shared = simulateBroker(a, times, "shared-no-lease");
    const memoryOnly = simulateBroker(a, times, "per-instance-memory");
    // Assess: the new instance found the token in the table; with memory alone it issued its own.
    expect(shared.coldStarts).toBe(2);
    expect(shared.issuances).toBe(1);
    expect(memoryOnly.coldStarts).toBe(2);
    expect(memoryOnly.issuances).toBe(2);
  });

  it("falls back to issuing when the lease holder takes longer than the wait", () => {
    // Prepare: issuance slower than waitMs, two callers at once.
    const slow: typeof a = { ...a, lambda: { ...a.lambda, issuanceMs: a.sharedTier.waitMs * 3 } };
    // Act
    const run = simulateBroker(slow, calls(0, 0), "shared-lease");
    // Assess: liveness over strictness, as in the broker's tier.
    expect(run.coldStarts).toBe(2);
    expect(run.issuances).toBe(2);
  });

  it("serves clients from their cache: a caller's later calls within the token's life never reach the broker", () => {
    const sameActor: Call[] = [0, 60_000, 600_000, 1_200_000].map((timeMs) => ({ timeMs, actor: 0 }));
    const run = simulateBroker(a, sameActor, "shared-lease");
    expect(run.brokerRequests).toBe(1);
  });
});
