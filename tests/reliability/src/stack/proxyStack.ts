/**
 * The broker stack plus the MCP server (in-process, `jwt` mode against the stack's issuer, request
 * logs into the audit) and a home directory for CLI children: AWS shared config files for the local
 * identities and an empty `XDG_CACHE_HOME`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type RunningServer, startServer } from "@mcp-token/mcp-server";
import { writeAwsConfigFiles } from "@mcp-token/testkit";
import type { LeakAudit } from "../audit/leakAudit.js";
import { brokerClientFor } from "../traffic/callers.js";
import { type BrokerStack, type BrokerStackOptions, STACK, startBrokerStack } from "./brokerStack.js";
import { recordingLogger } from "./recordingLogger.js";

/** The running stack. */
export interface ProxyStack {
  broker: BrokerStack;
  mcp: RunningServer;
  /** `http://127.0.0.1:PORT/mcp`. */
  mcpUrl: string;
  /** The CLI's home: `aws/` config files, `cache/` (XDG_CACHE_HOME). */
  home: string;
  /** A complete environment for a CLI child (nothing inherited but PATH). */
  cliEnv(extra?: Record<string, string>): Record<string, string>;
  /** Stops the MCP server (graceful: in-flight requests finish, new ones are refused). */
  stopMcp(): Promise<void>;
  /** Starts a new MCP server on the same port. */
  startMcp(): Promise<void>;
  close(): Promise<void>;
}

/** Starts it. */
export async function startProxyStack(
  opts: Omit<BrokerStackOptions, "audit"> & { audit: LeakAudit },
): Promise<ProxyStack> {
  const broker = await startBrokerStack(opts);
  let mcp: RunningServer | undefined;
  let home: string | undefined;
  try {
    const config = loadConfig({
      MCP_AUTH: "jwt",
      PORT: "0",
      HOST: "127.0.0.1",
      AUTH_DISCOVERY_URL: broker.issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: STACK.audience,
      AUTH_ALLOWED_CLIENTS: STACK.clientId,
      SHUTDOWN_TIMEOUT_MS: "2000",
    });
    const logger = recordingLogger(opts.audit, "mcp-server");
    mcp = await startServer({ config, logger });
    const port = mcp.port;
    home = await mkdtemp(join(tmpdir(), "mcp-token-reliability-home-"));
    const aws = await writeAwsConfigFiles(
      join(home, "aws"),
      [broker.identities.developer, broker.identities.agent, broker.identities.outsider],
      STACK.region,
    );
    // Warm the broker (first issuance, Secrets Manager SDK load) so a CLI child's first call is quick.
    const warm = await brokerClientFor(
      broker.emulator.url,
      STACK.region,
      broker.identities.developer,
    ).requestToken({
      profile: STACK.profile,
    });
    opts.audit.sensitive(warm.access_token);
    const h = home;
    const stack: ProxyStack = {
      broker,
      mcp,
      mcpUrl: mcp.mcpUrl,
      home: h,
      cliEnv: (extra = {}) => ({
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: h,
        XDG_CACHE_HOME: join(h, "cache"),
        AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
        AWS_CONFIG_FILE: aws.configFile,
        AWS_PROFILE: "developer",
        AWS_REGION: STACK.region,
        MCP_TOKEN_BROKER_URL: broker.emulator.url,
        ...extra,
      }),
      async stopMcp() {
        await stack.mcp.close();
      },
      async startMcp() {
        stack.mcp = await startServer({ config, logger, port });
      },
      async close() {
        await stack.mcp.close().catch(() => {});
        await broker.close();
        await rm(h, { recursive: true, force: true });
      },
    };
    return stack;
  } catch (error) {
    await mcp?.close().catch(() => {});
    await broker.close();
    if (home) await rm(home, { recursive: true, force: true });
    throw error;
  }
}
