// esbuild plugin: named imports from the workspace packages' barrels (`@mcp-token/core`,
// `@mcp-token/client`, `@mcp-token/client/node`) are rewritten to import from the modules that
// define them.
//
// Why: esbuild splits code into chunks by file, each file going with the set of entry points that
// reach it, and it follows every re-export of a barrel it reaches. `createTokenSource` needs only
// `TokenCache` from core, but through `@mcp-token/core/src/index.ts` the warm `mcp-token headers`
// path would "reach" the response schemas, and with them zod (~250 KB), which the broker client
// loads on a cache miss. Importing from the defining modules keeps the warm path's chunks to what it
// runs. test/bundle.test.ts checks the result in dist/meta.json.
//
// Only `export { a, type B, c as d } from "…"` barrels are supported; anything else in a barrel, or
// an imported name a barrel does not export, fails the build rather than bundling it some other way.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

const BARREL_SPECIFIER = /^@mcp-token\/[\w-]+(?:\/[\w-]+)?$/;
// `import { … } from "@mcp-token/…";` at the start of a line (so never inside a doc comment).
const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s*from\s*["'](@mcp-token\/[^"']+)["'];?/gm;
const RE_EXPORT = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["'];?/g;
const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

/** `a`, `type B`, `c as d` → `{ type, imported, local }`. */
function specifiers(list) {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!m) throw new Error(`directWorkspaceImports: cannot read import specifier "${s}"`);
      return { type: Boolean(m[1]), imported: m[2], local: m[3] ?? m[2] };
    });
}

/** @type {import("esbuild").Plugin} */
export const directWorkspaceImports = {
  name: "direct-workspace-imports",
  setup(b) {
    /** Barrel file path → Promise<Map<exported name, { path, name }>>. */
    const barrels = new Map();

    async function barrelExports(barrelPath) {
      if (!barrels.has(barrelPath)) barrels.set(barrelPath, readBarrel(barrelPath));
      return barrels.get(barrelPath);
    }

    async function readBarrel(barrelPath) {
      const text = await readFile(barrelPath, "utf8");
      const rest = text.replace(COMMENTS, "").replace(RE_EXPORT, "").trim();
      if (rest !== "") {
        throw new Error(
          `directWorkspaceImports: ${barrelPath} is not a plain re-export barrel (found "${rest.slice(0, 60)}")`,
        );
      }
      const map = new Map();
      for (const [, allType, list, from] of text.replace(COMMENTS, "").matchAll(RE_EXPORT)) {
        const target = await resolvePath(from, dirname(barrelPath));
        const nested = BARREL_SPECIFIER.test(from) ? await barrelExports(target) : undefined;
        for (const s of specifiers(list)) {
          if (allType || s.type) continue;
          const origin = nested ? nested.get(s.imported) : { path: target, name: s.imported };
          if (!origin) throw new Error(`directWorkspaceImports: ${from} does not export ${s.imported}`);
          map.set(s.local, origin);
        }
      }
      return map;
    }

    async function resolvePath(specifier, resolveDir) {
      const r = await b.resolve(specifier, { resolveDir, kind: "import-statement" });
      if (r.errors.length > 0) throw new Error(`directWorkspaceImports: cannot resolve ${specifier}`);
      return r.path;
    }

    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const text = await readFile(args.path, "utf8");
      if (!text.includes("@mcp-token/")) return undefined;
      const resolveDir = dirname(args.path);
      const imports = [...text.matchAll(IMPORT)];
      const replacements = [];
      for (const m of imports) {
        const [statement, allType, list, specifier] = m;
        if (allType) continue;
        const exports = await barrelExports(await resolvePath(specifier, resolveDir));
        const byFile = new Map();
        for (const s of specifiers(list)) {
          if (s.type) continue;
          const origin = exports.get(s.imported);
          if (!origin) throw new Error(`directWorkspaceImports: ${specifier} does not export ${s.imported}`);
          const names = byFile.get(origin.path) ?? [];
          names.push(origin.name === s.local ? s.local : `${origin.name} as ${s.local}`);
          byFile.set(origin.path, names);
        }
        const rewritten = [...byFile]
          .map(([path, names]) => `import { ${names.join(", ")} } from ${JSON.stringify(path)};`)
          .join(" ");
        replacements.push({ start: m.index, end: m.index + statement.length, rewritten });
      }
      let contents = text;
      for (const r of replacements.reverse()) {
        contents = contents.slice(0, r.start) + r.rewritten + contents.slice(r.end);
      }
      return { contents, loader: "ts", resolveDir };
    });
  },
};
