/** Where the local stack finds the built artifacts it runs and where it writes its state. */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (apps/local/src → ../../..). */
export const REPO_ROOT = resolve(here, "../../..");
/** The production broker bundle (built by `npm run build`). */
export const BROKER_BUNDLE = resolve(REPO_ROOT, "apps/broker/dist/handler.mjs");
/** The MCP server bundle, the same file the container image runs. */
export const MCP_SERVER_BUNDLE = resolve(REPO_ROOT, "apps/mcp-server/dist/main.mjs");
/** The `mcp-token` CLI bundle. */
export const CLI_BUNDLE = resolve(REPO_ROOT, "packages/cli/dist/mcp-token.mjs");
/** Default state directory: `.mcp-token/local` at the repository root (git-ignored). */
export const DEFAULT_STATE_DIR = resolve(REPO_ROOT, ".mcp-token/local");
