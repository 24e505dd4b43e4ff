import { describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../src/clock.js";

describe("Class: ManualClock", () => {
  it("moves only when told to", () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.advance(500)).toBe(1500);
    clock.set(10);
    expect(clock.now()).toBe(10);
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])("rejects %s", (bad) => {
    expect(() => new ManualClock(bad)).toThrow(TypeError);
    expect(() => new ManualClock().set(bad)).toThrow(/"ms" must be a finite number/);
    expect(() => new ManualClock().advance(bad)).toThrow(TypeError);
  });
});

describe("Constant: systemClock", () => {
  it("reads the wall clock", () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
