/**
 * One Lambda instance of the shared-cache economy benchmark: imports the production bundle with the
 * environment Lambda would give it (the shared cache table in `MCP_TOKEN_CACHE_TABLE`, DynamoDB and
 * Secrets Manager on moto, `AWS_LAMBDA_FUNCTION_NAME` so it starts its runtime right after the import as
 * in Lambda's init), reports `{ ready: true }`, and on SIGUSR2 — sent to every instance at once — invokes
 * the handler with the captured token request and reports the status and the audit line's `sharedCache`
 * outcome (`miss`: issued here; `wait`/`hit`: another instance's token from the table). Its stdout is
 * discarded by the runner; the audit line is read on its way there.
 */
import { pathToFileURL } from "node:url";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";
import type { ContextData } from "../lib/brokerFixture.js";
import { failWorker, sendResult, workerInput } from "./io.js";

export interface SharedInstanceInput {
  bundle: string;
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
  /** Request id of this instance's invocation. */
  requestId: string;
  /** Give up when no go signal came within this long (ms). */
  waitMs: number;
}

/** What an instance reports after its invocation. */
export interface SharedInstanceResult {
  status: number;
  /** The audit line's `sharedCache` (absent when the request did not go through the shared tier). */
  sharedCache?: string;
}

type Handler = (
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Watches stdout for this invocation's audit line and remembers its `sharedCache`. */
function watchAudit(requestId: string): () => string | undefined {
  let outcome: string | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    for (const line of text.split("\n")) {
      if (!line.includes('"message":"audit"') || !line.includes(requestId)) continue;
      try {
        outcome = (JSON.parse(line) as { sharedCache?: string }).sharedCache;
      } catch {
        // not a JSON line
      }
    }
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => outcome;
}

async function main(): Promise<void> {
  const input = workerInput<SharedInstanceInput>();
  const sharedCache = watchAudit(input.requestId);
  const { handler } = (await import(pathToFileURL(input.bundle).href)) as { handler: Handler };
  // Signal listeners do not keep a process alive; this timer does, until the go signal or the deadline.
  const deadline = setTimeout(() => failWorker(new Error("no go signal")), input.waitMs);
  process.once("SIGUSR2", () => {
    clearTimeout(deadline);
    const { requestId } = input;
    handler({ ...input.event, requestContext: { ...input.event.requestContext, requestId } }, {
      ...input.context,
      awsRequestId: requestId,
      getRemainingTimeInMillis: () => 30_000,
    } as unknown as Context).then((result) => {
      const outcome = sharedCache();
      const report: SharedInstanceResult = {
        status: result.statusCode ?? 0,
        ...(outcome !== undefined && { sharedCache: outcome }),
      };
      sendResult(report);
      process.exit(0);
    }, failWorker);
  });
  sendResult({ ready: true });
}

main().catch(failWorker);
