/**
 * The broker Lambda is deployed from the bundle the tests and benchmarks run (`apps/broker/dist`,
 * built by `apps/broker/scripts/bundle.mjs`: the 0.4 KiB entry, its lazy chunks, the size guards), not
 * re-bundled by SST's own esbuild. `sst.config.ts` builds it first ({@link buildBrokerBundle}); the
 * function's `bundle` is that directory and its handler the entry at its root.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** The bundle directory, from the repository root. */
export const BROKER_BUNDLE_DIR = "apps/broker/dist";

/** The handler inside the bundle directory: `handler.mjs`, export `handler`. */
export const BROKER_BUNDLE_HANDLER = "handler.handler";

/** The script that writes {@link BROKER_BUNDLE_DIR}, from the repository root. */
export const BROKER_BUNDLE_SCRIPT = "apps/broker/scripts/bundle.mjs";

/**
 * The repository root: the nearest directory at or above `start` holding `sst.config.ts` (the SST CLI
 * runs from the project directory or below it). Public APIs only, instead of SST's internal `$cli`.
 */
export function repositoryRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, "sst.config.ts"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no sst.config.ts at or above ${start}; run sst from the repository`);
    dir = parent;
  }
}

/**
 * Builds the broker bundle with the same script `npm run build` runs, and returns its directory.
 * Throws with the script's output when the build fails or leaves no entry behind.
 */
export function buildBrokerBundle(root: string): string {
  const result = spawnSync(process.execPath, [path.join(root, BROKER_BUNDLE_SCRIPT)], {
    cwd: root,
    encoding: "utf8",
  });
  const entry = path.join(root, BROKER_BUNDLE_DIR, "handler.mjs");
  if (result.status !== 0 || !existsSync(entry)) {
    throw new Error(
      `building the broker bundle failed (node ${BROKER_BUNDLE_SCRIPT}): ${result.stderr || result.stdout || result.error?.message}`,
    );
  }
  return path.join(root, BROKER_BUNDLE_DIR);
}
