/**
 * The packed `@mcp-token/cli` and `@mcp-token/client`, installed as a user outside this repository
 * would, with the npm registry unreachable (src/offlineInstall.ts says how), then used against the
 * local stack (`npm start`'s: the broker bundle behind the Function URL emulator, the MCP server
 * bundle, the local issuer, moto).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FREE_PORTS, type LocalStack, startLocalStack } from "@mcp-token/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npmPack, REPO_ROOT } from "../src/npmPack.js";
import { npm, offlineNpmEnv, repositoryNpmCache, writeFreshProject } from "../src/offlineInstall.js";

let dir: string;
let home: string;
let stack: LocalStack;
const tarballs: Record<
  "cli" | "client",
  { file: string; version: string; dependencies: Record<string, string> }
> = {} as never;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-token-install-test-"));
  home = join(dir, "home");
  await mkdir(home);
  for (const name of ["cli", "client"] as const) {
    const packed = await npmPack(join(REPO_ROOT, "packages", name), dir);
    tarballs[name] = {
      file: join(dir, packed.filename),
      version: packed.manifest.version,
      dependencies: packed.manifest.dependencies ?? {},
    };
  }
  stack = await startLocalStack({
    ...FREE_PORTS,
    quiet: true,
    stateDir: join(dir, "stack"),
  });
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("npm i -g ./mcp-token-cli-<version>.tgz into an empty prefix, registry unreachable, empty cache", () => {
  let prefix: string;
  let userEnv: Record<string, string>;

  beforeAll(async () => {
    prefix = join(dir, "prefix");
    const cwd = join(dir, "elsewhere");
    await mkdir(cwd);
    await npm(
      ["install", "-g", "--prefix", prefix, tarballs.cli.file],
      cwd,
      offlineNpmEnv(home, join(dir, "empty-cache")),
    );
    userEnv = { PATH: `${join(prefix, "bin")}:${process.env.PATH}`, HOME: home, ...stack.info.env };
  });

  it("installs the bin and nothing else", async () => {
    const installed = join(prefix, "lib", "node_modules", "@mcp-token", "cli");
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
    expect((await readdir(installed)).sort()).toEqual([
      "LICENSE",
      "README.md",
      "bin",
      "dist",
      "package.json",
    ]);
    expect(existsSync(join(prefix, "bin", "mcp-token"))).toBe(true);
  });

  it("`mcp-token --version` prints the package's version", async () => {
    const { code, stdout } = await run("mcp-token", ["--version"], home, userEnv);
    expect(code).toBe(0);
    expect(stdout).toBe(`${tarballs.cli.version}\n`);
  });

  it("`mcp-token get` fetches a token from the local stack, and refuses a denied identity with exit 4", async () => {
    const ok = await run("mcp-token", ["get", "--aws-profile", "agent"], home, userEnv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const denied = await run("mcp-token", ["get", "--aws-profile", "outsider"], home, userEnv);
    expect(denied.code).toBe(4);
    expect(denied.stderr).toContain("access_denied");
    expect(denied.stdout).toBe("");
  });
});

const MAIN_TS = `// Uses both entries of the installed @mcp-token/client; prints what it saw (never the token).
import { readdir } from "node:fs/promises";
import { CLIENT_VERSION, createTokenSource, isBrokerError, type TokenResponse } from "@mcp-token/client";
import { createDiskCache } from "@mcp-token/client/node";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`set \${name}\`);
  return value;
}

const options = { brokerUrl: env("MCP_TOKEN_BROKER_URL"), region: env("AWS_REGION") };
const cacheDir = env("TOKEN_CACHE_DIR");
const source = createTokenSource({ ...options, awsProfile: "agent", cache: createDiskCache({ dir: cacheDir }) });
const response: TokenResponse = await source.getTokenResponse();
const token: string = await source.getToken();

let denied = "";
try {
  await createTokenSource({ ...options, awsProfile: "outsider" }).getToken();
} catch (error) {
  if (isBrokerError(error)) denied = error.code;
}

/** Never called: proves the declarations are real types (an unused @ts-expect-error fails tsc). */
export function misuse(): void {
  // @ts-expect-error brokerUrl is a string
  createTokenSource({ brokerUrl: 42 });
  // @ts-expect-error the disk cache takes { dir?: string }
  createDiskCache({ dir: 1 });
}

console.log(
  JSON.stringify({
    version: CLIENT_VERSION,
    profile: response.profile,
    tokenType: response.token_type,
    jwt: /^eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+$/.test(token),
    sameToken: token === response.access_token,
    denied,
    cacheFiles: (await readdir(cacheDir)).length,
  }),
);
`;

const TSCONFIG = {
  compilerOptions: {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    strict: true,
    // Check the installed packages' declarations too, ours above all.
    skipLibCheck: false,
    types: ["node"],
    rootDir: "src",
    outDir: "out",
  },
  include: ["src"],
};

/** The first ```ts block of the client's README, as a user would paste it. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, "packages/client/README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("packages/client/README.md has no ```ts example");
  return block;
}

describe("a fresh TypeScript project (nodenext) with the packed client, registry unreachable", () => {
  let project: string;
  let tsc: Run;

  beforeAll(async () => {
    project = join(dir, "fresh-project");
    await mkdir(join(project, "src"), { recursive: true });
    await writeFreshProject(project, {
      registry: {
        dependencies: ["@modelcontextprotocol/client"],
        devDependencies: ["typescript", "@types/node"],
      },
      tarball: {
        name: "@mcp-token/client",
        version: tarballs.client.version,
        file: `../${tarballs.client.file.split("/").pop()}`,
        dependencies: tarballs.client.dependencies,
        workspaceDir: "packages/client",
      },
    });
    await writeFile(join(project, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    await writeFile(join(project, "src", "main.ts"), MAIN_TS);
    await writeFile(join(project, "src", "readme.ts"), readmeExample());
    await npm(["ci", "--ignore-scripts"], project, offlineNpmEnv(home, await repositoryNpmCache()));
    tsc = await run(
      process.execPath,
      [join(project, "node_modules/typescript/bin/tsc"), "-p", "."],
      project,
      {
        PATH: process.env.PATH ?? "",
      },
    );
  });

  it("installs the client from its tarball and only its declared dependencies", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages["node_modules/@mcp-token/client"]?.version).toBe(tarballs.client.version);
    expect(Object.keys(lock.packages).filter((k) => k.includes("@mcp-token/core"))).toEqual([]);
    for (const dep of Object.keys(tarballs.client.dependencies)) {
      expect(existsSync(join(project, "node_modules", dep, "package.json")), dep).toBe(true);
    }
  });

  it("typechecks both entries and the README example with moduleResolution nodenext", () => {
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("fetches a token from the local stack through `@mcp-token/client` and `@mcp-token/client/node`", async () => {
    const cacheDir = join(dir, "token-cache");
    const { code, stdout, stderr } = await run(process.execPath, ["out/main.js"], project, {
      PATH: process.env.PATH ?? "",
      HOME: home,
      ...stack.info.env,
      TOKEN_CACHE_DIR: cacheDir,
    });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      version: tarballs.client.version,
      profile: "default",
      tokenType: "Bearer",
      jwt: true,
      sameToken: true,
      denied: "access_denied",
      cacheFiles: 1,
    });
  });
});
