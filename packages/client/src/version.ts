// The version is package.json's, so `changeset version` (which bumps package.json) is the only place a
// release changes it; scripts/build.mjs keeps only `version` of the manifest in dist/.
import pkg from "../package.json" with { type: "json" };

/** This package's version, from package.json. */
export const CLIENT_VERSION: string = pkg.version;
/** Default `User-Agent` for broker and MCP requests. */
export const USER_AGENT = `mcp-token-client/${CLIENT_VERSION}`;
