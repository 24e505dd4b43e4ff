// Builds the published package into dist/: ES modules for the two entries (`.` → dist/index.js,
// `./node` → dist/node/index.js, shared code in dist/chunks/) and their declarations (.d.ts).
//
// @mcp-token/core is bundled in (JavaScript by esbuild, types by rollup-plugin-dts): it is a private
// workspace whose API follows the broker, so it is not published; what the client re-exports from it
// (BrokerError, the response types, …) becomes part of this package. Every other bare import must be a
// declared dependency and stays an import (a user's install dedupes zod and the AWS SDK); anything
// else fails the build, so the tarball can never need a package it does not declare.
import { readFile, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { build } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";
import { packageVersionOnly } from "../../../scripts/esbuild/packageVersionOnly.mjs";

const root = new URL("../", import.meta.url);
const path = (p) => new URL(p, root).pathname;
const pkg = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
const declared = Object.keys(pkg.dependencies ?? {});
const BUNDLED = "@mcp-token/core";
const entries = { index: path("src/index.ts"), "node/index": path("src/node/index.ts") };

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const isBuiltin = (specifier) => specifier.startsWith("node:") || builtinModules.includes(specifier);

/** Bundles core; leaves every other package (and Node's built-ins) as an import. */
const isExternal = (specifier) => !/^[./]/.test(specifier) && packageOf(specifier) !== BUNDLED;

const outdir = path("dist");
await rm(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: entries,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // Readable output: this is a library people step through in a debugger; no source maps are shipped.
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  plugins: [
    packageVersionOnly,
    {
      name: "bundle-core-only",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          isExternal(args.path) ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});

// What the shipped code imports once tree-shaken must be declared (a dependency of core that the
// client never reaches, such as jose, is not).
const undeclared = new Set();
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  for (const i of output.imports) {
    if (i.external && !isBuiltin(i.path) && !declared.includes(packageOf(i.path)))
      undeclared.add(`${file} → ${i.path}`);
  }
}
if (undeclared.size > 0) {
  throw new Error(
    `not in packages/client/package.json dependencies, declare them: ${[...undeclared].join(", ")}`,
  );
}

const types = await rollup({
  input: entries,
  external: (id) => !id.startsWith("/") && isExternal(id),
  plugins: [dts({ tsconfig: path("tsconfig.json"), includeExternal: [BUNDLED] })],
  onwarn(warning, warn) {
    if (warning.code === "UNRESOLVED_IMPORT") throw new Error(warning.message);
    warn(warning);
  },
});
await types.write({
  dir: outdir,
  format: "es",
  entryFileNames: "[name].d.ts",
  chunkFileNames: "chunks/[name]-[hash].d.ts",
});
await types.close();
