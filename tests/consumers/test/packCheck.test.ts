import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { npmPack, privateWorkspaces, REPO_ROOT } from "../src/npmPack.js";
import { bareImports, checkPack, type Manifest, type PackedFile, type PackInput } from "../src/packCheck.js";

const PUBLISHED = ["packages/cli", "packages/client"];

/** A publishable package to break one rule at a time. */
function good(overrides: Partial<PackInput> = {}): PackInput {
  const manifest: Manifest = {
    name: "@mcp-token/example",
    version: "1.0.0",
    engines: { node: ">=20.19" },
    files: ["dist"],
    bin: { example: "bin/example.mjs" },
    exports: {
      ".": { "@mcp-token/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
    },
    dependencies: { zod: "^4.6.7" },
  };
  const contents: Record<string, string> = {
    "package.json": "{}",
    "README.md": "# example",
    LICENSE: "Apache-2.0",
    "bin/example.mjs": 'import "../dist/index.js";',
    "dist/index.js":
      'import { z } from "zod";\nimport { readFile } from "node:fs/promises";\nexport const a = 1;',
    "dist/index.d.ts": 'import { z } from "zod";\nexport declare const a: number;',
  };
  return {
    manifest,
    files: Object.keys(contents).map((path): PackedFile => ({ path, size: 1, mode: 0o644 })),
    read: (path) => contents[path] ?? "",
    privateWorkspaces: new Set(["@mcp-token/core", "@mcp-token/testkit"]),
    ...overrides,
  };
}

function withFile(input: PackInput, path: string, text: string): PackInput {
  return {
    ...input,
    files: [...input.files, { path, size: text.length, mode: 0o644 }],
    read: (p) => (p === path ? text : input.read(p)),
  };
}

describe("checkPack", () => {
  it("passes a publishable package", () => {
    expect(checkPack(good())).toEqual([]);
  });

  it("rule 1: refuses a private package, no engines, no files allow-list", () => {
    const { manifest } = good();
    const { engines: _e, files: _f, ...bare } = manifest;
    expect(checkPack(good({ manifest: { ...bare, private: true } }))).toEqual([
      '@mcp-token/example: package.json has "private": true',
      "@mcp-token/example: package.json has no engines.node",
      '@mcp-token/example: package.json has no "files" allow-list',
    ]);
  });

  it.each([
    ["*", "dependencies"],
    ["workspace:*", "dependencies"],
    ["file:../core", "optionalDependencies"],
    ["link:../core", "peerDependencies"],
  ] as const)("rule 2: refuses a workspace link %s in %s", (spec, field) => {
    const input = good();
    const manifest = { ...input.manifest, [field]: { "@mcp-token/core": spec } };
    expect(checkPack({ ...input, manifest })).toContain(
      `@mcp-token/example: ${field}.@mcp-token/core is "${spec}", a workspace link`,
    );
  });

  it("rule 2: refuses a dependency on a private workspace even with a version range", () => {
    const input = good();
    const manifest = { ...input.manifest, dependencies: { "@mcp-token/testkit": "^0.1.0" } };
    expect(checkPack({ ...input, manifest })).toContain(
      "@mcp-token/example: dependencies.@mcp-token/testkit is a private workspace that is never published",
    );
  });

  it.each(["test/cli.test.js", "dist/__tests__/a.js", "dist/a.spec.mjs", "src/index.ts", "dist/meta.json"])(
    "rule 3: refuses %s",
    (path) => {
      expect(checkPack(withFile(good(), path, "x")).join("\n")).toContain(path);
    },
  );

  it("rule 4: refuses source maps with absolute paths, in a file or inline, and absolute map URLs", () => {
    const map = JSON.stringify({
      version: 3,
      sources: ["/home/ci/work/packages/core/src/a.ts"],
      mappings: "",
    });
    const inline = `export const a = 1;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}`;
    expect(checkPack(withFile(good(), "dist/a.js.map", map))).toEqual([
      "@mcp-token/example: dist/a.js.map names an absolute path /home/ci/work/packages/core/src/a.ts",
    ]);
    expect(checkPack(withFile(good(), "dist/b.js", inline))).toEqual([
      "@mcp-token/example: dist/b.js (inline map) names an absolute path /home/ci/work/packages/core/src/a.ts",
    ]);
    expect(
      checkPack(withFile(good(), "dist/c.js", "//# sourceMappingURL=file:///home/ci/dist/c.js.map")),
    ).toEqual([
      "@mcp-token/example: dist/c.js points at a source map by absolute path file:///home/ci/dist/c.js.map",
    ]);
    const relative = JSON.stringify({ version: 3, sources: ["../src/a.ts"], mappings: "" });
    expect(checkPack(withFile(good(), "dist/d.js.map", relative))).toEqual([]);
  });

  it("rule 5: refuses a bin or exports target, README or LICENSE missing from the tarball", () => {
    const input = good();
    const files = input.files.filter(
      (f) => !["bin/example.mjs", "dist/index.d.ts", "LICENSE"].includes(f.path),
    );
    expect(checkPack({ ...input, files })).toEqual([
      "@mcp-token/example: bin example → bin/example.mjs is not in the tarball",
      "@mcp-token/example: exports target ./dist/index.d.ts is not in the tarball",
      "@mcp-token/example: LICENSE is not in the tarball",
    ]);
  });

  it("rule 6: refuses shipped code importing an undeclared package", () => {
    const input = withFile(
      good(),
      "dist/lazy.js",
      'const m = await import("@aws-sdk/credential-providers");',
    );
    expect(checkPack(input)).toEqual([
      '@mcp-token/example: dist/lazy.js imports "@aws-sdk/credential-providers", which is not a declared dependency',
    ]);
  });

  it("finds static, dynamic, side-effect and require imports, minified or not, but not built-ins", () => {
    expect(
      bareImports(
        'import{a}from"zod";export{b}from "jose";import "c/sub";await import("d");require("e");import("node:fs");require("path")',
      ).sort(),
    ).toEqual(["c/sub", "d", "e", "jose", "zod"]);
  });

  it("ignores package names in strings and comments", () => {
    const code = [
      '/** `import type { AuthProvider } from "@modelcontextprotocol/client"` */',
      'throw new Error(`load it: [require("@aws-sdk/signature-v4-crt");]`);',
      "const s = 'import(\"x\")';",
    ].join("\n");
    expect(bareImports(code)).toEqual([]);
  });
});

describe.each(PUBLISHED)("npm pack --dry-run of %s", (dir) => {
  it("would publish a tarball that passes every rule", async () => {
    // Act
    const packed = await npmPack(join(REPO_ROOT, dir));
    const problems = checkPack({
      ...packed,
      read: (path) => readFileSync(join(REPO_ROOT, dir, path), "utf8"),
      privateWorkspaces: privateWorkspaces(),
    });
    // Assess
    expect(problems).toEqual([]);
    expect(packed.filename).toBe(
      `${packed.manifest.name.replace(/^@/, "").replace("/", "-")}-${packed.manifest.version}.tgz`,
    );
  });
});

describe("the published packages", () => {
  it("the CLI ships its bundle with no runtime dependencies", async () => {
    const { manifest, files } = await npmPack(join(REPO_ROOT, "packages/cli"));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ "mcp-token": "bin/mcp-token.mjs" });
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["bin/mcp-token.mjs", "dist/mcp-token.mjs"]),
    );
    expect(files.find((f) => f.path === "bin/mcp-token.mjs")?.mode).toBe(0o755);
  });

  it("the client ships ES modules with declarations for `.` and `./node`, core bundled in", async () => {
    const { manifest, files } = await npmPack(join(REPO_ROOT, "packages/client"));
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "dist/index.js",
        "dist/index.d.ts",
        "dist/node/index.js",
        "dist/node/index.d.ts",
      ]),
    );
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("@mcp-token/core");
    for (const path of paths.filter((p) => /\.(js|d\.ts)$/.test(p))) {
      expect(readFileSync(join(REPO_ROOT, "packages/client", path), "utf8"), path).not.toContain(
        "@mcp-token/core",
      );
    }
  });
});
