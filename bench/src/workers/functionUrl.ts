/**
 * A Function URL emulator (testkit, SigV4 verification on every request) in its own process, serving
 * either the production broker bundle or a no-op handler. Its stdout (the broker's audit and metrics
 * lines) is discarded by the runner; it reports `{ url }` on fd 3 and runs until it is stopped.
 */
import { defaultIdentities, loadHandler, startFunctionUrlEmulator } from "@mcp-token/testkit";
import { failWorker, sendResult, workerInput } from "./io.js";

export interface FunctionUrlInput {
  handler: "broker" | "noop";
  bundle: string;
  region: string;
  accountId: string;
}

const NOOP = { statusCode: 200, headers: { "content-type": "application/json" }, body: "{}" };

async function main(): Promise<void> {
  const input = workerInput<FunctionUrlInput>();
  const ids = defaultIdentities({ accountId: input.accountId });
  const handler = input.handler === "broker" ? await loadHandler(input.bundle) : async () => NOOP;
  const emulator = await startFunctionUrlEmulator({
    handler,
    identities: [ids.developer, ids.agent, ids.outsider],
    region: input.region,
    accountId: input.accountId,
  });
  const stop = () => {
    void emulator.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  sendResult({ url: emulator.url });
}

main().catch(failWorker);
