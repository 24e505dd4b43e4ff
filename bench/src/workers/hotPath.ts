/**
 * Broker hot path, in its own process so that the broker's audit and metrics lines (Powertools, on
 * stdout) go to a discarded stream: the runner starts this file with stdout → /dev/null.
 *
 * Loads the production bundle with the environment of a Lambda instance (the fleet's configuration),
 * regenerates the fleet's 1,000 callers from the seed, and warms the instance by sending every caller's
 * every request once (the first request of each profile and scope set is a real issuance from the local
 * issuer, through the shared cache table on moto). Then it alternates timed rounds of the bundle's handler
 * and of a handler returning a constant response, each call by a caller drawn at random with one of its
 * requests, as a fresh event (parsed from JSON, as the Lambda runtime hands it over) with its own request
 * id, trace id (also in `_X_AMZN_TRACE_ID`, as the runtime sets it), date and signature. Only the handler
 * call is timed; building the event and checking the answer (200, the requested profile) are not.
 */
import { pathToFileURL } from "node:url";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";
import type { ContextData } from "../lib/brokerFixture.js";
import {
  type FleetCaller,
  type FleetTokenRequest,
  fleetCallers,
  newInvocation,
  tokenRequestEvent,
} from "../lib/fleet.js";
import { type LoopRun, summarize, timePreparedLoop } from "../lib/loop.js";
import { mulberry32, pick, randomHex } from "../lib/random.js";
import { failWorker, sendResult, workerInput } from "./io.js";

export interface HotPathInput {
  bundle: string;
  template: LambdaFunctionURLEventWithIAMAuthorizer;
  context: ContextData;
  seed: number;
  rounds: number;
  roundMs: number;
  maxOpsPerRound: number;
}

/** What the worker reports. */
export interface HotPathResult {
  ours: ReturnType<typeof summarize>;
  constant: ReturnType<typeof summarize>;
  /** Calls made to warm the instance (every caller's every request once). */
  warmupCalls: number;
  /** Distinct callers among the timed calls of the bundle's handler. */
  distinctCallers: number;
  /** Distinct profiles among them. */
  profiles: string[];
  /** Timed calls that did not answer 200 with the requested profile, and the first of them. */
  failures: number;
  firstFailure?: string;
}

type Handler = (
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const CONSTANT: APIGatewayProxyStructuredResultV2 = {
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: '{"profile":"constant"}',
};

interface Call {
  callerIndex: number;
  request: FleetTokenRequest;
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: Context;
}

async function main(): Promise<void> {
  const input = workerInput<HotPathInput>();
  const mod = (await import(pathToFileURL(input.bundle).href)) as { handler: Handler };
  const ours = mod.handler;
  const constant: Handler = async () => CONSTANT;
  const callers: FleetCaller[] = fleetCallers(input.seed);
  const random = mulberry32(input.seed + 1);

  const call = (callerIndex: number, request: FleetTokenRequest): Call => {
    const caller = callers[callerIndex] as FleetCaller;
    const invocation = newInvocation(random, Date.now());
    // The Lambda runtime parses each event from JSON: nothing is shared between invocations.
    const event = JSON.parse(
      JSON.stringify(tokenRequestEvent(input.template, caller, request, invocation)),
    ) as LambdaFunctionURLEventWithIAMAuthorizer;
    process.env._X_AMZN_TRACE_ID = `${invocation.traceId};Parent=${randomHex(random, 8)};Sampled=0`;
    const context = {
      ...input.context,
      awsRequestId: invocation.requestId,
      getRemainingTimeInMillis: () => 3000,
    } as unknown as Context;
    return { callerIndex, request, event, context };
  };
  const draw = (): Call => {
    const callerIndex = Math.floor(random() * callers.length);
    return call(callerIndex, pick(random, (callers[callerIndex] as FleetCaller).requests));
  };

  let failures = 0;
  let firstFailure: string | undefined;
  const expectOk = (res: APIGatewayProxyStructuredResultV2, c: Call, expectedProfile: string) => {
    let profile: string | undefined;
    try {
      profile = (JSON.parse(res.body ?? "") as { profile?: string }).profile;
    } catch {
      profile = undefined;
    }
    if (res.statusCode === 200 && profile === expectedProfile) return;
    failures++;
    firstFailure ??= `HTTP ${res.statusCode} for ${c.event.requestContext.authorizer.iam.userArn} asking ${JSON.stringify(c.request)}: ${(res.body ?? "").slice(0, 300)}`;
  };

  // Warm-up: every caller's every request once, in order, checked like the timed calls.
  let warmupCalls = 0;
  for (const [i, caller] of callers.entries()) {
    for (const request of caller.requests) {
      const c = call(i, request);
      expectOk(await ours(c.event, c.context), c, request.profile);
      warmupCalls++;
    }
  }
  if (failures > 0) throw new Error(`warm-up: ${failures} calls failed; first: ${firstFailure}`);

  const served = new Set<number>();
  const profiles = new Set<string>();
  const oursRuns: LoopRun[] = [];
  const constantRuns: LoopRun[] = [];
  const bounds = { maxOps: input.maxOpsPerRound, maxMs: input.roundMs };
  for (let r = 0; r < input.rounds; r++) {
    constantRuns.push(
      await timePreparedLoop(
        draw,
        (c) => constant(c.event, c.context),
        (res, c) => expectOk(res, c, "constant"),
        bounds,
      ),
    );
    oursRuns.push(
      await timePreparedLoop(
        draw,
        (c) => ours(c.event, c.context),
        (res, c) => {
          served.add(c.callerIndex);
          profiles.add(c.request.profile);
          expectOk(res, c, c.request.profile);
        },
        bounds,
      ),
    );
  }
  const result: HotPathResult = {
    ours: summarize(oursRuns),
    constant: summarize(constantRuns),
    warmupCalls,
    distinctCallers: served.size,
    profiles: [...profiles].sort(),
    failures,
    ...(firstFailure !== undefined && { firstFailure }),
  };
  sendResult(result);
}

main().then(
  () => process.exit(0),
  (error: unknown) => failWorker(error),
);
