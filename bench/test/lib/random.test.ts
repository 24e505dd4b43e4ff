import { describe, expect, it } from "vitest";
import { mulberry32, pick, randomHex } from "../../src/lib/random.js";

describe("mulberry32", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(values[0]);
  });
});

describe("pick and randomHex", () => {
  it("draws every element of a list and refuses an empty one", () => {
    const random = mulberry32(1);
    const seen = new Set(Array.from({ length: 200 }, () => pick(random, ["a", "b", "c"])));
    expect(seen).toEqual(new Set(["a", "b", "c"]));
    expect(() => pick(random, [])).toThrow(RangeError);
  });

  it("gives two lowercase hex characters per byte", () => {
    expect(randomHex(mulberry32(1), 16)).toMatch(/^[0-9a-f]{32}$/);
  });
});
