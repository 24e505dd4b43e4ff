/**
 * Installs packed tarballs the way a user would, with the npm registry unreachable.
 *
 * The CLI has no dependencies: `npm install -g <tarball>` into an empty prefix with an empty cache
 * needs nothing else. The client depends on registry packages (zod, the AWS SDK's credential chain
 * and signer), and a fresh project needs TypeScript and the MCP SDK too; offline, npm can only take
 * them from its cache, by integrity. `npm ci` of this repository put every one of them there, so the
 * fresh project gets a package-lock.json listing exactly the versions (and integrity hashes) this
 * repository's lock resolved for them, with download addresses on the unreachable registry, and
 * `npm ci --offline` installs it: a real install of the declared dependency tree, verified by
 * integrity, that fails if the client needs a package it does not declare. Why not NODE_PATH: ES
 * module imports and TypeScript's nodenext resolution ignore it; why not linking the repository's
 * node_modules: npm would install the linked packages' dependencies inside the repository.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./npmPack.js";

/** An address nothing listens on: any registry request fails at once. */
export const UNREACHABLE_REGISTRY = "http://127.0.0.1:9";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

/** The environment for npm: the registry unreachable, offline, nothing from this user's config. */
export function offlineNpmEnv(home: string, cache: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    npm_config_cache: cache,
    npm_config_registry: UNREACHABLE_REGISTRY,
    npm_config_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_userconfig: join(home, ".npmrc"),
  };
}

/** The npm cache `npm ci` of this repository filled (asked of npm, with this process's config). */
export async function repositoryNpmCache(): Promise<string> {
  const { stdout } = await promisify(execFile)("npm", ["config", "get", "cache"], { cwd: REPO_ROOT });
  return stdout.trim();
}

/** Runs npm with `env`; rejects with npm's own output on failure. */
export async function npm(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("npm", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const hint = /ENOTCACHED/.test(e.stderr ?? "")
      ? "\na package is missing from the npm cache: run `npm ci` in the repository (it fills the cache), then retry"
      : "";
    throw new Error(`npm ${args.join(" ")} failed:\n${e.stderr ?? ""}${e.stdout ?? ""}${hint}`, {
      cause: error,
    });
  }
}

export interface FreshProject {
  /** Registry packages the project depends on directly: name → the version this repository locks. */
  registry: { dependencies: string[]; devDependencies: string[] };
  /** A packed tarball (path relative to the project) and its manifest's dependencies. */
  tarball: {
    name: string;
    version: string;
    file: string;
    dependencies: Record<string, string>;
    workspaceDir: string;
  };
}

/**
 * Writes package.json and package-lock.json for a fresh project that depends on `tarball` and on
 * `registry` packages at the versions this repository's lock resolved. Throws, naming the package,
 * when a dependency is not in the repository's lock (then no offline install could have it).
 */
export async function writeFreshProject(dir: string, project: FreshProject): Promise<void> {
  const repoLock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as Lock;
  const repo = repoLock.packages;
  const out: Record<string, LockEntry> = {};
  const tarballKey = `node_modules/${project.tarball.name}`;
  // The tarball's package sits where its workspace's dependencies resolve from.
  const toProject = (key: string) =>
    key.startsWith(`${project.tarball.workspaceDir}/`)
      ? `${tarballKey}/${key.slice(project.tarball.workspaceDir.length + 1)}`
      : key;

  /** Where Node would find `name` from repository location `from` (walking up node_modules). */
  const find = (name: string, from: string): string | undefined => {
    let location = from;
    for (;;) {
      const key = location ? `${location}/node_modules/${name}` : `node_modules/${name}`;
      if (repo[key] && !repo[key].link) return key;
      if (!location) return undefined;
      const up = location.lastIndexOf("/node_modules/");
      location = up >= 0 ? location.slice(0, up) : "";
    }
  };

  const visit = (key: string) => {
    const target = toProject(key);
    if (out[target]) return;
    const entry = repo[key] as LockEntry;
    const { dev: _d, devOptional: _o, peer: _p, ...copy } = entry;
    const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    copy.resolved = `${UNREACHABLE_REGISTRY}/${name}/-/${name.split("/").pop()}-${entry.version}.tgz`;
    out[target] = copy;
    visitDependencies(entry, key);
  };

  /** Visits what `entry`, installed at repository location `location`, depends on. */
  const visitDependencies = (entry: LockEntry, location: string) => {
    const optional = new Set([
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([dep]) => dep),
    ]);
    const deps = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const dep of Object.keys(deps)) {
      const found = find(dep, location);
      if (found) visit(found);
      else if (!optional.has(dep)) {
        throw new Error(`${dep} (needed by ${location}) is not in package-lock.json`);
      }
    }
  };

  const direct = (names: string[]) =>
    Object.fromEntries(
      names.map((name) => {
        const key = find(name, "");
        if (!key) throw new Error(`${name} is not in package-lock.json`);
        visit(key);
        return [name, repo[key]?.version as string];
      }),
    );

  const { tarball } = project;
  visitDependencies({ dependencies: tarball.dependencies }, tarball.workspaceDir);
  const dependencies = { [tarball.name]: `file:${tarball.file}`, ...direct(project.registry.dependencies) };
  const devDependencies = direct(project.registry.devDependencies);
  out[tarballKey] = {
    version: tarball.version,
    resolved: `file:${tarball.file}`,
    dependencies: tarball.dependencies,
  };
  const manifest = {
    name: "fresh-project",
    version: "1.0.0",
    private: true,
    type: "module",
    dependencies,
    devDependencies,
  };
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: manifest.name, version: manifest.version, dependencies, devDependencies },
      ...out,
    },
  };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
}
