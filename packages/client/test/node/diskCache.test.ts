import {
  chmod,
  chown,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDiskCache, MAX_CACHE_FILE_BYTES } from "../../src/node/diskCache.js";
import type { StoredToken, TokenStoreKey } from "../../src/tokenSource/tokenStore.js";

const key: TokenStoreKey = {
  brokerUrl: "https://abc.lambda-url.us-west-2.on.aws/",
  profile: "default",
  scopes: ["b", "a"],
  identity: "akid:ASIAEXAMPLE",
};
const token: StoredToken = {
  obtainedAt: 1_700_000_000_000,
  expiresAt: 1_700_003_600_000,
  response: {
    access_token: "header.payload.signature",
    token_type: "Bearer",
    expires_in: 3600,
    expires_at: "2023-11-14T23:13:20.000Z",
    scope: "a b",
    profile: "default",
  },
};
const isRoot = process.getuid?.() === 0;

describe("Function: createDiskCache", () => {
  let dir: string;
  let warnings: string[];
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "mcp-token-disk-")), "cache");
    warnings = [];
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });
  const cache = () => createDiskCache({ dir, onWarning: (m) => warnings.push(m) });

  it("round-trips a token in a 0600 file inside a 0700 directory", async () => {
    const c = cache();
    await c.set(key, token);
    expect(await c.get(key)).toEqual(token);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(c.fileFor(key))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([c.fileFor(key).slice(dir.length + 1)]);
  });

  it("uses one file per broker, profile, scope set and AWS identity (scope order does not matter)", () => {
    const c = cache();
    const file = c.fileFor(key);
    expect(c.fileFor({ ...key, scopes: ["a", "b"] })).toBe(file);
    expect(c.fileFor({ ...key, identity: "akid:OTHER" })).not.toBe(file);
    expect(c.fileFor({ ...key, profile: "ops" })).not.toBe(file);
    expect(c.fileFor({ ...key, brokerUrl: "https://other.lambda-url.us-west-2.on.aws/" })).not.toBe(file);
    expect(c.fileFor({ ...key, scopes: ["a"] })).not.toBe(file);
    expect(file).toMatch(/[0-9a-f]{64}\.json$/);
  });

  it("tightens a loose existing directory to 0700", async () => {
    const c = cache();
    await c.set(key, token);
    await chmod(dir, 0o755);
    await cache().set(key, token);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it.each([
    ["corrupt JSON", "{not json"],
    ["a wrong shape", JSON.stringify({ v: 1, obtainedAt: 1, expiresAt: 2, response: { access_token: "x" } })],
    ["an unknown format version", JSON.stringify({ ...token, v: 99 })],
    ["an oversize file", "x".repeat(MAX_CACHE_FILE_BYTES + 10)],
  ])("ignores %s and replaces it on the next write", async (_what, content) => {
    const c = cache();
    await c.set(key, token);
    await writeFile(c.fileFor(key), content, { mode: 0o600 });
    expect(await c.get(key)).toBeUndefined();
    await c.set(key, token);
    expect(await c.get(key)).toEqual(token);
  });

  it("ignores a file readable by group or others", async () => {
    const c = cache();
    await c.set(key, token);
    await chmod(c.fileFor(key), 0o644);
    expect(await c.get(key)).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/readable by others/);
    await c.set(key, token);
    expect((await stat(c.fileFor(key))).mode & 0o777).toBe(0o600);
    expect(await c.get(key)).toEqual(token);
  });

  it("ignores a symbolic link planted at the cache file name", async () => {
    const c = cache();
    await c.set(key, token);
    const elsewhere = join(dir, "..", "planted.json");
    await writeFile(elsewhere, await readFile(c.fileFor(key)), { mode: 0o600 });
    await rm(c.fileFor(key));
    await symlink(elsewhere, c.fileFor(key));
    expect(await c.get(key)).toBeUndefined();
    await c.set(key, token);
    expect((await lstat(c.fileFor(key))).isSymbolicLink()).toBe(false);
  });

  it.runIf(isRoot)("ignores a file owned by another user and replaces it", async () => {
    const c = cache();
    await c.set(key, token);
    await chown(c.fileFor(key), 12345, 12345);
    expect(await c.get(key)).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/owned by another user/);
    await c.set(key, token);
    expect((await stat(c.fileFor(key))).uid).toBe(0);
    expect(await c.get(key)).toEqual(token);
  });

  it.runIf(isRoot)("is disabled, with a warning, when the directory belongs to another user", async () => {
    const c = cache();
    await c.set(key, token);
    await chown(dir, 12345, 12345);
    const other = cache();
    expect(await other.get(key)).toBeUndefined();
    await other.set(key, token);
    expect(warnings.join("\n")).toMatch(/belongs to another user/);
  });

  it("deletes an entry and treats a missing file as a miss without warnings", async () => {
    const c = cache();
    await c.set(key, token);
    await c.delete(key);
    expect(await c.get(key)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("leaves no temporary files behind", async () => {
    const c = cache();
    await Promise.all(Array.from({ length: 10 }, () => c.set(key, token)));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(await c.get(key)).toEqual(token);
  });
});
