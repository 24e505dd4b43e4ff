/**
 * What a published tarball must and must not contain, checked on `npm pack --dry-run --json`'s file
 * list and the package's manifest before anything is published. Numbered rules, each with a test
 * (test/packCheck.test.ts), the real packages included:
 *
 * 1. The manifest is publishable: not `private`, `engines.node` set, `files` set (an allow-list).
 * 2. No dependency on a workspace link: no `*`, `workspace:`, `file:`, `link:` or git spec in
 *    dependencies, optionalDependencies or peerDependencies, and none naming a private workspace
 *    (it is never published, so an install could not find it).
 * 3. No test files (`test/`, `tests/`, `__tests__/`, `*.test.*`, `*.spec.*`), TypeScript sources or
 *    build metadata (`meta.json`, `.tsbuildinfo`).
 * 4. No source map, inline or file, that names an absolute path (a build machine's layout) or embeds
 *    sources; no `sourceMappingURL` to an absolute or `file:` location.
 * 5. Every file the manifest points at ships: each `bin`, and each `exports` target except those under
 *    the workspace-only "@mcp-token/source" condition; README.md and LICENSE too.
 * 6. Shipped code imports only Node built-ins, its own relative files, and declared dependencies.
 */
import { builtinModules } from "node:module";
import ts from "typescript";

/** The fields of package.json these rules read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  engines?: { node?: string };
  files?: string[];
  bin?: string | Record<string, string>;
  exports?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** One entry of `npm pack --dry-run --json`'s `files`. */
export interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

export interface PackInput {
  manifest: Manifest;
  files: PackedFile[];
  /** Reads a packed file's text (from the package directory). */
  read(path: string): string;
  /** Names of the repository's private workspaces (never published). */
  privateWorkspaces: ReadonlySet<string>;
}

/** The export condition that points the workspace at sources; never used by an installed package. */
export const SOURCE_CONDITION = "@mcp-token/source";

const LINK_SPEC = /^(\*|workspace:|file:|link:|git(\+\w+)?:|github:|[\w.-]+\/[\w.-]+$)/;
const TEST_FILE = /(^|\/)(test|tests|__tests__|fixtures)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const SOURCE_FILE = /(?<!\.d)\.[cm]?tsx?$|(^|\/)src\//;
const BUILD_METADATA = /(^|\/)meta\.json$|\.tsbuildinfo$/;
const CODE_FILE = /\.[cm]?js$|\.d\.[cm]?ts$/;
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|file:)/;

/** Checks one package; returns a sentence per problem (empty when the tarball may be published). */
export function checkPack({ manifest, files, read, privateWorkspaces }: PackInput): string[] {
  const problems: string[] = [];
  const paths = new Set(files.map((f) => f.path));
  const name = manifest.name;

  // 1
  if (manifest.private) problems.push(`${name}: package.json has "private": true`);
  if (!manifest.engines?.node) problems.push(`${name}: package.json has no engines.node`);
  if (!manifest.files?.length) problems.push(`${name}: package.json has no "files" allow-list`);

  // 2
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"] as const) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (LINK_SPEC.test(spec)) problems.push(`${name}: ${field}.${dep} is "${spec}", a workspace link`);
      else if (privateWorkspaces.has(dep)) {
        problems.push(`${name}: ${field}.${dep} is a private workspace that is never published`);
      }
    }
  }

  // 3
  for (const path of paths) {
    if (TEST_FILE.test(path)) problems.push(`${name}: ships test file ${path}`);
    else if (SOURCE_FILE.test(path)) problems.push(`${name}: ships source file ${path}`);
    else if (BUILD_METADATA.test(path)) problems.push(`${name}: ships build metadata ${path}`);
  }

  // 4
  for (const path of paths) {
    if (path.endsWith(".map")) problems.push(...sourceMapProblems(name, path, read(path)));
    if (!CODE_FILE.test(path)) continue;
    const text = read(path);
    for (const [, url] of text.matchAll(/[#@]\s*sourceMappingURL=(\S+)/g)) {
      if (url?.startsWith("data:")) {
        const json = Buffer.from(url.slice(url.indexOf(",") + 1), "base64").toString("utf8");
        problems.push(...sourceMapProblems(name, `${path} (inline map)`, json));
      } else if (url && ABSOLUTE.test(url)) {
        problems.push(`${name}: ${path} points at a source map by absolute path ${url}`);
      }
    }
  }

  // 5
  const bins = typeof manifest.bin === "string" ? { [name]: manifest.bin } : (manifest.bin ?? {});
  for (const [bin, target] of Object.entries(bins)) {
    if (!paths.has(normalise(target))) problems.push(`${name}: bin ${bin} → ${target} is not in the tarball`);
  }
  for (const target of exportTargets(manifest.exports)) {
    if (!paths.has(normalise(target)))
      problems.push(`${name}: exports target ${target} is not in the tarball`);
  }
  for (const required of ["README.md", "LICENSE", "package.json"]) {
    if (!paths.has(required)) problems.push(`${name}: ${required} is not in the tarball`);
  }

  // 6
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  for (const path of paths) {
    if (!CODE_FILE.test(path)) continue;
    for (const specifier of bareImports(read(path))) {
      const pkg = specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
      if (pkg !== name && !declared.has(pkg)) {
        problems.push(`${name}: ${path} imports "${specifier}", which is not a declared dependency`);
      }
    }
  }
  return problems;
}

function sourceMapProblems(name: string, where: string, text: string): string[] {
  let map: { sources?: unknown; sourceRoot?: unknown; sourcesContent?: unknown };
  try {
    map = JSON.parse(text);
  } catch {
    return [`${name}: ${where} is not a JSON source map`];
  }
  const problems: string[] = [];
  const sources = Array.isArray(map.sources) ? map.sources : [];
  if (typeof map.sourceRoot === "string" && ABSOLUTE.test(map.sourceRoot)) {
    problems.push(`${name}: ${where} has an absolute sourceRoot ${map.sourceRoot}`);
  }
  for (const source of sources) {
    if (typeof source === "string" && ABSOLUTE.test(source)) {
      problems.push(`${name}: ${where} names an absolute path ${source}`);
    }
  }
  return problems;
}

/** Every file an `exports` map can resolve to, leaving out the workspace-only source condition. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (exports === null || typeof exports !== "object") return [];
  return Object.entries(exports).flatMap(([key, value]) =>
    key === SOURCE_CONDITION ? [] : exportTargets(value),
  );
}

/**
 * Bare specifiers of static and dynamic imports, re-exports and `require` calls (not Node built-ins),
 * found by TypeScript's scanner so that text in strings and comments (an error message naming an
 * optional package, a doc comment's example) does not count.
 */
export function bareImports(code: string): string[] {
  const { importedFiles } = ts.preProcessFile(code, true, true);
  const found = new Set<string>();
  for (const { fileName } of importedFiles) {
    if (/^[./]/.test(fileName) || fileName.startsWith("node:") || builtinModules.includes(fileName)) continue;
    found.add(fileName);
  }
  return [...found];
}

function normalise(path: string): string {
  return path.replace(/^\.\//, "");
}
