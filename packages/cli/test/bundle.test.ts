import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE } from "./support/stack.js";

describe("Package boundary: the built mcp-token bundle", () => {
  it("is an executable with a node shebang and never contains test-only code", async () => {
    const dist = join(BUNDLE, "..");
    const files = [BUNDLE, ...(await readdir(join(dist, "chunks"))).map((f) => join(dist, "chunks", f))];
    expect((await stat(BUNDLE)).mode & 0o111).not.toBe(0);
    expect((await readFile(BUNDLE, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      expect(text, file).not.toMatch(
        /@mcp-token\/testkit|oidc-provider|startFunctionUrlEmulator|moto_server/,
      );
    }
  });

  it("loads only its own entry chunk for --help (no zod, AWS SDK or MCP code)", async () => {
    const meta = JSON.parse(await readFile(join(BUNDLE, "..", "meta.json"), "utf8")) as {
      outputs: Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
    };
    const entry = meta.outputs["dist/mcp-token.mjs"];
    const eager = new Set<string>();
    const visit = (out: string) => {
      for (const i of meta.outputs[out]?.imports ?? []) {
        if (i.kind === "import-statement" && i.path.startsWith("dist/") && !eager.has(i.path)) {
          eager.add(i.path);
          visit(i.path);
        }
      }
    };
    expect(entry).toBeDefined();
    visit("dist/mcp-token.mjs");
    const inputs = [...eager, "dist/mcp-token.mjs"].flatMap((o) =>
      Object.keys(meta.outputs[o]?.inputs ?? {}),
    );
    expect(
      inputs.filter((i) => /node_modules\/(zod|@aws-sdk|@smithy|@modelcontextprotocol)\//.test(i)),
    ).toEqual([]);
  });
});
