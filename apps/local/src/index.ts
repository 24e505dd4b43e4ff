export { renderBanner } from "./banner.js";
export { BROKER_BUNDLE, CLI_BUNDLE, DEFAULT_STATE_DIR, MCP_SERVER_BUNDLE, REPO_ROOT } from "./paths.js";
export { assertPortFree, freePort, PortInUseError } from "./ports.js";
export type { CliResult } from "./runCli.js";
export { cliEnv, runCli } from "./runCli.js";
export type { LocalStack, LocalStackOptions, ProgressStep, StackInfo } from "./stack.js";
export { FREE_PORTS, LOCAL, StackStartError, startLocalStack } from "./stack.js";
