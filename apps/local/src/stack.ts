/**
 * The embedded default: the whole mcp-token system on loopback, with no AWS account and no Auth0 tenant.
 *
 * - moto_server stands in for Secrets Manager and holds the M2M client secret;
 * - the testkit issuer stands in for Auth0, with an RFC 9068 API (`default` profile) and an
 *   Auth0-profile API (`auth0-profile`, to show what `doctor` says about a missing `client_id` claim),
 *   running the repository's caller-claims Action (`auth0/actions/caller-claims.cjs`) for the
 *   `per-caller` profile (`identity: "caller"`: tokens name the IAM caller); a second application of
 *   the tenant (`otherClient`) shows that nobody but the broker's client can name a caller;
 * - the **bundled** broker runs behind the Function URL emulator, which verifies SigV4 against three
 *   local identities (`developer` and `agent` allowed, `outsider` denied by the broker, `bystander`
 *   refused by the Function URL itself: authenticated, but no invoke grant);
 * - the MCP server bundle runs as a child process in `jwt` mode with allowed clients set;
 * - an Amazon Cognito user pool stand-in (user pool and domain on two origins) with an app client for
 *   the `cognito` profile, served by the same broker, and a third MCP server child (`mcpCognito`) that
 *   accepts its tokens by `client_id` (they carry no `aud`), as AgentCore does with `allowedClients`;
 *   the `cognito-admin` profile asks for a scope the app client lacks, to show what `doctor` says;
 * - an STS stand-in serves `GetWebIdentityToken` (IAM outbound identity federation, no broker):
 *   `developer` and `agent` may ask for tokens for {@link LOCAL.stsAudience}, `outsider` holds no
 *   permission; a second MCP server child trusts its per-account issuer (`mcpSts`), as an AgentCore
 *   runtime whose authorizer's discovery URL is the account's outbound issuer would.
 *
 * Components start in dependency order; a failure names the component and its cause, and whatever did
 * start is stopped again. {@link LocalStack.close} stops every child and server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  defaultIdentities,
  type FunctionUrlEmulator,
  type FunctionUrlEmulatorOptions,
  type LocalIdentity,
  type LocalIssuer,
  type MotoServer,
  startCognitoIssuer,
  startFunctionUrlEmulator,
  startIssuer,
  startMoto,
  startStsEndpoint,
  writeAwsConfigFiles,
} from "@mcp-token/testkit";
import { BROKER_BUNDLE, DEFAULT_STATE_DIR, MCP_SERVER_BUNDLE } from "./paths.js";
import { assertPortFree, freePort } from "./ports.js";

/** The caller-claims Action as shipped (`auth0/actions/caller-claims.cjs`), run by the local issuer. */
const CALLER_CLAIMS_ACTION = createRequire(import.meta.url).resolve("@mcp-token/auth0-actions/caller-claims");

/** The local account, client and audiences. Fixed so commands in docs stay true. */
export const LOCAL = {
  accountId: "123456789012",
  region: "us-west-2",
  clientId: "local-m2m-client",
  /** Another application of the local tenant, granted the same API, that is not the broker. */
  otherClientId: "local-other-app",
  audience: "https://mcp.local.mcp-token.dev/",
  auth0ProfileAudience: "https://legacy.local.mcp-token.dev/",
  scopes: ["mcp:invoke"],
  /** The local Cognito user pool, its resource server (scope prefix) and app client. */
  cognito: { userPoolId: "us-west-2_LocalPool1", resourceServer: "mcp-local", clientId: "local-cognito-app" },
  cognitoSecretName: "mcp-token/local/cognito",
  /** Audience of AWS-native (STS) tokens, which the second MCP server allows. */
  stsAudience: "https://mcp-aws.local.mcp-token.dev/",
  secretName: "mcp-token/local/auth0",
} as const;

/** Every port option at 0 (each component on a free port): for tests and tools running stacks side by side. */
export const FREE_PORTS = {
  mcpPort: 0,
  brokerPort: 0,
  issuerPort: 0,
  stsPort: 0,
  mcpStsPort: 0,
  mcpCognitoPort: 0,
} as const;

