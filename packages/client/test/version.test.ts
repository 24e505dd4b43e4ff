import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CLIENT_VERSION, USER_AGENT } from "../src/version.js";

describe("Constant: CLIENT_VERSION", () => {
  it("matches package.json and appears in the default User-Agent", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(CLIENT_VERSION).toBe(pkg.version);
    expect(USER_AGENT).toBe(`mcp-token-client/${pkg.version}`);
  });
});
