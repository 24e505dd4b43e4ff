/**
 * A cold broker process: imports the production bundle (configuration from the environment, as in
 * Lambda's init) and sends `callers` concurrent invocations of the captured token-request event at
 * once. Reports how long the import and the answers took (from this process's start) and how many
 * answered 200. Used for the upstream economy (callers 1…1,000) and for the first request of a fresh
 * process (callers 1). Its stdout (audit and metrics lines) is discarded by the runner.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";
import type { ContextData } from "../lib/brokerFixture.js";
import { failWorker, sendResult, workerInput } from "./io.js";

export interface ColdCallersInput {
  bundle: string;
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
  callers: number;
}

/** What the worker reports; times are milliseconds since this process started. */
export interface ColdCallersResult {
  importedAtMs: number;
  answeredAtMs: number;
  ok: number;
  statuses: number[];
}

type Handler = (
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

async function main(): Promise<void> {
  const input = workerInput<ColdCallersInput>();
  const { handler } = (await import(pathToFileURL(input.bundle).href)) as { handler: Handler };
  const importedAtMs = performance.now();
  const results = await Promise.all(
    Array.from({ length: input.callers }, (_, i) => {
      const id = `cold-${i}`;
      return handler({ ...input.event, requestContext: { ...input.event.requestContext, requestId: id } }, {
        ...input.context,
        awsRequestId: id,
        getRemainingTimeInMillis: () => 30_000,
      } as unknown as Context);
    }),
  );
  const answeredAtMs = performance.now();
  const statuses = [...new Set(results.map((r) => r.statusCode ?? 0))];
  const result: ColdCallersResult = {
    importedAtMs,
    answeredAtMs,
    ok: results.filter((r) => r.statusCode === 200).length,
    statuses,
  };
  sendResult(result);
}

main().then(
  () => process.exit(0),
  (error: unknown) => failWorker(error),
);
