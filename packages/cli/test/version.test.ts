import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI_VERSION } from "../src/version.js";

const PACKAGE = fileURLToPath(new URL("../", import.meta.url));
const LAUNCHER = join(PACKAGE, "bin", "mcp-token.mjs");
const readPackage = async () =>
  JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8")) as {
    version: string;
    bin: Record<string, string>;
  };

async function node(args: string[], cwd = PACKAGE) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("Constant: CLI_VERSION", () => {
  it("is package.json's version", async () => {
    expect(CLI_VERSION).toBe((await readPackage()).version);
  });
});

describe("bin/mcp-token.mjs (the bin npm links)", () => {
  it("is the package's bin and runs the bundle: --version prints package.json's version", async () => {
    const pkg = await readPackage();
    expect(pkg.bin).toEqual({ "mcp-token": "bin/mcp-token.mjs" });
    const { code, stdout } = await node([LAUNCHER, "--version"]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it("is linked into the repository's node_modules/.bin by npm install (so `npx mcp-token` works)", async () => {
    const linked = join(PACKAGE, "..", "..", "node_modules", ".bin", "mcp-token");
    expect(await realpath(linked)).toBe(await realpath(LAUNCHER));
    const { code, stdout } = await node([linked, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: mcp-token <command> [options]");
  });

  it("says to run `npm run build` when the bundle is missing, and exits 1 with nothing on stdout", async () => {
    // Prepare: the launcher in a package directory without dist/
    const dir = await mkdtemp(join(tmpdir(), "mcp-token-launcher-"));
    try {
      await mkdir(join(dir, "bin"));
      await copyFile(LAUNCHER, join(dir, "bin", "mcp-token.mjs"));
      // Act
      const { code, stdout, stderr } = await node([join(dir, "bin", "mcp-token.mjs"), "--help"], dir);
      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `mcp-token: the CLI is not built yet (${join(dir, "dist", "mcp-token.mjs")} is missing); run \`npm run build\` at the repository root, then try again\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
