// The local stack for end-to-end tests, in this test process: the testkit issuer (Auth0-compatible),
// moto (Secrets Manager), the real broker handler (apps/broker) behind the testkit Function URL
// emulator, and the real MCP server (apps/mcp-server) in jwt mode. The CLI runs as a child process
// (the built bundle) against it, with AWS profiles written by the testkit.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  defaultIdentities,
  type LocalIssuer,
  loadHandler,
  type MotoServer,
  startFunctionUrlEmulator,
  startIssuer,
  startMoto,
  writeAwsConfigFiles,
} from "@mcp-token/testkit";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const BUNDLE = join(ROOT, "packages/cli/dist/mcp-token.mjs");
export const AUDIENCE = "https://mcp.local.test/";
export const LEGACY_AUDIENCE = "https://legacy.local.test/";
export const CLIENT_ID = "mcp-token-broker";
const CLIENT_SECRET = "local-client-secret-0123456789";

/** The subset of apps/mcp-server's API these tests use (imported by path, not as a dependency). */
interface RunningMcpServer {
  url: string;
  mcpUrl: string;
  port: number;
  close(): Promise<void>;
}
interface McpServerModule {
  loadConfig(env: Record<string, string>): unknown;
  startServer(opts: {
    config: unknown;
    port?: number;
    host?: string;
    jwks?: { cooldownMs?: number; cacheMaxAgeMs?: number };
  }): Promise<RunningMcpServer>;
}

export interface StackOptions {
  /** Lifetime of tokens for the default API, in seconds. Default 3600. */
  ttlSeconds?: number;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Starts the whole stack; `close()` stops everything and removes the temp directory. */
export async function startStack(opts: StackOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), "mcp-token-cli-e2e-"));
  const ids = defaultIdentities();
  const issuer: LocalIssuer = await startIssuer({
    apis: [
      { audience: AUDIENCE, profile: "rfc9068", ttlSeconds: opts.ttlSeconds ?? 3600, scopes: ["invoke"] },
      { audience: LEGACY_AUDIENCE, profile: "auth0", ttlSeconds: 3600, scopes: ["invoke"] },
    ],
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        grants: { [AUDIENCE]: ["invoke"], [LEGACY_AUDIENCE]: ["invoke"] },
      },
    ],
  });
  const moto: MotoServer = await startMoto();
  const secretArn = await moto.createSecret("mcp-token/auth0", {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  const allow = [
    `arn:aws:sts::${ids.developer.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
    `arn:aws:iam::${ids.agent.accountId}:role/mcp-agent`,
  ];
  const profile = (audience: string) => ({
    issuer: issuer.url,
    audience,
    secretId: secretArn,
    scopes: ["invoke"],
    requestStyle: "auth0",
    allow,
    minTtlSeconds: 1,
  });
  Object.assign(process.env, moto.env(), {
    MCP_TOKEN_BROKER_CONFIG: JSON.stringify({
      profiles: { default: profile(AUDIENCE), legacy: profile(LEGACY_AUDIENCE) },
    }),
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_DEV: "false",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  const handler = await loadHandler(join(ROOT, "apps/broker/src/handler.ts"));
  const broker = await startFunctionUrlEmulator({
    handler,
    identities: [ids.developer, ids.agent, ids.outsider, ids.bystander],
  });
  const aws = await writeAwsConfigFiles(
    join(dir, "aws"),
    [ids.developer, ids.agent, ids.outsider, ids.bystander],
    broker.region,
  );

  const mcpModule = (await import(
    /* @vite-ignore */ join(ROOT, "apps/mcp-server/src/index.ts")
  )) as McpServerModule;
  const mcpConfig = (audience: string) =>
    mcpModule.loadConfig({
      MCP_AUTH: "jwt",
      HOST: "127.0.0.1",
      PORT: "0",
      AUTH_DISCOVERY_URL: issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: audience,
      AUTH_ALLOWED_CLIENTS: CLIENT_ID,
      AUTH_CLOCK_TOLERANCE_SECONDS: "0",
      LOG_LEVEL: "silent",
    });
  // JWKS refetched at once for unknown keys and kept 500 ms, so a rotated-out signing key is noticed.
  const jwks = { cooldownMs: 0, cacheMaxAgeMs: 500 };
  let mcp = await mcpModule.startServer({ config: mcpConfig(AUDIENCE), jwks });
  // An AgentCore-like runtime for the legacy (Auth0 token profile) API, with allowedClients set.
  const legacyMcp = await mcpModule.startServer({ config: mcpConfig(LEGACY_AUDIENCE), jwks });

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    XDG_CACHE_HOME: join(dir, "cache"),
    AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
    AWS_CONFIG_FILE: aws.configFile,
    AWS_EC2_METADATA_DISABLED: "true",
    MCP_TOKEN_BROKER_URL: broker.url,
    AWS_REGION: broker.region,
    NO_COLOR: "1",
  };

  return {
    dir,
    ids,
    issuer,
    broker,
    env,
    get mcpUrl() {
      return mcp.mcpUrl;
    },
    legacyMcpUrl: legacyMcp.mcpUrl,
    /** Tokens the broker asked the issuer for (default API). */
    issued: () => issuer.issued({ audience: AUDIENCE }),
    /** Stops the MCP server and starts a new one on the same port (all server state lost). */
    async restartMcp(downMs = 0) {
      const port = mcp.port;
      await mcp.close();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      mcp = await mcpModule.startServer({ config: mcpConfig(AUDIENCE), port, jwks });
    },
    async close() {
      await Promise.allSettled([mcp.close(), legacyMcp.close(), broker.close(), issuer.close()]);
      await moto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
