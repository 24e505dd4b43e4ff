/**
 * `MCP_AUTH=agentcore`: AgentCore Runtime's JWT authorizer has already verified the token before the
 * request reached the container. The runtime forwards `Authorization` only when its request-header
 * allowlist includes it, so its absence is normal and never a reason to refuse (the platform's
 * loopback health probes carry none either). When present, the claims are decoded — not verified —
 * for `whoami`.
 */
import type { Clock } from "@mcp-token/core";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { MAX_TOKEN_LENGTH } from "./bearer.js";
import { callerFromClaims } from "./claims.js";
import type { Authenticator, AuthResult } from "./types.js";

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

export function createAgentCoreAuthenticator(opts: { clock: Clock }): Authenticator {
  return {
    mode: "agentcore",
    async authenticate(request: Request): Promise<AuthResult> {
      const header = request.headers.get("authorization");
      if (header === null || header.trim() === "") return { outcome: "absent" };
      const token = header.length <= MAX_TOKEN_LENGTH + 16 ? BEARER.exec(header)?.[1] : undefined;
      if (token === undefined) return { outcome: "undecodable" };
      try {
        const claims = decodeJwt(token);
        const protectedHeader = decodeProtectedHeader(token);
        return {
          outcome: "decoded",
          caller: callerFromClaims("agentcore", false, claims, protectedHeader, opts.clock.now()),
        };
      } catch {
        return { outcome: "undecodable" };
      }
    },
  };
}
