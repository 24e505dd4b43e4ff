/**
 * The Lambda entry point (`handler.handler`) for the broker's IAM Function URL. Everything is built once
 * at module scope (cold start): configuration from `MCP_TOKEN_BROKER_CONFIG`, Powertools logger and
 * metrics, the token cache shared by warm invocations. The AWS SDK loads on first secret read.
 */
import { createRuntime } from "./lambda/runtime.js";

const runtime = createRuntime();

/** Function URL handler (payload 2.0, `AWS_IAM` auth). */
export const handler = runtime.handler;
