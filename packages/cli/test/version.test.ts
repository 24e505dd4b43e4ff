import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CLI_VERSION } from "../src/version.js";

describe("Constant: CLI_VERSION", () => {
  it("matches package.json", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(CLI_VERSION).toBe(pkg.version);
  });
});
