import { describe, expect, it } from "vitest";
import { InFlight } from "../../src/commands/proxy/inFlight.js";

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("Class: InFlight", () => {
  it("waits for every message in flight, answered within the grace", async () => {
    // Prepare
    const inFlight = new InFlight();
    inFlight.track(after(30), [1]);
    inFlight.track(after(60), []);
    inFlight.track(Promise.reject(new Error("failed")), [2]);
    const started = Date.now();
    // Act
    const unanswered = await inFlight.settle(5000);
    // Assess
    expect(unanswered).toEqual([]);
    expect(inFlight.size).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("gives up after the grace and names the requests still unanswered", async () => {
    // Prepare
    const inFlight = new InFlight();
    inFlight.track(after(10), [1]);
    inFlight.track(new Promise<void>(() => {}), ["a", "b"]);
    const started = Date.now();
    // Act
    const unanswered = await inFlight.settle(100);
    // Assess
    expect(unanswered).toEqual(["a", "b"]);
    expect(inFlight.size).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it("returns at once when nothing is in flight", async () => {
    const started = Date.now();
    expect(await new InFlight().settle(10_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(50);
  });
});
