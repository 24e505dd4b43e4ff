/**
 * Child-process entry: one "Lambda instance" of the broker. It loads the production bundle
 * (`apps/broker/dist/handler.mjs`, configured by `MCP_TOKEN_BROKER_CONFIG` at module load, Secrets
 * Manager through `AWS_ENDPOINT_URL`) behind the testkit Function URL emulator on
 * `RELIABILITY_BROKER_PORT`, prints `{"ready":"<url>"}` on stdout and serves until SIGTERM.
 *
 * Run with `node --import tsx src/stack/brokerProcess.ts`.
 */
import { BROKER_BUNDLE } from "@mcp-token/local";
import { defaultIdentities, loadHandler, startFunctionUrlEmulator } from "@mcp-token/testkit";

const ids = defaultIdentities({ accountId: "123456789012" });
const handler = await loadHandler(BROKER_BUNDLE);
const emulator = await startFunctionUrlEmulator({
  handler,
  identities: [ids.developer, ids.agent, ids.outsider],
  region: "us-west-2",
  accountId: "123456789012",
  port: Number(process.env.RELIABILITY_BROKER_PORT ?? 0),
});
process.stdout.write(`${JSON.stringify({ ready: emulator.url })}\n`);
process.once("SIGTERM", () => {
  void emulator.close().finally(() => process.exit(0));
});
