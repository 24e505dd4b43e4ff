/**
 * The measured process of the cold-start benchmark: a fresh Lambda instance from its start until it can
 * answer. It imports the production bundle (with the Lambda environment the runner gives it, so the
 * handler schedules its runtime build right after the import, as in Lambda's init) and sends one
 * `GET /v1/whoami`, which the runtime answers from the IAM context alone (no secret, cache or issuer),
 * so the time to the answer is the import plus the runtime build plus the cheapest request there is.
 * An answer other than 200 naming the event's principal exits 1 (the runner then fails the benchmark):
 * a fast process that did not build the runtime cannot pass for a cold start.
 *
 * Kept minimal on purpose (no workspace imports): everything it loads besides Node is being measured.
 */
import { pathToFileURL } from "node:url";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEventWithIAMAuthorizer,
} from "aws-lambda";

export interface ColdInitInput {
  bundle: string;
  event: LambdaFunctionURLEventWithIAMAuthorizer;
  context: Record<string, string | number | boolean>;
}

type Handler = (
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const input = JSON.parse(process.env.BENCH_INPUT ?? "null") as ColdInitInput;
const { handler } = (await import(pathToFileURL(input.bundle).href)) as { handler: Handler };
const res = await handler(input.event, {
  ...input.context,
  awsRequestId: input.event.requestContext.requestId,
  getRemainingTimeInMillis: () => 3000,
} as unknown as Context);
const expected = input.event.requestContext.authorizer.iam.userArn;
let principal: unknown;
try {
  principal = (JSON.parse(res.body ?? "") as { principal?: unknown }).principal;
} catch {
  principal = undefined;
}
if (res.statusCode !== 200 || principal !== expected) {
  process.stderr.write(`GET /v1/whoami answered ${res.statusCode}: ${(res.body ?? "").slice(0, 300)}\n`);
  process.exit(1);
}
// The answer is what was measured; leave without waiting for anything the runtime may still hold open.
process.exit(0);
