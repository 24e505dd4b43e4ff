/**
 * The Lambda entry point (`handler.handler`) for the broker's IAM Function URL.
 *
 * Importing this module is nearly free: the runtime (configuration from `MCP_TOKEN_BROKER_CONFIG`,
 * Powertools logger and metrics, the module-scope token cache, the Secrets Manager provider) is built
 * once per instance by a dynamic `import()`, started right after module load on an unref'd timer (so a
 * long-lived Lambda process warms up before or while its first event arrives, while a process that only
 * imports the handler exits at once) and awaited by the first invocation. Warm invocations reuse it.
 * The configuration is read from the environment as it was when the module loaded.
 * The AWS SDK itself loads on the first secret read (and, with `MCP_TOKEN_CACHE_TABLE`, the DynamoDB
 * client on the first shared-cache call).
 */
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import type { FunctionUrlHandler } from "./lambda/adapter.js";

/** The environment as it was when the module loaded (Lambda's init phase): the configuration source. */
const env: Readonly<Record<string, string | undefined>> = { ...process.env };

let runtime: Promise<FunctionUrlHandler> | undefined;

function start(): Promise<FunctionUrlHandler> {
  runtime ??= import("./lambda/runtime.js").then(
    ({ createRuntime }) => createRuntime({ env }).handler,
    (error: unknown) => {
      runtime = undefined;
      throw error;
    },
  );
  return runtime;
}

setTimeout(() => start().catch(() => undefined), 0).unref();

/** Function URL handler (payload 2.0, `AWS_IAM` auth). */
export async function handler(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context?: Context,
): Promise<LambdaFunctionURLResult> {
  return (await start())(event, context);
}
