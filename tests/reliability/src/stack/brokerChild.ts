/** Starts {@link ./brokerProcess.ts} as a child: one broker "instance" the suites can kill. */
import { fileURLToPath } from "node:url";
import type { LeakAudit } from "../audit/leakAudit.js";
import { spawnTracked, type TrackedChild } from "./processes.js";

const ENTRY = fileURLToPath(new URL("./brokerProcess.ts", import.meta.url));

/** A running broker instance. */
export interface BrokerInstance extends TrackedChild {
  url: string;
}

/** Spawns a broker instance on `port` with `env` (config, AWS endpoint) and waits until it listens. */
export async function startBrokerInstance(opts: {
  port: number;
  env: Record<string, string>;
  audit: LeakAudit;
  source?: string;
  timeoutMs?: number;
}): Promise<BrokerInstance> {
  let ready: (url: string) => void = () => {};
  const readyUrl = new Promise<string>((resolve) => {
    ready = resolve;
  });
  const tracked = spawnTracked(process.execPath, ["--import", "tsx", ENTRY], {
    env: { ...process.env, ...opts.env, RELIABILITY_BROKER_PORT: String(opts.port) },
    audit: opts.audit,
    source: opts.source ?? "broker-instance",
    onStdoutLine: (line) => {
      if (line.startsWith('{"ready":')) ready((JSON.parse(line) as { ready: string }).ready);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      readyUrl,
      tracked.exited.then((code) => {
        throw new Error(`broker instance exited (${code}) before it was ready`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("broker instance not ready in time")),
          opts.timeoutMs ?? 20_000,
        );
      }),
    ]);
    return { ...tracked, url };
  } catch (error) {
    await tracked.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
