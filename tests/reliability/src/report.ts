/**
 * `npm run report -w @mcp-token/reliability`: regenerates the figures block of docs/RELIABILITY.md
 * from tests/reliability/results/*.json. `--check` exits 1 instead when the document is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderFigures, replaceBetweenMarkers } from "./figures/render.js";
import { readResults } from "./figures/results.js";

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/RELIABILITY.md");

const results = readResults();
if (results.length === 0) {
  process.stderr.write(
    "no figures in tests/reliability/results; run `npm test -w @mcp-token/reliability` first\n",
  );
  process.exit(1);
}
const before = readFileSync(DOC, "utf8");
const after = replaceBetweenMarkers(before, renderFigures(results));
if (process.argv.includes("--check")) {
  if (before !== after) {
    process.stderr.write("docs/RELIABILITY.md is stale; run `npm run report -w @mcp-token/reliability`\n");
    process.exit(1);
  }
  process.stdout.write("docs/RELIABILITY.md is up to date\n");
} else {
  writeFileSync(DOC, after);
  process.stdout.write(`docs/RELIABILITY.md: figures from ${results.length} result files\n`);
}
