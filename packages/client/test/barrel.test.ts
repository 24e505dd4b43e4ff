import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build helper without declarations
import { packageVersionOnly } from "../../../scripts/esbuild/packageVersionOnly.mjs";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

describe("Package boundary: @mcp-token/client root entry", () => {
  it("bundles for the browser platform with no node: imports and loads the AWS SDK only lazily", async () => {
    // Act: bundle the root entry as a browser/worker app would, leaving packages external
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      packages: "external",
      // as scripts/build.mjs does: only package.json's version goes into the code
      plugins: [packageVersionOnly],
      metafile: true,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    // Assess
    const imports = Object.values(result.metafile.outputs)[0]?.imports ?? [];
    expect(imports.filter((i) => i.path.startsWith("node:"))).toEqual([]);
    // The credential chain and, for the STS token source, the STS client: both loaded on first use only.
    expect(
      imports
        .filter((i) => i.path.startsWith("@aws-sdk/"))
        .map((i) => `${i.kind} ${i.path}`)
        .sort(),
    ).toEqual(["dynamic-import @aws-sdk/client-sts", "dynamic-import @aws-sdk/credential-providers"]);
    expect(code).not.toMatch(/from\s+["']node:/);
    expect(code).not.toMatch(/@mcp-token\/testkit|oidc-provider/);
  });
});
