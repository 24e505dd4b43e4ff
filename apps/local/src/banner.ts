/** The text `npm start` prints once the stack is up: what runs where, and commands to copy. */
import { relative } from "node:path";
import type { StackInfo } from "./stack.js";

/** Renders the banner for a running stack. Paths are shown relative to the repository root when shorter. */
export function renderBanner(info: StackInfo, stackFile: string): string {
  // The installed command (npm i -g, or `npm link -w @mcp-token/cli` for this checkout), as users type it.
  const cli = "mcp-token";
  const env = [
    `export MCP_TOKEN_BROKER_URL=${info.env.MCP_TOKEN_BROKER_URL}`,
    `export AWS_SHARED_CREDENTIALS_FILE=${info.env.AWS_SHARED_CREDENTIALS_FILE}`,
    `export AWS_CONFIG_FILE=${info.env.AWS_CONFIG_FILE}`,
    `export AWS_REGION=${info.env.AWS_REGION}`,
    `export AWS_ENDPOINT_URL_STS=${info.env.AWS_ENDPOINT_URL_STS}`,
  ];
  const exports = `MCP_TOKEN_BROKER_URL=${info.broker.url} AWS_SHARED_CREDENTIALS_FILE=${info.env.AWS_SHARED_CREDENTIALS_FILE} AWS_CONFIG_FILE=${info.env.AWS_CONFIG_FILE} AWS_REGION=${info.env.AWS_REGION}`;
  const claudeEnv = exports
    .split(" ")
    .map((kv) => `-e ${kv}`)
    .join(" ");
  return [
    "",
    "mcp-token local stack is up (loopback only; Ctrl-C stops everything)",
    "",
    `  issuer      ${info.issuer.url}   (Auth0 stand-in)`,
    `  broker      ${info.broker.url}   (IAM Function URL emulator, region ${info.broker.region})`,
    `  MCP server  ${info.mcp.url}`,
    `  Cognito     ${info.cognito.issuer}   (user pool stand-in; profile cognito)`,
    `  MCP server  ${info.mcpCognito.url}   (accepts the Cognito app client's tokens: allowed clients, no aud)`,
    `  STS         ${info.sts.url}   (GetWebIdentityToken; issuer ${info.sts.issuer})`,
    `  MCP server  ${info.mcpSts.url}   (trusts the STS issuer: AWS-native tokens, no broker)`,
    "  identities  developer (allowed), agent (allowed), outsider (denied by the broker), bystander (no invoke grant: Lambda's 403)",
    `  details     ${rel(stackFile)}`,
    "",
    "In another shell (mcp-token on your PATH: run `npm link -w @mcp-token/cli` once in this checkout):",
    ...env.map((l) => `  ${l}`),
    `  ${cli} get --aws-profile agent`,
    `  ${cli} doctor ${info.mcp.url} --aws-profile developer`,
    `  ${cli} get --aws-profile outsider        # denied: access_denied`,
    `  ${cli} doctor ${info.mcpCognito.url} --profile cognito --aws-profile developer   # Cognito beside Auth0`,
    `  ${cli} get --source sts --audience ${info.sts.audience} --aws-profile developer   # AWS-native token`,
    `  ${cli} doctor ${info.mcpSts.url} --source sts --audience ${info.sts.audience} --aws-profile developer`,
    "",
    "Claude Code (a stdio proxy that refreshes its own tokens):",
    `  claude mcp add mcp-token-local ${claudeEnv} -e AWS_PROFILE=developer -- ${cli} proxy ${info.mcp.url}`,
    "",
    "MCP Inspector (needs Node >= 22.19; it passes the proxy only the -e variables, not your shell's exports):",
    `  npx -y node@22 "$(command -v npx)" -y @modelcontextprotocol/inspector@2 --cli ${claudeEnv} -e AWS_PROFILE=developer ${cli} proxy ${info.mcp.url} --method tools/list`,
    "",
  ].join("\n");
}

function rel(path: string): string {
  const r = relative(process.cwd(), path);
  return r.length < path.length && !r.startsWith("..") ? r : path;
}
