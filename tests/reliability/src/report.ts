/**
 * `npm run report -w @mcp-token/reliability`: copies the last test run's figures
 * (tests/reliability/results/run/*.json, git-ignored) over the committed ones in
 * tests/reliability/results/, then regenerates the figures block of docs/RELIABILITY.md from those.
 * `--check` changes nothing and exits 1 when the document is stale against the committed figures.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderFigures, replaceBetweenMarkers } from "./figures/render.js";
import { RESULTS_DIR, RUN_RESULTS_DIR, readResults } from "./figures/results.js";

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/RELIABILITY.md");

const check = process.argv.includes("--check");
if (!check) {
  const run = readResults(RUN_RESULTS_DIR);
  for (const result of run) {
    copyFileSync(join(RUN_RESULTS_DIR, `${result.name}.json`), join(RESULTS_DIR, `${result.name}.json`));
  }
  process.stdout.write(`tests/reliability/results: ${run.length} figures files from the last run\n`);
}
const results = readResults();
if (results.length === 0) {
  process.stderr.write(
    "no figures in tests/reliability/results; run `npm test -w @mcp-token/reliability` first\n",
  );
  process.exit(1);
}
const before = readFileSync(DOC, "utf8");
const after = replaceBetweenMarkers(before, renderFigures(results));
if (check) {
  if (before !== after) {
    process.stderr.write("docs/RELIABILITY.md is stale; run `npm run report -w @mcp-token/reliability`\n");
    process.exit(1);
  }
  process.stdout.write("docs/RELIABILITY.md is up to date\n");
} else {
  writeFileSync(DOC, after);
  process.stdout.write(`docs/RELIABILITY.md: figures from ${results.length} result files\n`);
}
