import { describe, expect, it } from "vitest";
import { DEFAULT_ASSUMPTIONS, simulate } from "../../src/issuanceSim.js";
import { describeAssumptions, issuanceSim } from "../../src/suites/issuance.js";
import type { BenchContext } from "../../src/suites/types.js";

describe("issuance-sim rows", () => {
  it("reports the month and the burst per strategy against a token per request", async () => {
    // Prepare: the suite reads nothing from the runner.
    const expected = simulate(DEFAULT_ASSUMPTIONS);
    // Act
    const rows = await issuanceSim.run({} as BenchContext);
    // Assess
    expect(rows.map((r) => [r.metric, r.value, r.baseline?.value])).toEqual([
      ["tokens issued in a month: a token per request", expected.month.perRequest, expected.month.perRequest],
      [
        "tokens issued in a month: per-instance memory cache",
        expected.month.perInstanceMemory.issuances,
        expected.month.perRequest,
      ],
      [
        "tokens issued in a month: shared table without a lease",
        expected.month.sharedNoLease.issuances,
        expected.month.perRequest,
      ],
      [
        "tokens issued in a month: shared table with the lease (the broker)",
        expected.month.sharedLease.issuances,
        expected.month.perRequest,
      ],
      [
        "tokens issued in a month: per-caller profile (the broker, a token per principal)",
        expected.month.perCaller.issuances,
        expected.month.perRequest,
      ],
      ["tokens issued in a month: the 30-day token workaround", 1, expected.month.perRequest],
      [
        "tokens issued for a burst of 500 callers in 10 s: per-instance memory cache",
        expected.burst.perInstanceMemory.issuances,
        500,
      ],
      [
        "tokens issued for a burst of 500 callers in 10 s: shared table without a lease",
        expected.burst.sharedNoLease.issuances,
        500,
      ],
      ["tokens issued for a burst of 500 callers in 10 s: shared table with the lease (the broker)", 1, 500],
      [
        "tokens issued for a burst of 500 callers in 10 s: per-caller profile (the broker, a token per principal)",
        500,
        500,
      ],
    ]);
    expect(rows.every((r) => r.id === "issuance-sim" && r.target === "reported" && r.met === null)).toBe(
      true,
    );
    expect(rows[0]?.note).toContain(describeAssumptions(DEFAULT_ASSUMPTIONS));
    expect(rows[6]?.note).toContain(`at most ${expected.burst.perInstanceMemory.peakInstances} at once`);
  });

  it("names every assumption in the note", () => {
    const text = describeAssumptions(DEFAULT_ASSUMPTIONS);
    for (const fragment of [
      "30 days",
      "20 people",
      "5 agents",
      "3600 s",
      "min TTL 300 s",
      "75 %",
      "init 300 ms",
      "issuance 250 ms",
      "wait ≤ 2500 ms",
      "seed 42",
    ]) {
      expect(text).toContain(fragment);
    }
  });
});
