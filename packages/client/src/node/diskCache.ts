// The disk cache is the one place mcp-token persists an access token. Why it is acceptable:
// Claude Code's headersHelper and `mcp-token get` run as a new process on every connect, and without
// a cache each run would cost a broker call and an Auth0 token (metered, rate-limited). The token is
// short-lived (the broker's lifetime, typically 1 h), it is what the same user could obtain again
// with the AWS credentials already on this machine, and it is kept only where those credentials
// live: a 0700 directory of the user's own, in 0600 files written atomically, keyed by the AWS
// identity so a different identity never reads it. Anything that does not look exactly like that
// (other owner, loose mode, symlink, corrupt, oversize) is ignored and replaced.
import { createHash, randomBytes } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import { join } from "node:path";
import type { StoredToken, TokenStore, TokenStoreKey } from "../tokenSource/tokenStore.js";
import { defaultCacheDir } from "./cacheDir.js";
import { formatCacheEntry, parseCacheEntry } from "./cacheEntry.js";

/** Largest cache file read (bytes). */
export const MAX_CACHE_FILE_BYTES = 16 * 1024;

/** Options of {@link createDiskCache}. */
export interface DiskCacheOptions {
  /** Cache directory. Default: {@link defaultCacheDir} (`$XDG_CACHE_HOME/mcp-token`, or the OS default). */
  dir?: string;
  /** Called when the cache skips a file or cannot write (never with token contents). */
  onWarning?: (message: string) => void;
}

/** A {@link TokenStore} on disk, plus where it lives. */
export interface DiskCache extends TokenStore {
  readonly dir: string;
  /** The file a key maps to: `<dir>/<sha256 hex of the key>.json`. */
  fileFor(key: TokenStoreKey): string;
}

/**
 * A token cache on disk for short-lived processes: one file per key (sha256 of broker URL, profile,
 * sorted scopes and AWS identity), directory 0700, files 0600, atomic writes (temp file + rename).
 * Corrupt, oversize, wrong-mode, symlinked or foreign-owned files are ignored and replaced. Reads
 * and writes never throw.
 *
 * @example
 * ```ts
 * import { createDiskCache } from "@mcp-token/client/node";
 * const source = createTokenSource({ brokerUrl, cache: createDiskCache() });
 * ```
 */
export function createDiskCache(options: DiskCacheOptions = {}): DiskCache {
  const dir = options.dir ?? defaultCacheDir();
  const warn = options.onWarning ?? (() => {});
  const posix = process.platform !== "win32" && typeof process.getuid === "function";
  const uid = posix ? process.getuid?.() : undefined;
  let dirReady: Promise<boolean> | undefined;

  function fileFor(key: TokenStoreKey): string {
    const material = JSON.stringify([
      "mcp-token/v1",
      key.brokerUrl,
      key.profile,
      [...new Set(key.scopes)].sort(),
      key.identity,
    ]);
    return join(dir, `${createHash("sha256").update(material).digest("hex")}.json`);
  }

  async function ensureDir(): Promise<boolean> {
    dirReady ??= (async () => {
      try {
        await fs.mkdir(dir, { recursive: true, mode: 0o700 });
        const stat = await fs.lstat(dir);
        if (!stat.isDirectory()) {
          warn(`disk cache disabled: ${dir} is not a directory`);
          return false;
        }
        if (posix) {
          if (stat.uid !== uid) {
            warn(`disk cache disabled: ${dir} belongs to another user`);
            return false;
          }
          if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
        }
        return true;
      } catch (error) {
        warn(`disk cache disabled: cannot use ${dir} (${(error as Error).message})`);
        return false;
      }
    })();
    return dirReady;
  }

  async function get(key: TokenStoreKey): Promise<StoredToken | undefined> {
    if (!(await ensureDir())) return undefined;
    const path = fileFor(key);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
      const stat = await handle.stat();
      if (!stat.isFile()) return skip("not a regular file");
      if (posix && stat.uid !== uid) return skip("owned by another user");
      if (posix && (stat.mode & 0o077) !== 0) return skip("readable by others");
      if (stat.size > MAX_CACHE_FILE_BYTES) return skip("too large");
      const buffer = Buffer.alloc(MAX_CACHE_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_CACHE_FILE_BYTES) return skip("too large");
      return parseCacheEntry(buffer.subarray(0, bytesRead).toString("utf8")) ?? skip("corrupt");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") skip(code === "ELOOP" ? "a symbolic link" : `unreadable (${code ?? "error"})`);
      return undefined;
    } finally {
      await handle?.close().catch(() => {});
    }

    function skip(reason: string): undefined {
      warn(`ignoring disk cache file ${path}: ${reason}`);
      return undefined;
    }
  }

  async function set(key: TokenStoreKey, token: StoredToken): Promise<void> {
    if (!(await ensureDir())) return;
    const path = fileFor(key);
    const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const body = formatCacheEntry(token);
    try {
      // O_EXCL: never write through a file (or symlink) someone else placed at the temp name.
      const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(body, "utf8");
        await handle.sync().catch(() => {});
      } finally {
        await handle.close();
      }
      // rename replaces whatever was there (a corrupt, foreign or loose-mode file) atomically.
      await fs.rename(temp, path);
    } catch (error) {
      await fs.unlink(temp).catch(() => {});
      warn(`could not write disk cache file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }

  async function remove(key: TokenStoreKey): Promise<void> {
    if (!(await ensureDir())) return;
    await fs.unlink(fileFor(key)).catch(() => {});
  }

  return { dir, fileFor, get, set, delete: remove };
}
