/** The CLI's version (kept equal to package.json by test/version.test.ts). */
export const CLI_VERSION = "0.1.0";
/** `User-Agent` of every request the CLI makes (AgentCore's WAF may block requests without one). */
export const CLI_USER_AGENT = `mcp-token/${CLI_VERSION} (node ${process.versions.node}; ${process.platform})`;
