// The version is package.json's, so `changeset version` (which bumps package.json) is the only place a
// release changes it. esbuild inlines the JSON into the bundle; tsx and vitest read it as a module.
import pkg from "../package.json" with { type: "json" };

/** The CLI's version, from package.json (what `mcp-token --version` prints). */
export const CLI_VERSION: string = pkg.version;
/** `User-Agent` of every request the CLI makes (AgentCore's WAF may block requests without one). */
export const CLI_USER_AGENT = `mcp-token/${CLI_VERSION} (node ${process.versions.node}; ${process.platform})`;
