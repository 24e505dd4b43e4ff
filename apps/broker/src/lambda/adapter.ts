/**
 * Wraps the broker as a Lambda Function URL handler. The adapter only converts the event to the broker's
 * plain request, calls `broker.serve`, converts the plain response back and flushes metrics (no web
 * `Request`/`Response` on this path); an unexpected failure answers `internal_error`, never an
 * unhandled exception.
 */
import { randomUUID } from "node:crypto";
import { BrokerError } from "@mcp-token/core";
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import type { Broker } from "../broker.js";
import { type BrokerLogger, SecretScrubber } from "../logger.js";
import { type BrokerMetrics, noopMetrics } from "../metrics.js";
import { eventToBrokerRequest, toFunctionUrlResult } from "./event.js";

/** A Function URL handler with IAM auth. */
export type FunctionUrlHandler = (
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context?: Context,
) => Promise<LambdaFunctionURLResult>;

/** Options for {@link createLambdaHandler}. */
export interface LambdaHandlerOptions {
  logger: BrokerLogger;
  metrics?: BrokerMetrics;
  /** Called first on every invocation (e.g. Powertools `logger.addContext`). */
  onInvoke?: (context: Context | undefined) => void;
}

/** Creates the Lambda handler around `broker`. */
export function createLambdaHandler(
  broker: Pick<Broker, "serve">,
  opts: LambdaHandlerOptions,
): FunctionUrlHandler {
  const metrics = opts.metrics ?? noopMetrics;
  return async (event, context) => {
    const fallbackId = context?.awsRequestId || randomUUID();
    try {
      opts.onInvoke?.(context);
      return toFunctionUrlResult(await broker.serve(eventToBrokerRequest(event, fallbackId)));
    } catch (error) {
      opts.logger.error("handler failed", {
        requestId: fallbackId,
        error: new SecretScrubber().describeError(error),
      });
      const failure = new BrokerError(
        "internal_error",
        "The broker failed unexpectedly; an operator should check its log for this request_id.",
      );
      return toFunctionUrlResult(failure.toPlainResponse(fallbackId));
    } finally {
      metrics.flush();
    }
  };
}
