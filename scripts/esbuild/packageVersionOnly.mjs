// esbuild plugin for the published bundles (CLI, client): `import pkg from "../package.json"` keeps
// only `version`, so a release's version comes from package.json (what `changeset version` bumps)
// while the manifest's other fields (dependency names such as @mcp-token/testkit, scripts) stay out
// of the shipped code. Only a package's own package.json is rewritten.
import { readFile } from "node:fs/promises";

/** @type {import("esbuild").Plugin} */
export const packageVersionOnly = {
  name: "package-version-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const { version } = JSON.parse(await readFile(args.path, "utf8"));
      if (typeof version !== "string") throw new Error(`${args.path} has no "version"`);
      return { contents: JSON.stringify({ version }), loader: "json" };
    });
  },
};
