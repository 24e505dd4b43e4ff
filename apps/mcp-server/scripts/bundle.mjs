// Bundles src/main.ts into one ESM file, dist/main.mjs (platform node, target node22, minified),
// the only file the container image needs. Prints the bundle's size.
import { stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zodEnglishOnly } from "../../../scripts/esbuild/zodEnglishOnly.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist", "main.mjs");

const result = await build({
  entryPoints: [join(root, "src", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  metafile: true,
  plugins: [zodEnglishOnly],
  logLevel: "warning",
  // Some dependencies are CommonJS and call require(): give the ESM bundle a real one.
  banner: {
    js: 'import { createRequire as __mcpCreateRequire } from "node:module"; const require = __mcpCreateRequire(import.meta.url);',
  },
});

const inputs = Object.keys(result.metafile.inputs);
const forbidden = inputs.filter((p) => /@mcp-token\/testkit|packages\/testkit|oidc-provider/.test(p));
if (forbidden.length > 0) {
  console.error(`bundle: test-only code reached the bundle: ${forbidden.join(", ")}`);
  process.exit(1);
}
const { size } = await stat(outfile);
console.log(
  `bundle: ${relative(process.cwd(), outfile)} ${(size / 1024).toFixed(1)} KiB (${inputs.length} inputs)`,
);
