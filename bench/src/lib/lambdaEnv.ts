/**
 * The environment a Lambda instance of the broker starts with: the variables the Node.js managed runtime
 * defines (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
 * for the function as infra deploys it (`nodejs22.x`, 512 MB, `handler.handler`), plus the function's own
 * (`MCP_TOKEN_BROKER_CONFIG`, `MCP_TOKEN_CACHE_TABLE`, …) and the AWS SDK settings that point it at moto.
 *
 * What the broker and Powertools read from these decides what a benchmark measures: the handler starts
 * building its runtime right after the import only when `AWS_LAMBDA_FUNCTION_NAME` is set, and Powertools
 * considers itself in Lambda only when `AWS_LAMBDA_INITIALIZATION_TYPE` is. `_X_AMZN_TRACE_ID` is not
 * here: the runtime sets it per invocation (the hot-path worker does the same).
 */

/** Options of {@link lambdaEnvironment}. */
export interface LambdaEnvironmentOptions {
  /** Default "mcp-token-broker". */
  functionName?: string;
  /** AWS region of the function. */
  region: string;
  /** Default 512 (infra's default `memoryMb`). */
  memoryMb?: number;
  /** The function's own variables and the AWS SDK settings (endpoint, credentials); they win over the defaults. */
  extra?: Record<string, string>;
}

/** The environment of a fresh on-demand Lambda instance; see the module comment. */
export function lambdaEnvironment(opts: LambdaEnvironmentOptions): Record<string, string> {
  const name = opts.functionName ?? "mcp-token-broker";
  const memory = opts.memoryMb ?? 512;
  return {
    _HANDLER: "handler.handler",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: "2026/11/26/[$LATEST]0123456789abcdef0123456789abcdef",
    AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
    AWS_REGION: opts.region,
    AWS_DEFAULT_REGION: opts.region,
    LAMBDA_TASK_ROOT: "/var/task",
    LAMBDA_RUNTIME_DIR: "/var/runtime",
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    ...opts.extra,
  };
}
