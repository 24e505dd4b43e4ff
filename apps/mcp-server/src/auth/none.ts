/** `MCP_AUTH=none`: no authentication at all. For local experiments only; `main` warns at start. */
import type { Authenticator, AuthResult } from "./types.js";

const DISABLED: AuthResult = { outcome: "disabled" };

export function createNoAuthenticator(): Authenticator {
  return {
    mode: "none",
    authenticate: async () => DISABLED,
  };
}
