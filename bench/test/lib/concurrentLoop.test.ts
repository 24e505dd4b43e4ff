import { describe, expect, it } from "vitest";
import { concurrentThroughput } from "../../src/lib/concurrentLoop.js";

describe("concurrentThroughput", () => {
  it("keeps exactly `concurrency` operations in flight and stops at the count", async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const op = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    };
    // Act
    const result = await concurrentThroughput(op, { concurrency: 4, maxOps: 40, maxMs: 10_000 });
    // Assess
    expect(peak).toBe(4);
    expect(result.ops).toBe(40);
    expect(result.opsPerSecond).toBeGreaterThan(0);
  });

  it("stops at the time limit", async () => {
    const result = await concurrentThroughput(() => new Promise((r) => setTimeout(r, 5)), {
      concurrency: 2,
      maxOps: 1_000_000,
      maxMs: 50,
    });
    expect(result.ops).toBeLessThan(1_000_000);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(50);
  });
});
