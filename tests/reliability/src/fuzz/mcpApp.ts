/**
 * The MCP server's web-standard core in `jwt` mode, in-process, against the testkit issuer (discovery
 * and JWKS over loopback), with a real access token for requests that should pass auth.
 */
import { createMcpServerApp, loadConfig, type McpServerApp } from "@mcp-token/mcp-server";
import type { LocalIssuer } from "@mcp-token/testkit";
import type { LeakAudit } from "../audit/leakAudit.js";
import { randomClientSecret, STACK, startSuiteIssuer } from "../stack/brokerStack.js";
import { recordingLogger } from "../stack/recordingLogger.js";

/** The app, its issuer and a valid token. */
export interface McpAppFixture {
  issuer: LocalIssuer;
  app: McpServerApp;
  /** A valid RFC 9068 access token for the app (1 hour). */
  token: string;
  /** Asks the issuer for another token. */
  newToken(): Promise<string>;
  close(): Promise<void>;
}

/** Requests a client-credentials token from the testkit issuer (Auth0 style). */
export async function issuerToken(issuer: LocalIssuer, clientSecret: string): Promise<string> {
  const res = await fetch(issuer.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: STACK.clientId,
      client_secret: clientSecret,
      audience: STACK.audience,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`issuer answered ${res.status}`);
  return body.access_token;
}

/** Starts the issuer and builds the app. */
export async function startMcpApp(audit: LeakAudit): Promise<McpAppFixture> {
  const clientSecret = randomClientSecret();
  audit.sensitive(clientSecret);
  const issuer = await startSuiteIssuer({ ttlSeconds: 3600, clientSecret });
  try {
    const app = createMcpServerApp(
      loadConfig({
        MCP_AUTH: "jwt",
        PORT: "0",
        HOST: "127.0.0.1",
        AUTH_DISCOVERY_URL: issuer.discoveryUrl,
        AUTH_ALLOWED_AUDIENCES: STACK.audience,
        AUTH_ALLOWED_CLIENTS: STACK.clientId,
      }),
      { logger: recordingLogger(audit, "mcp-server") },
    );
    const newToken = async () => {
      const token = await issuerToken(issuer, clientSecret);
      audit.sensitive(token);
      return token;
    };
    const token = await newToken();
    await app.warmUp();
    return {
      issuer,
      app,
      token,
      newToken,
      async close() {
        await app.close();
        await issuer.close();
      },
    };
  } catch (error) {
    await issuer.close();
    throw error;
  }
}
