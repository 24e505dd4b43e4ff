/** This package's version (kept equal to package.json by test/version.test.ts). */
export const CLIENT_VERSION = "0.1.0";
/** Default `User-Agent` for broker and MCP requests. */
export const USER_AGENT = `mcp-token-client/${CLIENT_VERSION}`;
