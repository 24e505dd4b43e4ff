/**
 * @mcp-token/broker: the token broker behind an IAM Lambda Function URL.
 *
 * Lambda entry: `src/handler.ts` (`handler`), bundled to `dist/handler.mjs`. This barrel names only what
 * other workspaces use (the reliability suites and benchmarks build the same runtime in-process); the
 * broker's own tests import `src/*` directly. Anything added here is public on purpose.
 */
export { createRuntime, type Runtime, type RuntimeOptions } from "./lambda/runtime.js";
export { noopMetrics } from "./metrics.js";
export { createSecretsManagerProvider } from "./secrets.js";
export { createDynamoDbTokenStore } from "./sharedCache/dynamoDbStore.js";
export { sharedCacheTableDefinition } from "./sharedCache/table.js";
