import { describe, expect, it } from "vitest";
import { cmdline, collect, descendants, isAlive, spawnEntry, waitForExit } from "./support.js";

describe("npm run demo", () => {
  it("walks every step through the real CLI and proxy, exits 0, and leaves nothing running", async () => {
    // Act
    const child = spawnEntry("demo", []);
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    const pid = child.pid as number;
    const seen = new Set<number>();
    const watch = setInterval(() => {
      for (const d of descendants(pid)) seen.add(d);
    }, 100);
    const code = await waitForExit(child, 80_000).finally(() => clearInterval(watch));
    const leftovers = [...seen].filter(isAlive).map((p) => `${p}: ${cmdline(p)}`);

    // Assess: the transcript shows every step with a ✓, the denial included, and no token
    const transcript = out.text();
    expect(code, `${transcript}\n${err.text()}`).toBe(0);
    for (const step of [
      "✓ doctor as developer",
      "✓ get as agent",
      "✓ get as outsider (IAM user not in allow): denied",
      "✓ MCP session through `mcp-token proxy`",
      "✓ token expiry survived mid-session",
      "Demo passed: 5 steps behaved as expected.",
    ]) {
      expect(transcript).toContain(step);
    }
    expect(transcript).toContain("access_denied");
    expect(transcript).toContain("add(2, 3) = 5");
    expect(transcript + err.text()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    expect(seen.size).toBeGreaterThanOrEqual(3); // moto_server, the MCP server, CLI children at least
    expect(leftovers).toEqual([]);
  });
});
