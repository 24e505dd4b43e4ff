// Bundles the CLI into dist/mcp-token.mjs (the `mcp-token` bin) plus lazily loaded chunks in
// dist/chunks/: code splitting keeps `mcp-token headers` with a warm cache from loading zod (the
// broker client's response schemas), the AWS SDK (credentials, SigV4 signer), the proxy or the
// doctor (directWorkspaceImports.mjs says why workspace barrels are bypassed for that).
// dist/meta.json records which inputs went into which chunk (used by tests; not published).
// bin/mcp-token.mjs (the `mcp-token` bin npm links) loads dist/mcp-token.mjs.
import { chmod, rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";
import { packageVersionOnly } from "../../../scripts/esbuild/packageVersionOnly.mjs";
import { zodEnglishOnly } from "../../../scripts/esbuild/zodEnglishOnly.mjs";
import { directWorkspaceImports } from "./directWorkspaceImports.mjs";

const outdir = new URL("../dist/", import.meta.url).pathname;
await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { "mcp-token": new URL("../src/bin.ts", import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // Prefer packages' ES module builds (the AWS SDK ships both): smaller chunks, real named exports.
  mainFields: ["module", "main"],
  // @mcp-token/client's sources, not its published dist/ (directWorkspaceImports reads its barrels);
  // "module" is esbuild's default condition, dropped once conditions are set.
  conditions: ["@mcp-token/source", "module"],
  target: "node20",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: "none",
  metafile: true,
  plugins: [zodEnglishOnly, directWorkspaceImports, packageVersionOnly],
  logLevel: "warning",
  banner: {
    // Some AWS SDK dependencies are CommonJS and call require(): give every ESM chunk one.
    js: "#!/usr/bin/env node\nimport { createRequire as __mcpTokenRequire } from 'node:module'; const require = __mcpTokenRequire(import.meta.url);",
  },
});
await chmod(`${outdir}mcp-token.mjs`, 0o755);
await writeFile(`${outdir}meta.json`, JSON.stringify(result.metafile));
