#!/usr/bin/env node
/**
 * Offline type check of the SST app (no AWS account, no GitHub):
 *
 * 1. `sst install` writes SST's platform types and the pinned Pulumi provider packages into
 *    `<root>/.sst/platform` (git-ignored). It needs only the npm registry: the SST binary comes from the
 *    `sst-<os>-<arch>` npm package, the providers (`@pulumi/aws`, `@pulumi/docker-build`) from npm;
 *    `SST_SKIP_DEPENDENCY_CHECK=1` skips downloading Pulumi and Bun, `SST_NO_BUN=1` uses npm instead of
 *    Bun. It evaluates `app()` in sst.config.ts (stage lookup only; stages are validated by the tests
 *    and at `sst deploy`). It is re-run every time (about a second when nothing changed) so a bumped provider version is
 *    picked up.
 * 2. `tsc -p tsconfig.json`: the pure modules and tests under the repository's strict settings.
 * 3. `tsc -p tsconfig.sst.json`: sst.config.ts and infra/*.ts against the platform types.
 *
 * Env: `SST_TYPECHECK_STAGE` (default `dev`) is the stage `sst install` evaluates `app()` for.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(infraDir, "..");
const require = createRequire(path.join(infraDir, "package.json"));

function run(label, command, args, opts = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: opts.quiet ? "pipe" : "inherit",
    encoding: "utf8",
    ...opts,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    if (opts.quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    console.error(`✗ ${label} failed (${seconds} s)${result.error ? `: ${result.error.message}` : ""}`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${label} (${seconds} s)`);
}

/** `node_modules/<name>/<file>` from infra/ upwards (npm workspaces hoist to the root). */
function findInNodeModules(name, file) {
  for (let dir = infraDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name, file);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed; run npm ci`);
  }
}

const sstBin = findInNodeModules("sst", path.join("bin", "sst.mjs"));
const tscBin = require.resolve("typescript/bin/tsc");
const stage = process.env.SST_TYPECHECK_STAGE || "dev";

run(
  `sst install --stage ${stage} (platform types into .sst/platform)`,
  process.execPath,
  [sstBin, "install", "--stage", stage],
  {
    cwd: root,
    quiet: true,
    env: {
      ...process.env,
      SST_SKIP_DEPENDENCY_CHECK: "1",
      SST_NO_BUN: "1",
      SST_TELEMETRY_DISABLED: "1",
    },
  },
);
if (!existsSync(path.join(root, ".sst", "platform", "config.d.ts"))) {
  console.error("✗ sst install did not write .sst/platform/config.d.ts");
  process.exit(1);
}
run(
  "tsc -p infra/tsconfig.json (pure modules and tests)",
  process.execPath,
  [tscBin, "-p", "tsconfig.json"],
  {
    cwd: infraDir,
  },
);
// Step 3 compiles SST's own platform sources too (sst.config.ts references them). SST 4.17.1's sources
// predate the @pulumi/aws release we pin (7.48, the first with AgentCore's allowedScopes/customClaims)
// and one of them no longer type-checks against its types; that is SST's code, not ours, so such
// diagnostics are reported and counted but fail the check only when they are in our files.
{
  const started = Date.now();
  const result = spawnSync(process.execPath, [tscBin, "-p", "tsconfig.sst.json", "--pretty", "false"], {
    cwd: infraDir,
    encoding: "utf8",
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const diagnostics = `${result.stdout ?? ""}${result.stderr ?? ""}`
    .split("\n")
    .filter((line) => /^\S.*\(\d+,\d+\): error TS\d+/.test(line));
  const inPlatform = (line) => line.replace(/\\/g, "/").includes(".sst/platform/");
  const ours = diagnostics.filter((line) => !inPlatform(line));
  const platform = diagnostics.filter(inPlatform);
  if (ours.length > 0 || (result.status !== 0 && diagnostics.length === 0)) {
    process.stderr.write(`${ours.join("\n") || result.stdout || result.stderr}\n`);
    console.error(`✗ tsc -p infra/tsconfig.sst.json (sst.config.ts and infra/*.ts) failed (${seconds} s)`);
    process.exit(1);
  }
  const note =
    platform.length > 0 ? `; ${platform.length} diagnostic(s) inside SST's own platform sources ignored` : "";
  console.log(`✓ tsc -p infra/tsconfig.sst.json (sst.config.ts and infra/*.ts) (${seconds} s${note})`);
}
