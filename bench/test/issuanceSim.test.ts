import { describe, expect, it } from "vitest";
import { DEFAULT_ASSUMPTIONS, simulateMonth } from "../src/issuanceSim.js";

describe("simulateMonth", () => {
  const base = simulateMonth();

  it("is deterministic for a seed", () => {
    expect(simulateMonth({ ...DEFAULT_ASSUMPTIONS })).toEqual(base);
  });

  it("draws different traffic for a different seed", () => {
    expect(simulateMonth({ ...DEFAULT_ASSUMPTIONS, seed: 7 }).calls).not.toBe(base.calls);
  });

  it.each([42, 7, 2026])(
    "orders the strategies per-request ≫ per-instance ≥ shared ≥ 30-day token (seed %i)",
    (seed) => {
      // Act
      const { issuances } =
        seed === DEFAULT_ASSUMPTIONS.seed ? base : simulateMonth({ ...DEFAULT_ASSUMPTIONS, seed });
      // Assess: "≫" is at least a factor of ten.
      expect(issuances.perRequest).toBeGreaterThanOrEqual(10 * issuances.perInstanceMemory);
      expect(issuances.perInstanceMemory).toBeGreaterThanOrEqual(issuances.sharedCache);
      expect(issuances.sharedCache).toBeGreaterThanOrEqual(issuances.thirtyDayToken);
    },
  );

  it("issues a token per call for the naive strategy and one per 30 days for the workaround", () => {
    expect(base.issuances.perRequest).toBe(base.calls);
    expect(base.issuances.thirtyDayToken).toBe(1);
  });

  it("issues at least one token per cold instance without a shared cache", () => {
    expect(base.issuances.perInstanceMemory).toBeGreaterThanOrEqual(base.lambdaColdStarts.perInstanceMemory);
  });

  it("never issues more than once per refresh window with a shared cache while traffic is continuous", () => {
    // Agents call around the clock, so the shared token is refreshed about every 45 minutes of a 1 h lifetime.
    const windows = (DEFAULT_ASSUMPTIONS.days * 86_400) / (DEFAULT_ASSUMPTIONS.refreshAheadRatio * 3600);
    expect(base.issuances.sharedCache).toBeLessThanOrEqual(Math.ceil(windows * 1.05));
  });
});
