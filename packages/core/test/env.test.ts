import { describe, expect, it } from "vitest";
import {
  EnvError,
  getEnumFromEnv,
  getIntegerFromEnv,
  getListFromEnv,
  getStringFromEnv,
} from "../src/env/getters.js";

describe("Module: env getters", () => {
  it("trims strings and treats blank as unset", () => {
    expect(getStringFromEnv({ A: "  x " }, "A")).toBe("x");
    expect(getStringFromEnv({ A: "   " }, "A", "d")).toBe("d");
    expect(getStringFromEnv({}, "A")).toBeUndefined();
  });

  it("reads bounded integers and names the variable when one is invalid", () => {
    const opts = { defaultValue: 7, min: 1, max: 10 };
    expect(getIntegerFromEnv({}, "N", opts)).toBe(7);
    expect(getIntegerFromEnv({ N: " 10 " }, "N", opts)).toBe(10);
    for (const bad of ["0", "11", "1.5", "-1", "ten", "1e3", "9".repeat(30)]) {
      expect(() => getIntegerFromEnv({ N: bad }, "N", opts)).toThrow(EnvError);
    }
    expect(() => getIntegerFromEnv({ N: "ten" }, "N", opts)).toThrow(
      'N: expected an integer from 1 to 10, got "ten"',
    );
  });

  it("reads enums and lists", () => {
    expect(getEnumFromEnv({ M: "jwt" }, "M", ["jwt", "none"] as const, "none")).toBe("jwt");
    expect(() => getEnumFromEnv({ M: "x" }, "M", ["jwt", "none"] as const, "none")).toThrow(
      'M: expected one of jwt, none, got "x"',
    );
    expect(getListFromEnv({ L: "a, b,,a" }, "L")).toEqual(["a", "b"]);
    expect(getListFromEnv({ L: "a b,c" }, "L", { spaces: true })).toEqual(["a", "b", "c"]);
  });
});
