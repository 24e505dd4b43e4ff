// Production bundle: src/handler.ts → dist/handler.mjs, one minified ESM file for the Lambda
// nodejs22.x runtime (arm64; the output is architecture-neutral JavaScript).
//
// The AWS SDK (`@aws-sdk/*`, `@smithy/*`) is left to the Lambda runtime, which ships SDK v3: it is
// only needed on the first secret read (a dynamic import), and leaving it out keeps the file small
// enough that importing the handler costs little more than starting Node. Set BROKER_BUNDLE_AWS_SDK=1
// to bundle a pinned SDK instead (≈ +450 KiB; still loaded lazily, but parsed at import).
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist", "handler.mjs");
mkdirSync(dirname(outfile), { recursive: true });

/**
 * zod re-exports all ~50 of its error-message locales (≈ 250 KiB minified) from its namespace object;
 * the broker only ever uses the default English messages, so the locale index is replaced with `en`.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "..", "locales", "index.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

const result = await build({
  entryPoints: [join(root, "src", "handler.ts")],
  outfile,
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

const bytes = statSync(outfile).size;
const inputs = Object.keys(result.metafile.inputs);
const text = readFileSync(outfile, "utf8");
if (/(?:^|[;}])import[^;()]*from\s*["']@aws-sdk\//.test(text)) {
  console.error("bundle: the AWS SDK must be imported lazily (dynamic import), never at the top level");
  process.exit(1);
}
for (const banned of ["@mcp-token/testkit", "packages/testkit", "oidc-provider"]) {
  if (inputs.some((path) => path.includes(banned))) {
    console.error(`bundle: ${banned} must never ship in the broker bundle`);
    process.exit(1);
  }
}
console.log(
  `bundle: dist/handler.mjs ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes, ${inputs.length} inputs)`,
);
