import { type ChildProcess, spawn } from "node:child_process";
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";

/** How to install moto when `moto_server` is missing. */
export const MOTO_INSTALL_HINT = "install it with: python3 -m pip install 'moto[server]'";

export interface StartMotoOptions {
  /** Port to bind on 127.0.0.1; default 0 (moto picks a free port and we read it from its log). */
  port?: number;
  /** Region for SDK clients and `env()`; default "us-west-2". */
  region?: string;
  /** Executable; default "moto_server" from PATH. */
  command?: string;
  /** How long to wait for readiness, in ms; default 20000. */
  readyTimeoutMs?: number;
}

export interface MotoServer {
  /** "http://127.0.0.1:PORT". */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: "testing"; secretAccessKey: "testing" };
  /** Process id of the moto_server process (its process group has the same id). */
  pid: number;
  /** Env for child processes: AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  env(): Record<string, string>;
  /** A Secrets Manager client pointed at moto. */
  secretsManager(): SecretsManagerClient;
  /** Create a secret (objects are stored as JSON); resolves to its ARN. */
  createSecret(name: string, value: string | object): Promise<string>;
  /**
   * Put a new secret value (a rotation): by default it becomes AWSCURRENT and the old current value
   * becomes AWSPREVIOUS. Resolves to the new version id.
   */
  putSecretValue(secretId: string, value: string | object, stages?: string[]): Promise<string>;
  /** Forget all state (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Kill moto_server (its whole process group) and wait until it exited. Idempotent. */
  stop(): Promise<void>;
}

/** Processes started here that are still running; killed on process exit as a last resort. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) killGroup(child, "SIGKILL");
  });
}

const asString = (value: string | object) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * Start `moto_server` on 127.0.0.1 (Secrets Manager, STS, DynamoDB, KMS… in one process) and wait until
 * `GET /moto-api/` answers. Always `stop()` it (e.g. in `afterAll`); a process-exit hook kills
 * leftovers as a last resort.
 *
 * @throws Error naming `pip install 'moto[server]'` when moto_server is not installed.
 * @example
 * const moto = await startMoto();
 * const arn = await moto.createSecret("mcp-token/auth0", { clientSecret: "s1" });
 * await moto.stop();
 */
export async function startMoto(opts: StartMotoOptions = {}): Promise<MotoServer> {
  const region = opts.region ?? "us-west-2";
  const command = opts.command ?? "moto_server";
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const requestedPort = opts.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new TypeError('"opts.port" must be an integer between 0 and 65535');
  }

  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(requestedPort)], {
    detached: true, // own process group, so stop() can kill wrappers (pyenv shims) and children alike
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  running.add(child);
  installExitHook();
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running.delete(child);
      resolve();
    });
    child.once("error", () => {
      running.delete(child);
      resolve();
    });
  });

  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(
          `moto_server did not report its address within ${readyTimeoutMs} ms; output: ${log.slice(-500)}`,
        ),
      );
    }, readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString("utf8");
      if (log.length > 20_000) log = log.slice(-10_000);
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === "ENOENT"
          ? new Error(`moto_server not found on PATH; ${MOTO_INSTALL_HINT}`, { cause: err })
          : new Error(`moto_server failed to start: ${err.message}`, { cause: err }),
      );
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      const missing = code === 127 || /not found|No module named|command not found/i.test(log);
      reject(
        new Error(
          missing
            ? `moto_server is not installed for this Python; ${MOTO_INSTALL_HINT}. Output: ${log.trim().slice(-300)}`
            : `moto_server exited with code ${code} before it was ready. Output: ${log.trim().slice(-500)}`,
        ),
      );
    });
  }).catch(async (err) => {
    killGroup(child, "SIGKILL");
    await exited;
    throw err;
  });
  // Keep draining output so the pipes never fill up.
  child.stdout?.resume();
  child.stderr?.resume();

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child, "SIGKILL");
      await exited;
      throw new Error(`moto_server on ${endpoint} did not become ready within ${readyTimeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" } as const;
  let client: SecretsManagerClient | undefined;
  const secretsManager = () => {
    client ??= new SecretsManagerClient({ endpoint, region, credentials });
    return client;
  };
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    region,
    credentials,
    pid: child.pid as number,
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    }),
    secretsManager,
    async createSecret(name, value) {
      const out = await secretsManager().send(
        new CreateSecretCommand({ Name: name, SecretString: asString(value) }),
      );
      return out.ARN as string;
    },
    async putSecretValue(secretId, value, stages) {
      const out = await secretsManager().send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: asString(value),
          ...(stages ? { VersionStages: stages } : {}),
        }),
      );
      return out.VersionId as string;
    },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset failed with HTTP ${res.status}`);
    },
    stop() {
      stopped ??= (async () => {
        client?.destroy();
        if (child.exitCode === null && child.signalCode === null) {
          killGroup(child, "SIGTERM");
          const timer = setTimeout(() => killGroup(child, "SIGKILL"), 3_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopped;
    },
  };
}
