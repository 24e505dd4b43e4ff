/**
 * The Lambda entry point (`handler.handler`) for the broker's IAM Function URL.
 *
 * Importing this module is nearly free: the runtime (configuration from `MCP_TOKEN_BROKER_CONFIG`,
 * Powertools logger and metrics, the module-scope token cache, the Secrets Manager provider) is built
 * once per instance by a dynamic `import()` (in the bundle, a separate chunk, `chunks/runtime-<hash>.mjs`)
 * and awaited by the first invocation; warm invocations reuse it. In Lambda (`AWS_LAMBDA_FUNCTION_NAME`
 * set) the build starts right after the import, on an unref'd timer, so it overlaps the runtime client's
 * own start-up and the wait for the first event; elsewhere (tools and benchmarks that only import the
 * module, the local emulator) the first invocation starts it, and a process that only imports the handler
 * exits at once.
 * The configuration is read from the environment as it was when the module loaded (or, for one too
 * large for it, from the SSM parameter it names, pinned by a hash: `configParameter.ts`).
 * The AWS SDK itself loads on the first secret read (and, with `MCP_TOKEN_CACHE_TABLE`, the DynamoDB
 * client on the first shared-cache call).
 */
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import { inLambda } from "./env.js";
import type { FunctionUrlHandler } from "./lambda/adapter.js";

/** The environment as it was when the module loaded (Lambda's init phase): the configuration source. */
const env: Readonly<Record<string, string | undefined>> = { ...process.env };

let runtime: Promise<FunctionUrlHandler> | undefined;

function start(): Promise<FunctionUrlHandler> {
  runtime ??= import("./lambda/runtime.js").then(
    async ({ createRuntimeFromEnvironment }) => (await createRuntimeFromEnvironment({ env })).handler,
    (error: unknown) => {
      runtime = undefined;
      throw error;
    },
  );
  return runtime;
}

if (inLambda(env)) setTimeout(() => start().catch(() => undefined), 0).unref();

/** Function URL handler (payload 2.0, `AWS_IAM` auth). */
export async function handler(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context?: Context,
): Promise<LambdaFunctionURLResult> {
  return (await start())(event, context);
}
