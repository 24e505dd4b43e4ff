/**
 * Broker processes for the multi-instance tests: each runs the production bundle in its own Node
 * process (test/support/brokerProcess.mjs), like one Lambda instance. Their stdout and stderr are kept
 * for assertions and copied into the suite's log directory, so the log audit checks them too.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LambdaFunctionURLEventWithIAMAuthorizer } from "aws-lambda";
import { logDir } from "./logs.js";

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), "brokerProcess.mjs");

export interface InvokeResult {
  statusCode: number;
  body: string;
  /** Wall-clock ms when the process called its handler. */
  startedAt: number;
  /** Wall-clock ms when the answer arrived here. */
  answeredAt: number;
}

export interface BrokerProcess {
  pid: number;
  /** Everything the process wrote so far. */
  output(): string;
  /** Parsed JSON log lines written so far. */
  logLines(): Record<string, unknown>[];
  /** Calls the handler with `event`, at wall-clock time `at` when given. */
  invoke(event: LambdaFunctionURLEventWithIAMAuthorizer, at?: number): Promise<InvokeResult>;
  close(): Promise<void>;
}

let sequence = 0;

/** Starts one broker process on `bundle` with exactly `env` (plus PATH/HOME) and waits until it is ready. */
export async function spawnBrokerProcess(
  bundle: string,
  env: Record<string, string>,
): Promise<BrokerProcess> {
  const child: ChildProcess = spawn(process.execPath, [RUNNER, bundle], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      AWS_EC2_METADATA_DISABLED: "true",
      // As in Lambda: the handler starts building its runtime right after the import.
      AWS_LAMBDA_FUNCTION_NAME: "mcp-token-broker",
      ...env,
    },
  });
  const pid = child.pid ?? -1;
  const file = join(logDir(), `output-broker-process-${process.pid}-${pid}.log`);
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    appendFileSync(file, text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, (r: InvokeResult) => void>();
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`broker process exited with ${code}: ${output.slice(-500)}`)),
    );
    child.on(
      "message",
      (message: {
        type: string;
        id?: number;
        result?: { statusCode: number; body: string };
        startedAt?: number;
      }) => {
        if (message.type === "ready") resolve();
        if (message.type === "result" && message.id !== undefined) {
          pending.get(message.id)?.({
            statusCode: message.result?.statusCode ?? -1,
            body: message.result?.body ?? "",
            startedAt: message.startedAt ?? 0,
            answeredAt: Date.now(),
          });
          pending.delete(message.id);
        }
      },
    );
  });
  await ready;
  return {
    pid,
    output: () => output,
    logLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    invoke(event, at) {
      sequence += 1;
      const id = sequence;
      return new Promise<InvokeResult>((resolve) => {
        pending.set(id, resolve);
        child.send({ type: "invoke", id, event, ...(at !== undefined && { at }) });
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.send({ type: "exit" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
