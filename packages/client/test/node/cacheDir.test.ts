import { describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../src/node/cacheDir.js";

describe("Function: defaultCacheDir", () => {
  it("uses $XDG_CACHE_HOME/mcp-token when it is an absolute path", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" }, "linux", "/home/a")).toBe("/x/cache/mcp-token");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "relative" }, "linux", "/home/a")).toBe(
      "/home/a/.cache/mcp-token",
    );
  });

  it("falls back to the OS default", () => {
    expect(defaultCacheDir({}, "linux", "/home/a")).toBe("/home/a/.cache/mcp-token");
    expect(defaultCacheDir({}, "darwin", "/Users/a")).toBe("/Users/a/Library/Caches/mcp-token");
  });
});
