// esbuild plugin shared by every bundle that ships zod (broker, MCP server, CLI).
//
// zod re-exports all ~50 of its error-message locales (≈ 250 KiB minified) from its namespace object;
// mcp-token only ever uses the default English messages, so zod's locale index is replaced with `en`.
// Smaller bundles parse faster: this is most of the difference between importing a bundle and `node -e 0`.
import { dirname, join } from "node:path";

/** @type {import("esbuild").Plugin} */
export const zodEnglishOnly = {
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
