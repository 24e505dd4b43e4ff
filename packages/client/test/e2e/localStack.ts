// The real thing, on loopback: testkit issuer, moto (Secrets Manager), the real broker handler
// (apps/broker, imported by path) behind the testkit Function URL emulator, and the real MCP server
// (apps/mcp-server, imported by path) in jwt mode.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  defaultIdentities,
  loadHandler,
  startFunctionUrlEmulator,
  startIssuer,
  startMoto,
  writeAwsConfigFiles,
} from "@mcp-token/testkit";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const AUDIENCE = "https://mcp.client-e2e.test/";

interface McpServerModule {
  loadConfig(env: Record<string, string>): unknown;
  startServer(opts: { config: unknown }): Promise<{ mcpUrl: string; close(): Promise<void> }>;
}

export async function startLocalStack() {
  const dir = await mkdtemp(join(tmpdir(), "mcp-token-client-e2e-"));
  const ids = defaultIdentities();
  const issuer = await startIssuer({
    apis: [{ audience: AUDIENCE, profile: "rfc9068", scopes: ["invoke"] }],
    clients: [{ clientId: "broker", clientSecret: "client-e2e-secret", grants: { [AUDIENCE]: ["invoke"] } }],
  });
  const moto = await startMoto();
  const secretId = await moto.createSecret("mcp-token/e2e", {
    client_id: "broker",
    client_secret: "client-e2e-secret",
  });
  Object.assign(process.env, moto.env(), {
    MCP_TOKEN_BROKER_CONFIG: JSON.stringify({
      profiles: {
        default: {
          issuer: issuer.url,
          audience: AUDIENCE,
          secretId,
          allow: [`arn:aws:iam::${ids.agent.accountId}:role/mcp-agent`],
        },
      },
    }),
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  const broker = await startFunctionUrlEmulator({
    handler: await loadHandler(join(ROOT, "apps/broker/src/handler.ts")),
    identities: [ids.agent, ids.outsider],
  });
  const aws = await writeAwsConfigFiles(join(dir, "aws"), [ids.agent, ids.outsider], broker.region);
  const mcpModule = (await import(
    /* @vite-ignore */ join(ROOT, "apps/mcp-server/src/index.ts")
  )) as McpServerModule;
  const mcp = await mcpModule.startServer({
    config: mcpModule.loadConfig({
      MCP_AUTH: "jwt",
      HOST: "127.0.0.1",
      PORT: "0",
      AUTH_DISCOVERY_URL: issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: AUDIENCE,
      AUTH_ALLOWED_CLIENTS: "broker",
      LOG_LEVEL: "silent",
    }),
  });
  return {
    ids,
    issuer,
    broker,
    aws,
    mcpUrl: mcp.mcpUrl,
    async close() {
      await Promise.allSettled([mcp.close(), broker.close(), issuer.close()]);
      await moto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