/** Options for {@link startLocalStack}. Ports default to the documented ones; 0 picks a free port. */
export interface LocalStackOptions {
  /** Default 8000 (AgentCore's port). */
  mcpPort?: number;
  /** Default 9100. */
  brokerPort?: number;
  /** Default 9101. */
  issuerPort?: number;
  /** Default 9102. */
  stsPort?: number;
  /** Port of the MCP server trusting the STS issuer; default 8001. */
  mcpStsPort?: number;
  /** Port of the MCP server accepting Cognito tokens; default 8002. */
  mcpCognitoPort?: number;
  /** Access-token lifetime at the local issuer, seconds; default 3600. */
  tokenLifetimeSeconds?: number;
  /** Where stack.json and the AWS config files go; default `.mcp-token/local` at the repository root. */
  stateDir?: string;
  /** Called as each component comes up. */
  onProgress?: (step: ProgressStep) => void;
  /** Silence the broker's and MCP server's own logs. */
  quiet?: boolean;
  /** Receives each JSON log line the MCP server writes (also when `quiet`, which keeps only errors). */
  onMcpLogLine?: (line: string) => void;
}

/** One component that came up. */
export interface ProgressStep {
  component: "secrets" | "issuer" | "cognito" | "broker" | "mcp-server" | "sts" | "stack.json";
  url: string;
  detail: string;
}

/** The contents of `stack.json`: what runs where and how to reach it. */
export interface StackInfo {
  issuer: { url: string; discoveryUrl: string; audiences: { default: string; auth0Profile: string } };
  broker: { url: string; region: string; profiles: string[] };
  mcp: { url: string };
  /** The STS stand-in (`AWS_ENDPOINT_URL_STS`) and the account's outbound issuer. */
  sts: { url: string; issuer: string; audience: string };
  /** The MCP server that trusts the STS issuer (AWS-native tokens). */
  mcpSts: { url: string };
  /** The Cognito user pool stand-in and the MCP server that accepts its tokens. */
  cognito: { issuer: string; domain: string; clientId: string; scopes: string[] };
  mcpCognito: { url: string };
  secrets: { endpoint: string; secretId: string };
  aws: {
    credentialsFile: string;
    configFile: string;
    profiles: Record<"developer" | "agent" | "outsider" | "bystander", string>;
  };
  env: {
    MCP_TOKEN_BROKER_URL: string;
    AWS_SHARED_CREDENTIALS_FILE: string;
    AWS_CONFIG_FILE: string;
    AWS_REGION: string;
    AWS_ENDPOINT_URL_STS: string;
  };
}

export interface LocalStack {
  info: StackInfo;
  stackFile: string;
  issuer: LocalIssuer;
  broker: FunctionUrlEmulator;
  moto: MotoServer;
  identities: Record<"developer" | "agent" | "outsider" | "bystander", LocalIdentity>;
  /** Credentials of {@link LOCAL.otherClientId}, an application of the tenant that is not the broker. */
  otherClient: { clientId: string; clientSecret: string };
  /** Restart the MCP server child (sessions are lost, as after a redeploy). */
  restartMcpServer(): Promise<void>;
  /** Stops every server and child process; safe to call twice. */
  close(): Promise<void>;
}

