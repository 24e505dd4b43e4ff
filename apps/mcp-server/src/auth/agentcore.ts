/**
 * `MCP_AUTH=agentcore`: AgentCore Runtime's JWT authorizer verified the caller before the request
 * reached the container, and this server checks and reads nothing. The runtime forwards
 * `Authorization` only when its request-header allowlist includes it, and even then this server has
 * not verified it: decoded claims would let whoever reaches the port claim any identity, so none ever
 * reach the SDK's `AuthInfo` or a tool. `whoami` says so; `MCP_AUTH=jwt` verifies here instead.
 *
 * The mode trusts every process that can reach the port: `main` warns at start, and the Host/Origin
 * guard (`MCP_ALLOWED_HOSTS`) stays on unless turned off explicitly.
 */
import type { Authenticator, AuthResult } from "./types.js";

const DELEGATED: AuthResult = { outcome: "delegated" };

export function createAgentCoreAuthenticator(): Authenticator {
  return {
    mode: "agentcore",
    authenticate: async () => DELEGATED,
  };
}
