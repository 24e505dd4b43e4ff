/**
 * Process entry (the bundle's `dist/main.mjs`): configuration from the environment, the server,
 * and SIGTERM/SIGINT → graceful shutdown. A configuration error exits with status 1 and one JSON
 * log line naming the variable. On success the warnings of `startupWarnings` come first, then
 * `{"msg":"listening","url":…}`.
 */
import { EnvError } from "@mcp-token/core";
import { loadConfig, type ServerConfig } from "./config.js";
import { createLogger } from "./log.js";
import { startServer } from "./server.js";
import { startupWarnings } from "./startupWarnings.js";

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    createLogger().error("invalid configuration", { variable: e.variable, error: e.message });
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  for (const warning of startupWarnings(config)) logger.warn(warning);
  const running = await startServer({ config, logger });
  // Handlers first, then the "listening" line: whoever waits for that line may signal right away.
  const shutdown = (signal: string) => {
    logger.info("shutting down", { signal, inFlight: running.inFlight() });
    running.close().then(
      () => {
        logger.info("stopped", { signal });
        process.exit(0);
      },
      (e: unknown) => {
        logger.error("shutdown failed", { error: e instanceof Error ? e.message : String(e) });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  logger.info("listening", {
    url: running.url,
    mcpUrl: running.mcpUrl,
    host: running.host,
    port: running.port,
    auth: config.auth,
  });
}

main().catch((e: unknown) => {
  createLogger().error("failed to start", { error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
