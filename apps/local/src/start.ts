/**
 * `npm start`: runs the local stack until Ctrl-C or SIGTERM, then stops every component.
 * The banner is the result (stdout); progress lines go to stderr; the components' own logs follow.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { renderBanner } from "./banner.js";
import { PortInUseError } from "./ports.js";
import { type LocalStack, startLocalStack } from "./stack.js";

const HELP = `Usage: npm start -- [options]

Runs the whole mcp-token system on loopback: a local Auth0-compatible issuer, the bundled token
broker behind a SigV4-verifying Function URL emulator, Secrets Manager (moto_server) and the MCP
server in jwt mode, plus an Amazon Cognito user pool stand-in (a cognito profile beside the Auth0 ones)
with an MCP server accepting its tokens, and an STS stand-in (GetWebIdentityToken, AWS-native tokens)
with an MCP server trusting it. Writes .mcp-token/local/stack.json. Ctrl-C stops everything.

Options:
  --mcp-port <port>         MCP server port (default 8000; 0 picks a free port)
  --broker-port <port>      broker Function URL port (default 9100)
  --issuer-port <port>      issuer port (default 9101)
  --sts-port <port>         STS stand-in port (default 9102)
  --mcp-sts-port <port>     port of the MCP server trusting STS tokens (default 8001)
  --mcp-cognito-port <port> port of the MCP server accepting Cognito tokens (default 8002)
  --token-lifetime <secs>   access-token lifetime at the local issuer (default 3600; try 60)
  --state-dir <dir>         where stack.json and the local AWS files go (default .mcp-token/local)
  --quiet                   print only the banner, not the components' logs
  -h, --help                this text

Examples:
  npm start
  npm start -- --mcp-port 0 --token-lifetime 60
`;

export interface StartFlags {
  mcpPort: number;
  brokerPort: number;
  issuerPort: number;
  stsPort: number;
  mcpStsPort: number;
  mcpCognitoPort: number;
  tokenLifetimeSeconds: number;
  stateDir: string | undefined;
  quiet: boolean;
  help: boolean;
}

/** Parses `npm start` flags; throws a TypeError naming the flag for bad values. */
export function parseStartFlags(argv: string[]): StartFlags {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      "mcp-port": { type: "string" },
      "broker-port": { type: "string" },
      "issuer-port": { type: "string" },
      "sts-port": { type: "string" },
      "mcp-sts-port": { type: "string" },
      "mcp-cognito-port": { type: "string" },
      "token-lifetime": { type: "string" },
      "state-dir": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const int = (flag: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      throw new TypeError(`--${flag} must be an integer from ${min} to ${max}, got "${raw.slice(0, 20)}"`);
    }
    return n;
  };
  return {
    mcpPort: int("mcp-port", values["mcp-port"], 8000, 0, 65535),
    brokerPort: int("broker-port", values["broker-port"], 9100, 0, 65535),
    issuerPort: int("issuer-port", values["issuer-port"], 9101, 0, 65535),
    stsPort: int("sts-port", values["sts-port"], 9102, 0, 65535),
    mcpStsPort: int("mcp-sts-port", values["mcp-sts-port"], 8001, 0, 65535),
    mcpCognitoPort: int("mcp-cognito-port", values["mcp-cognito-port"], 8002, 0, 65535),
    tokenLifetimeSeconds: int("token-lifetime", values["token-lifetime"], 3600, 1, 86400),
    stateDir: values["state-dir"],
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

async function main(): Promise<number> {
  let flags: StartFlags;
  try {
    flags = parseStartFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const tty = process.stderr.isTTY;
  const ok = tty ? "\u001b[32m✓\u001b[0m" : "✓";
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      mcpPort: flags.mcpPort,
      brokerPort: flags.brokerPort,
      issuerPort: flags.issuerPort,
      stsPort: flags.stsPort,
      mcpStsPort: flags.mcpStsPort,
      mcpCognitoPort: flags.mcpCognitoPort,
      tokenLifetimeSeconds: flags.tokenLifetimeSeconds,
      quiet: flags.quiet,
      ...(flags.stateDir !== undefined && { stateDir: resolve(flags.stateDir) }),
      onProgress: (s) => process.stderr.write(`${ok} ${s.component.padEnd(10)} ${s.url}  ${s.detail}\n`),
    });
  } catch (e) {
    const bad = tty ? "\u001b[31m✗\u001b[0m" : "✗";
    process.stderr.write(`${bad} ${(e as Error).message}\n`);
    if (!(e instanceof PortInUseError) && !((e as Error).cause instanceof PortInUseError)) {
      process.stderr.write("  nothing was left running; see the message above for the failing component\n");
    }
    return 1;
  }
  process.stdout.write(`${renderBanner(stack.info, stack.stackFile)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`\n${signal}: stopping the local stack…\n`);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await stack.close();
  process.stderr.write("stopped\n");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