/** Thrown when a component fails to start; names the component. */
export class StackStartError extends Error {
  readonly code = "ERR_STACK_START";
  constructor(
    readonly component: string,
    cause: unknown,
  ) {
    super(`${component} did not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StackStartError";
  }
}

/** Starts the local stack; see the module comment. */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = opts.stateDir ?? DEFAULT_STATE_DIR;
  const ports = {
    mcp: opts.mcpPort ?? 8000,
    broker: opts.brokerPort ?? 9100,
    issuer: opts.issuerPort ?? 9101,
    sts: opts.stsPort ?? 9102,
    mcpSts: opts.mcpStsPort ?? 8001,
    mcpCognito: opts.mcpCognitoPort ?? 8002,
  };
  const progress = opts.onProgress ?? (() => {});
  const cleanup: (() => Promise<void>)[] = [];
  const close = async () => {
    while (cleanup.length > 0)
      await cleanup
        .pop()?.()
        .catch(() => {});
  };

  try {
    await step("issuer", () => assertPortFree(ports.issuer, "issuer", "--issuer-port"));
    await step("broker", () => assertPortFree(ports.broker, "broker", "--broker-port"));
    await step("mcp-server", () => assertPortFree(ports.mcp, "MCP server", "--mcp-port"));
    await step("sts", () => assertPortFree(ports.sts, "STS", "--sts-port"));
    await step("mcp-server", () => assertPortFree(ports.mcpSts, "MCP server (STS)", "--mcp-sts-port"));
    await step("mcp-server", () =>
      assertPortFree(ports.mcpCognito, "MCP server (Cognito)", "--mcp-cognito-port"),
    );
    const clientSecret = randomSecret();
    const otherClient = { clientId: LOCAL.otherClientId, clientSecret: randomSecret() };

    const moto = await step("secrets (moto_server)", () => startMoto());
    cleanup.push(() => moto.stop());
    const secretArn = await step("secrets (moto_server)", () =>
      moto.createSecret(LOCAL.secretName, { client_id: LOCAL.clientId, client_secret: clientSecret }),
    );
    progress({
      component: "secrets",
      url: moto.endpoint,
      detail: `Secrets Manager (moto), secret ${LOCAL.secretName}`,
    });

    const ttlSeconds = opts.tokenLifetimeSeconds ?? 3600;
    const issuer = await step("issuer", () =>
      startIssuer({
        port: ports.issuer,
        apis: [
          { audience: LOCAL.audience, profile: "rfc9068", ttlSeconds, scopes: [...LOCAL.scopes] },
          { audience: LOCAL.auth0ProfileAudience, profile: "auth0", ttlSeconds, scopes: [...LOCAL.scopes] },
        ],
        clients: [
          {
            clientId: LOCAL.clientId,
            clientSecret,
            grants: { [LOCAL.audience]: [...LOCAL.scopes], [LOCAL.auth0ProfileAudience]: [...LOCAL.scopes] },
          },
          { ...otherClient, grants: { [LOCAL.audience]: [...LOCAL.scopes] } },
        ],
        actions: {
          credentialsExchange: [
            {
              file: CALLER_CLAIMS_ACTION,
              secrets: { BROKER_CLIENT_IDS: LOCAL.clientId, AUDIENCES: LOCAL.audience },
            },
          ],
        },
      }),
    );
    cleanup.push(() => issuer.close());
    progress({
      component: "issuer",
      url: issuer.url,
      detail: "Auth0-compatible issuer (RFC 9068 and Auth0 token profiles, caller-claims Action)",
    });

    const cognitoScopes = [`${LOCAL.cognito.resourceServer}/invoke`];
    const cognitoSecret = randomSecret();
    const cognito = await step("cognito", () =>
      startCognitoIssuer({
        userPoolId: LOCAL.cognito.userPoolId,
        resourceServers: [{ identifier: LOCAL.cognito.resourceServer, scopes: ["invoke", "admin"] }],
        clients: [
          { clientId: LOCAL.cognito.clientId, clientSecret: cognitoSecret, allowedScopes: cognitoScopes },
        ],
        ttlSeconds,
      }),
    );
    cleanup.push(() => cognito.close());
    const cognitoSecretArn = await step("secrets (moto_server)", () =>
      moto.createSecret(LOCAL.cognitoSecretName, {
        client_id: LOCAL.cognito.clientId,
        client_secret: cognitoSecret,
      }),
    );
    progress({
      component: "cognito",
      url: cognito.issuer,
      detail: `Amazon Cognito user pool stand-in, token endpoint ${cognito.tokenEndpoint}`,
    });

    const ids = defaultIdentities({ accountId: LOCAL.accountId });
    const brokerConfig = {
      profiles: {
        default: {
          issuer: issuer.url,
          audience: LOCAL.audience,
          secretId: secretArn,
          scopes: [...LOCAL.scopes],
          requestStyle: "auth0",
          allow: [
            `arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
            `arn:aws:iam::${LOCAL.accountId}:role/mcp-agent`,
          ],
          minTtlSeconds: Math.min(300, Math.floor(ttlSeconds / 4)),
        },
        // Same API, one token per caller: the caller-claims Action names the IAM principal in it.
        "per-caller": {
          issuer: issuer.url,
          audience: LOCAL.audience,
          secretId: secretArn,
          scopes: [...LOCAL.scopes],
          requestStyle: "auth0",
          identity: "caller",
          allow: [
            `arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
            `arn:aws:iam::${LOCAL.accountId}:role/mcp-agent`,
          ],
          minTtlSeconds: Math.min(300, Math.floor(ttlSeconds / 4)),
        },
        // Amazon Cognito beside Auth0, from the same broker: scope-only requests to the user pool domain.
        cognito: {
          issuer: cognito.issuer,
          audience: LOCAL.cognito.resourceServer,
          secretId: cognitoSecretArn,
          scopes: cognitoScopes,
          requestStyle: "cognito",
          allowedTokenEndpointOrigins: [cognito.domain],
          allow: [
            `arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`,
            `arn:aws:iam::${LOCAL.accountId}:role/mcp-agent`,
          ],
          minTtlSeconds: Math.min(300, Math.floor(ttlSeconds / 4)),
        },
        // Misconfigured on purpose: the app client is not allowed this scope (what `doctor` explains).
        "cognito-admin": {
          issuer: cognito.issuer,
          audience: LOCAL.cognito.resourceServer,
          secretId: cognitoSecretArn,
          scopes: [`${LOCAL.cognito.resourceServer}/admin`],
          requestStyle: "cognito",
          allowedTokenEndpointOrigins: [cognito.domain],
          allow: [`arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`],
          minTtlSeconds: Math.min(300, Math.floor(ttlSeconds / 4)),
        },
        "auth0-profile": {
          issuer: issuer.url,
          audience: LOCAL.auth0ProfileAudience,
          secretId: secretArn,
          scopes: [...LOCAL.scopes],
          requestStyle: "auth0",
          allow: [`arn:aws:sts::${LOCAL.accountId}:assumed-role/AWSReservedSSO_Developer_*/*`],
          minTtlSeconds: Math.min(300, Math.floor(ttlSeconds / 4)),
        },
      },
      // The production default (60 per hour) assumes hour-long tokens; the local issuer's lifetime can
      // be seconds (--token-lifetime), so the window scales with it: 60 issuances per 15 lifetimes.
      issuanceBudget: { max: 60, windowSeconds: Math.max(1, Math.min(3600, ttlSeconds * 15)) },
    };
    const handler = await step("broker", () =>
      loadBrokerBundle({
        MCP_TOKEN_BROKER_CONFIG: JSON.stringify(brokerConfig),
        ...moto.env(),
        POWERTOOLS_METRICS_DISABLED: "true",
        POWERTOOLS_DEV: "true",
        ...(opts.quiet ? { POWERTOOLS_LOG_LEVEL: "SILENT" } : {}),
      }),
    );
    const broker = await step("broker", () =>
      startFunctionUrlEmulator({
        handler,
        identities: [ids.developer, ids.agent, ids.outsider, ids.bystander],
        region: LOCAL.region,
        port: ports.broker,
        accountId: LOCAL.accountId,
      }),
    );
    cleanup.push(() => broker.close());
    progress({
      component: "broker",
      url: broker.url,
      detail: "token broker (bundle) behind the IAM Function URL emulator",
    });

    const mcpPort = ports.mcp === 0 ? await freePort() : ports.mcp;
    const mcpEnv = {
      MCP_AUTH: "jwt",
      HOST: "127.0.0.1",
      PORT: String(mcpPort),
      AUTH_DISCOVERY_URL: issuer.discoveryUrl,
      AUTH_ALLOWED_AUDIENCES: [LOCAL.audience, LOCAL.auth0ProfileAudience].join(","),
      AUTH_ALLOWED_CLIENTS: LOCAL.clientId,
      ...(opts.quiet ? { LOG_LEVEL: "error" } : {}),
    };
    const mcpOutput = { quiet: opts.quiet ?? false, ...(opts.onMcpLogLine && { onLine: opts.onMcpLogLine }) };
    let mcp = await step("mcp-server", () => startMcpServerChild(mcpEnv, mcpPort, mcpOutput));
    cleanup.push(() => stopChild(mcp));
    const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
    progress({
      component: "mcp-server",
      url: mcpUrl,
      detail: "MCP server (bundle), MCP_AUTH=jwt, allowed clients set",
    });

    const sts = await step("sts", () =>
      startStsEndpoint({
        identities: [ids.developer, ids.agent, ids.outsider, ids.bystander],
        grants: { developer: { audiences: [LOCAL.stsAudience] }, agent: { audiences: [LOCAL.stsAudience] } },
        region: LOCAL.region,
        port: ports.sts,
      }),
    );
    cleanup.push(() => sts.close());
    const stsIssuer = sts.issuerFor(LOCAL.accountId);
    progress({ component: "sts", url: sts.url, detail: `STS GetWebIdentityToken, issuer ${stsIssuer}` });

    const mcpStsPort = ports.mcpSts === 0 ? await freePort() : ports.mcpSts;
    const mcpStsEnv = {
      MCP_AUTH: "jwt",
      HOST: "127.0.0.1",
      PORT: String(mcpStsPort),
      AUTH_DISCOVERY_URL: `${stsIssuer}/.well-known/openid-configuration`,
      AUTH_ALLOWED_AUDIENCES: LOCAL.stsAudience,
      ...(opts.quiet ? { LOG_LEVEL: "error" } : {}),
    };
    const mcpSts = await step("mcp-server", () =>
      startMcpServerChild(mcpStsEnv, mcpStsPort, { quiet: opts.quiet ?? false }),
    );
    cleanup.push(() => stopChild(mcpSts));
    const mcpStsUrl = `http://127.0.0.1:${mcpStsPort}/mcp`;
    progress({
      component: "mcp-server",
      url: mcpStsUrl,
      detail: "MCP server (bundle), MCP_AUTH=jwt, trusting the STS issuer (AWS-native tokens)",
    });

    const mcpCognitoPort = ports.mcpCognito === 0 ? await freePort() : ports.mcpCognito;
    const mcpCognitoEnv = {
      MCP_AUTH: "jwt",
      HOST: "127.0.0.1",
      PORT: String(mcpCognitoPort),
      AUTH_DISCOVERY_URL: cognito.discoveryUrl,
      // Cognito access tokens carry no aud: the app client is what AgentCore's allowedClients checks.
      AUTH_ALLOWED_CLIENTS: LOCAL.cognito.clientId,
      AUTH_ALLOWED_SCOPES: cognitoScopes.join(","),
      ...(opts.quiet ? { LOG_LEVEL: "error" } : {}),
    };
    const mcpCognito = await step("mcp-server", () =>
      startMcpServerChild(mcpCognitoEnv, mcpCognitoPort, { quiet: opts.quiet ?? false }),
    );
    cleanup.push(() => stopChild(mcpCognito));
    const mcpCognitoUrl = `http://127.0.0.1:${mcpCognitoPort}/mcp`;
    progress({
      component: "mcp-server",
      url: mcpCognitoUrl,
      detail:
        "MCP server (bundle), MCP_AUTH=jwt, trusting the Cognito user pool (allowed clients, no audience)",
    });

    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const awsFiles = await writeAwsConfigFiles(
      join(stateDir, "aws"),
      [ids.developer, ids.agent, ids.outsider, ids.bystander],
      LOCAL.region,
    );
    const info: StackInfo = {
      issuer: {
        url: issuer.url,
        discoveryUrl: issuer.discoveryUrl,
        audiences: { default: LOCAL.audience, auth0Profile: LOCAL.auth0ProfileAudience },
      },
      broker: { url: broker.url, region: LOCAL.region, profiles: Object.keys(brokerConfig.profiles) },
      mcp: { url: mcpUrl },
      sts: { url: sts.url, issuer: stsIssuer, audience: LOCAL.stsAudience },
      mcpSts: { url: mcpStsUrl },
      cognito: {
        issuer: cognito.issuer,
        domain: cognito.domain,
        clientId: LOCAL.cognito.clientId,
        scopes: cognitoScopes,
      },
      mcpCognito: { url: mcpCognitoUrl },
      secrets: { endpoint: moto.endpoint, secretId: secretArn },
      aws: {
        credentialsFile: awsFiles.credentialsFile,
        configFile: awsFiles.configFile,
        profiles: {
          developer: ids.developer.name,
          agent: ids.agent.name,
          outsider: ids.outsider.name,
          bystander: ids.bystander.name,
        },
      },
      env: {
        MCP_TOKEN_BROKER_URL: broker.url,
        AWS_SHARED_CREDENTIALS_FILE: awsFiles.credentialsFile,
        AWS_CONFIG_FILE: awsFiles.configFile,
        AWS_REGION: LOCAL.region,
        AWS_ENDPOINT_URL_STS: sts.url,
      },
    };
    const stackFile = join(stateDir, "stack.json");
    await writeFile(stackFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    cleanup.unshift(() => rm(stackFile, { force: true }));
    progress({ component: "stack.json", url: stackFile, detail: "connection details for tools and scripts" });

    return {
      info,
      stackFile,
      issuer,
      broker,
      moto,
      identities: ids,
      otherClient,
      async restartMcpServer() {
        await stopChild(mcp);
        mcp = await startMcpServerChild(mcpEnv, mcpPort, mcpOutput);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function step<T>(component: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StackStartError) throw e;
    throw new StackStartError(component, e);
  }
}

let brokerLoads = 0;

/**
 * Imports the broker bundle as Lambda would: its configuration comes from the environment at module
 * load (cold start). Each stack gets a fresh module instance, so two stacks in one process do not share
 * a cache.
 */
async function loadBrokerBundle(env: Record<string, string>): Promise<FunctionUrlEmulatorOptions["handler"]> {
  Object.assign(process.env, env);
  const url = pathToFileURL(BROKER_BUNDLE);
  url.searchParams.set("instance", String(++brokerLoads));
  let mod: { handler?: unknown };
  try {
    mod = (await import(url.href)) as { handler?: unknown };
  } catch (e) {
    throw new Error(`cannot load ${BROKER_BUNDLE}; run \`npm run build\` first (${(e as Error).message})`);
  }
  if (typeof mod.handler !== "function") throw new Error(`${BROKER_BUNDLE} has no "handler" export`);
  return mod.handler as FunctionUrlEmulatorOptions["handler"];
}

/**
 * Spawns the MCP server bundle and resolves once `GET /ping` answers. Its log lines (stderr) go to
 * `onLine` when given; `quiet` keeps only errors and does not copy them to this process's stderr.
 */
async function startMcpServerChild(
  env: Record<string, string>,
  port: number,
  output: { quiet: boolean; onLine?: (line: string) => void },
): Promise<ChildProcess> {
  const { quiet, onLine } = output;
  const child = spawn(process.execPath, [MCP_SERVER_BUNDLE], {
    env: { ...process.env, ...env, ...(quiet && onLine ? { LOG_LEVEL: "info" } : {}) },
    stdio: ["ignore", quiet ? "ignore" : "inherit", "pipe"],
  });
  let stderr = "";
  let partial = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    stderr = (stderr + text).slice(-4000);
    if (!quiet) process.stderr.write(chunk);
    if (onLine) {
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line);
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`exited with code ${code}: ${lastLine(stderr)}`))),
  );
  exited.catch(() => {});
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await Promise.race([
      fetch(`http://127.0.0.1:${port}/ping`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (ok) return child;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`no answer on port ${port} within 15 s: ${lastLine(stderr)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.slice(0, 300) ?? "";
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
}
