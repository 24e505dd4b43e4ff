import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * The directory for mcp-token's disk cache: `$XDG_CACHE_HOME/mcp-token` when set, otherwise the
 * OS default: `%LOCALAPPDATA%\mcp-token\Cache` on Windows, `~/Library/Caches/mcp-token` on macOS,
 * `~/.cache/mcp-token` elsewhere.
 */
export function defaultCacheDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "mcp-token");
  if (platform === "win32") {
    return join(env.LOCALAPPDATA || join(home, "AppData", "Local"), "mcp-token", "Cache");
  }
  if (platform === "darwin") return join(home, "Library", "Caches", "mcp-token");
  return join(home, ".cache", "mcp-token");
}
