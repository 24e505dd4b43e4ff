import type { Context } from "aws-lambda";

/**
 * A Lambda-like `context` for one invocation. `getRemainingTimeInMillis()` counts down from
 * `timeoutMs` by the given clock; the deprecated `done`/`fail`/`succeed` throw (use the return value).
 */
export function createLambdaContext(opts: {
  functionName: string;
  region: string;
  accountId: string;
  awsRequestId: string;
  timeoutMs: number;
  memoryLimitInMB: number;
  clock: { now(): number };
}): Context {
  const deadline = opts.clock.now() + opts.timeoutMs;
  const date = new Date(opts.clock.now()).toISOString().slice(0, 10).replace(/-/g, "/");
  const deprecated = (): never => {
    throw new Error("context.done/fail/succeed are not supported by the emulator; return or throw instead");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: opts.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${opts.region}:${opts.accountId}:function:${opts.functionName}`,
    memoryLimitInMB: String(opts.memoryLimitInMB),
    awsRequestId: opts.awsRequestId,
    logGroupName: `/aws/lambda/${opts.functionName}`,
    logStreamName: `${date}/[$LATEST]${opts.awsRequestId.replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - opts.clock.now()),
    done: deprecated,
    fail: deprecated,
    succeed: deprecated,
  };
}
