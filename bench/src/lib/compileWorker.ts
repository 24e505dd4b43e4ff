/**
 * Worker processes that host measured code are compiled to plain JavaScript with esbuild (workspace
 * sources bundled in, npm packages left external) and run with plain `node`: no TypeScript loader, and
 * so none of its side effects (module hooks, source-mapped stack traces), sits in a measured process.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { BENCH_DIR } from "./children.js";

const WORKERS_SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../workers");
const OUT_DIR = join(BENCH_DIR, "dist", "workers");

/** The worker entry points under src/workers. */
export type WorkerName = "hotPath" | "functionUrl" | "coldCallers" | "sharedInstance" | "coldInit";

/** Bundles our own workspace packages (TypeScript sources); every other bare import stays external. */
const externalNpmPackages: Plugin = {
  name: "external-npm-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@mcp-token/") || args.path.startsWith("node:") ? undefined : { external: true },
    );
  },
};

const compiled = new Map<WorkerName, Promise<string>>();

/** Compiles `src/workers/<name>.ts` to `dist/workers/<name>.mjs` (once per run); resolves to its path. */
export function compileWorker(name: WorkerName): Promise<string> {
  let done = compiled.get(name);
  if (!done) {
    done = (async () => {
      const outfile = join(OUT_DIR, `${name}.mjs`);
      await build({
        entryPoints: [join(WORKERS_SRC, `${name}.ts`)],
        outfile,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "esm",
        sourcemap: false,
        logLevel: "warning",
        plugins: [externalNpmPackages],
      });
      return outfile;
    })();
    compiled.set(name, done);
  }
  return done;
}
