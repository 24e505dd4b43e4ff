// Production bundle: src/handler.ts → dist/handler.mjs (the Lambda entry, nodejs22.x, arm64; the output is
// architecture-neutral JavaScript) plus its lazily imported chunks in dist/chunks/, minified ESM.
//
// Code splitting keeps importing the handler as cheap as starting Node: dist/handler.mjs holds only the
// shim of src/handler.ts (snapshot the environment, schedule the runtime); the runtime (configuration,
// Powertools, the broker) is the chunk it imports dynamically, parsed when the first invocation (or the
// init-phase timer) asks for it. Chunk names carry a content hash; chunks of earlier builds are removed
// once the new ones are written.
//
// The AWS SDK (`@aws-sdk/*`, `@smithy/*`) is left to the Lambda runtime, which ships SDK v3: it is only
// needed on the first secret read (a dynamic import). Set BROKER_BUNDLE_AWS_SDK=1 to bundle a pinned SDK
// instead (≈ +450 KiB, in chunks of its own, still loaded lazily).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { zodEnglishOnly } from "../../../scripts/esbuild/zodEnglishOnly.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");
const entry = join(outdir, "handler.mjs");
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: [join(root, "src", "handler.ts")],
  outdir,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  minify: true,
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  metafile: true,
  plugins: [zodEnglishOnly],
  external: process.env.BROKER_BUNDLE_AWS_SDK === "1" ? [] : ["@aws-sdk/*", "@smithy/*"],
  // CommonJS dependencies inside an ESM bundle may call require() for Node built-ins.
  banner: {
    js: "import{createRequire as __mcpTokenCreateRequire}from'node:module';const require=__mcpTokenCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((path) => join(process.cwd(), path));
// Chunks of earlier builds (the entry now names only this build's).
const chunksDir = join(outdir, "chunks");
for (const name of readdirSync(chunksDir)) {
  const path = join(chunksDir, name);
  if (!outputs.includes(path)) rmSync(path, { force: true });
}

const inputs = Object.keys(result.metafile.inputs);
for (const path of outputs) {
  const text = readFileSync(path, "utf8");
  if (/(?:^|[;}])import[^;()]*from\s*["']@aws-sdk\//.test(text)) {
    console.error(
      `bundle: the AWS SDK must be imported lazily (dynamic import), never at the top level (${path})`,
    );
    process.exit(1);
  }
}
for (const banned of ["@mcp-token/testkit", "packages/testkit", "oidc-provider"]) {
  if (inputs.some((path) => path.includes(banned))) {
    console.error(`bundle: ${banned} must never ship in the broker bundle`);
    process.exit(1);
  }
}
const entryBytes = statSync(entry).size;
const totalBytes = outputs.reduce((sum, path) => sum + statSync(path).size, 0);
const chunks = outputs.filter((path) => path !== entry).map((path) => relative(outdir, path));
console.log(
  `bundle: dist/handler.mjs ${(entryBytes / 1024).toFixed(1)} KiB + ${chunks.length} lazy chunk(s) (${chunks.join(", ")}); ` +
    `${(totalBytes / 1024).toFixed(1)} KiB in all (${totalBytes} bytes, ${inputs.length} inputs)`,
);
