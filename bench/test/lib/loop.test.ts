import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { summarize, timeLoop, timePreparedLoop } from "../../src/lib/loop.js";

describe("timeLoop", () => {
  it("stops at the operation count", async () => {
    let calls = 0;
    const run = await timeLoop(
      () => {
        calls++;
      },
      { maxOps: 50, maxMs: 10_000 },
    );
    expect(run.ops).toBe(50);
    expect(calls).toBe(50);
    expect(run.latenciesMs).toHaveLength(50);
  });

  it("stops at the time limit", async () => {
    const run = await timeLoop(() => new Promise((r) => setTimeout(r, 5)), { maxOps: 1_000_000, maxMs: 60 });
    expect(run.ops).toBeGreaterThan(0);
    expect(run.ops).toBeLessThan(1_000_000);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(60);
  });

  it("passes each call its index and awaits it before the next", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    await timeLoop(
      async (i) => {
        inFlight++;
        expect(inFlight).toBe(1);
        seen.push(i);
        await Promise.resolve();
        inFlight--;
      },
      { maxOps: 5, maxMs: 10_000 },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("summarize", () => {
  it("merges rounds into throughput and latency percentiles", () => {
    const s = summarize([
      { ops: 2, elapsedMs: 1000, latenciesMs: new Float64Array([4, 1]) },
      { ops: 2, elapsedMs: 1000, latenciesMs: new Float64Array([3, 2]) },
    ]);
    expect(s).toEqual({ ops: 4, elapsedMs: 2000, opsPerSecond: 2, p50Ms: 2, p99Ms: 4 });
  });
});

describe("timePreparedLoop", () => {
  it("times only the operation: inputs are prepared and results checked outside the timed span", async () => {
    // Prepare
    const order: string[] = [];
    // Act
    const run = await timePreparedLoop(
      (i) => {
        order.push(`prepare ${i}`);
        return i * 10;
      },
      async (input) => {
        order.push(`op ${input}`);
        return input + 1;
      },
      (result, input) => {
        order.push(`check ${result} ${input}`);
      },
      { maxOps: 3, maxMs: 10_000 },
    );
    // Assess
    expect(order).toEqual([
      "prepare 0",
      "op 0",
      "check 1 0",
      "prepare 1",
      "op 10",
      "check 11 10",
      "prepare 2",
      "op 20",
      "check 21 20",
    ]);
    expect(run.ops).toBe(3);
    expect(run.elapsedMs).toBeCloseTo(
      run.latenciesMs.reduce((a, b) => a + b, 0),
      9,
    );
  });

  it("leaves slow preparation out of the elapsed time", async () => {
    // Prepare: each input takes 50 ms of busy work to build; the operation returns it.
    const busy = () => {
      const end = performance.now() + 50;
      while (performance.now() < end);
      return 1;
    };
    // Act
    const run = await timePreparedLoop(
      busy,
      (input) => input,
      () => {},
      { maxOps: 3, maxMs: 10_000 },
    );
    // Assess: 150 ms were spent preparing, none of it in the operation's time.
    expect(run.ops).toBe(3);
    expect(run.elapsedMs).toBeLessThan(50);
  });
});
