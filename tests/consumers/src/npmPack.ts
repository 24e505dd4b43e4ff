/** `npm pack` for a workspace package, and the repository facts the pack check needs. */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Manifest, PackedFile } from "./packCheck.js";

/** The repository root (tests/consumers/src → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface PackResult {
  manifest: Manifest;
  files: PackedFile[];
  /** The tarball's file name (in the destination, or what it would be for a dry run). */
  filename: string;
}

/**
 * Runs `npm pack --json` in `dir` (a dry run unless `destination` is given). Scripts are skipped: the
 * tests pack what turbo already built, and a `prepack` rebuild here would swap dist/ under other
 * suites running at the same time.
 */
export async function npmPack(dir: string, destination?: string): Promise<PackResult> {
  const args = ["pack", "--json", "--ignore-scripts"];
  args.push(...(destination ? ["--pack-destination", destination] : ["--dry-run"]));
  const { stdout } = await promisify(execFile)("npm", args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  const [result] = JSON.parse(stdout) as { filename: string; files: PackedFile[] }[];
  if (!result) throw new Error(`npm pack in ${dir} printed no result`);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  return { manifest, files: result.files, filename: result.filename };
}

/** Names of the repository's private workspaces (from the root package.json `workspaces` globs). */
export function privateWorkspaces(root = REPO_ROOT): Set<string> {
  const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const dirs = workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(root, pattern.slice(0, -2), d.name))
      : [join(root, pattern)],
  );
  const names = new Set<string>();
  for (const dir of dirs) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name: string; private?: boolean };
    if (pkg.private) names.add(pkg.name);
  }
  return names;
}
