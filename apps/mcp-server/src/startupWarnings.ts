/**
 * What `main` warns about at start: every setting that makes the server trust more than a verified
 * token. Each warning names the risk and the safer setting.
 */
import { ENV, type ServerConfig } from "./config.js";

/**
 * The warnings for a configuration, in the order they are logged.
 *
 * @example
 * ```ts
 * for (const msg of startupWarnings(config)) logger.warn(msg);
 * ```
 */
export function startupWarnings(config: ServerConfig): string[] {
  const warnings: string[] = [];
  const where = `${config.host}:${config.port}`;
  if (config.auth === "none") {
    warnings.push(
      `${ENV.auth}=none: authentication is disabled; any process that can reach ${where} can call every tool. Use only for local experiments; use ${ENV.auth}=jwt anywhere else`,
    );
  }
  if (config.auth === "agentcore") {
    warnings.push(
      `${ENV.auth}=agentcore: this server checks no token and trusts that AgentCore Runtime verified every caller; any process that can reach ${where} is trusted. Run it only behind AgentCore Runtime, never with the port published elsewhere; use ${ENV.auth}=jwt anywhere else`,
    );
  }
  if (config.hostGuard.mode === "off") {
    warnings.push(
      `${ENV.allowedHosts}=*: the Host/Origin guard against DNS rebinding is off; a web page whose host name resolves to this server can send it requests. Use only where nothing but a trusted proxy reaches the port (AgentCore Runtime); elsewhere list the host names instead`,
    );
  }
  const ping = config.jwt?.allowUnauthenticatedPing ?? "off";
  if (ping !== "off") {
    warnings.push(
      `${ENV.allowUnauthenticatedPing}=${ping}: a token-less MCP ping to /mcp is answered for health probes (${ping === "loopback" ? "from loopback peers only" : "from any peer"}); every other request still needs a valid token`,
    );
  }
  return warnings;
}
