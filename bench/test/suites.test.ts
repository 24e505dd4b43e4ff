import { describe, expect, it } from "vitest";
import { SUITES } from "../src/suites/index.js";
import { BENCH_IDS } from "../src/suites/types.js";

describe("SUITES", () => {
  it("has one benchmark per result id of issue 10, in report order", () => {
    expect(SUITES.map((s) => s.id)).toEqual([...BENCH_IDS]);
  });

  it("bounds every benchmark in time, well within the run's five minutes", () => {
    for (const suite of SUITES) {
      expect(suite.timeoutMs).toBeGreaterThan(0);
      expect(suite.timeoutMs).toBeLessThanOrEqual(90_000);
    }
  });
});
