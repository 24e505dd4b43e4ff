import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE } from "./support/stack.js";

interface Meta {
  outputs: Record<
    string,
    { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string }
  >;
}

/** The inputs of an output file and of every chunk it imports statically (what Node loads with it). */
function eagerInputs(meta: Meta, start: string): string[] {
  const seen = new Set<string>([start]);
  const visit = (out: string) => {
    for (const i of meta.outputs[out]?.imports ?? []) {
      if (i.kind === "import-statement" && i.path.startsWith("dist/") && !seen.has(i.path)) {
        seen.add(i.path);
        visit(i.path);
      }
    }
  };
  visit(start);
  return [...seen].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
}

const readMeta = async () => JSON.parse(await readFile(join(BUNDLE, "..", "meta.json"), "utf8")) as Meta;

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
    const meta = await readMeta();
    expect(meta.outputs["dist/mcp-token.mjs"]).toBeDefined();
    const inputs = eagerInputs(meta, "dist/mcp-token.mjs");
    expect(
      inputs.filter((i) => /node_modules\/(zod|@aws-sdk|@smithy|@modelcontextprotocol)\//.test(i)),
    ).toEqual([]);
  });

  it.each(["headers", "get"])(
    "loads no zod, AWS SDK, signer or MCP code for `%s` until the token source asks the broker",
    async (command) => {
      // Prepare: the command's chunk, loaded by main, and what it imports statically
      const meta = await readMeta();
      const chunk = Object.keys(meta.outputs).find(
        (o) => meta.outputs[o]?.entryPoint === `src/commands/${command}/index.ts`,
      );
      expect(chunk).toBeDefined();
      // Act
      const inputs = [...eagerInputs(meta, "dist/mcp-token.mjs"), ...eagerInputs(meta, chunk as string)];
      // Assess: the token source and disk cache are there; the broker client and zod are not
      expect(inputs).toEqual(
        expect.arrayContaining([
          "../client/src/tokenSource/createTokenSource.ts",
          "../client/src/node/diskCache.ts",
          "../core/src/cache/tokenCache.ts",
        ]),
      );
      expect(
        inputs.filter((i) =>
          /node_modules\/(zod|@aws-sdk|@aws-crypto|@smithy|@modelcontextprotocol)\/|\/src\/api\/responses\.ts$|\/src\/broker\/(brokerClient|signRequest)\.ts$|^src\/mcp\//.test(
            i,
          ),
        ),
      ).toEqual([]);
    },
  );
});
