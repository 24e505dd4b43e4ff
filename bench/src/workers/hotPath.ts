/**
 * Broker hot path, in its own process so that the broker's audit and metrics lines (Powertools, on
 * stdout) go to a discarded stream: the runner starts this file with stdout → /dev/null.
 *
 * Loads the production bundle with the environment Lambda would give it, warms its token cache with one
 * request (a real issuance from the local issuer, secret from moto), then alternates rounds of the
 * bundle's handler and of a handler returning a constant response, on the same captured event.
 */
import { pathToFileURL } from "node:url";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";
import type { ContextData } from "../lib/brokerFixture.js";
import { type LoopRun, summarize, timeLoop } from "../lib/loop.js";
import { failWorker, sendResult, workerInput } from "./io.js";

export interface HotPathInput {
  bundle: string;
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
  rounds: number;
  roundMs: number;
  maxOpsPerRound: number;
  warmupOps: number;
}

type Handler = (event: LambdaFunctionURLEventWithIAMAuthorizer, context: Context) => Promise<unknown>;

const CONSTANT: APIGatewayProxyStructuredResultV2 = {
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: "{}",
};

async function main(): Promise<void> {
  const input = workerInput<HotPathInput>();
  const mod = (await import(pathToFileURL(input.bundle).href)) as { handler: Handler };
  const ours = mod.handler;
  const constant: Handler = async () => CONSTANT;

  // Every call gets its own request id (as Lambda gives it), built the same way for both handlers.
  const invoke = (handler: Handler, i: number) => {
    const id = `bench-${i}`;
    return handler({ ...input.event, requestContext: { ...input.event.requestContext, requestId: id } }, {
      ...input.context,
      awsRequestId: id,
      getRemainingTimeInMillis: () => 30_000,
    } as unknown as Context) as Promise<APIGatewayProxyStructuredResultV2>;
  };

  const first = await invoke(ours, 0);
  if (first.statusCode !== 200)
    throw new Error(`the first token request answered ${first.statusCode}: ${first.body}`);
  let failures = 0;
  const checked = async (i: number) => {
    const res = await invoke(ours, i);
    if (res.statusCode !== 200) failures++;
  };
  const bounds = { maxOps: input.warmupOps, maxMs: 2000 };
  await timeLoop(checked, bounds);
  await timeLoop((i) => invoke(constant, i), bounds);

  const oursRuns: LoopRun[] = [];
  const constantRuns: LoopRun[] = [];
  const round = { maxOps: input.maxOpsPerRound, maxMs: input.roundMs };
  for (let r = 0; r < input.rounds; r++) {
    constantRuns.push(await timeLoop((i) => invoke(constant, i), round));
    oursRuns.push(await timeLoop(checked, round));
  }
  sendResult({ ours: summarize(oursRuns), constant: summarize(constantRuns), failures });
}

main().then(
  () => process.exit(0),
  (error: unknown) => failWorker(error),
);
