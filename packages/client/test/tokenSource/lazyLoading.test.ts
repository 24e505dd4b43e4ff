import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const src = (path: string) => join(root, "src", path);

describe("Package boundary: what a token source loads before its first broker call", () => {
  it("a token source with the disk cache loads neither the broker client (zod schemas) nor the signer until it asks the broker", async () => {
    // Prepare: bundle the two modules a CLI answering from its disk cache runs, split into chunks
    const result = await build({
      entryPoints: [src("tokenSource/createTokenSource.ts"), src("node/diskCache.ts")],
      bundle: true,
      splitting: true,
      write: false,
      absWorkingDir: root,
      outdir: join(root, "out"), // never written
      format: "esm",
      platform: "node",
      packages: "external",
      metafile: true,
      logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const texts = new Map(result.outputFiles.map((f) => [relative(root, f.path), f.text]));
    // Act: everything the two entries load before running (static imports only)
    const eager = new Set<string>();
    const visit = (out: string) => {
      if (eager.has(out)) return;
      eager.add(out);
      for (const i of outputs[out]?.imports ?? []) {
        if (i.kind === "import-statement" && !i.external) visit(i.path);
      }
    };
    for (const [out, meta] of Object.entries(outputs)) {
      if (/(createTokenSource|diskCache)\.ts$/.test(meta.entryPoint ?? "")) visit(out);
    }
    const inputs = [...eager].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {}));
    const code = [...eager].map((o) => texts.get(o) ?? "").join("\n");
    // Assess
    expect(eager.size).toBeGreaterThan(1);
    expect(inputs.filter((i) => /broker\/(brokerClient|signRequest)\.ts$/.test(i))).toEqual([]);
    expect(code).not.toMatch(/from\s*["'](zod|@aws-sdk\/[\w-]+|@smithy\/[\w-]+)["']/);
    const fromCore = [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']@mcp-token\/core["']/g)].flatMap(
      (m) => (m[1] ?? "").split(",").map((s) => s.trim().split(/\s+as\s+/)[0]),
    );
    expect(fromCore.length).toBeGreaterThan(0);
    expect(fromCore.filter((name) => name?.endsWith("Schema") || name === "BrokerError")).toEqual([]);
    // The broker client is still in the bundle, behind a dynamic import.
    expect(Object.values(outputs).some((o) => o.imports.some((i) => i.kind === "dynamic-import"))).toBe(true);
  });
});
