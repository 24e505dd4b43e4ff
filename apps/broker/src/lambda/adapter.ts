/**
 * Wraps the broker as a Lambda Function URL handler. The adapter only converts the event to the broker's
 * plain request, calls `broker.serve`, converts the plain response back and flushes metrics (no web
 * `Request`/`Response` on this path); a failure in conversion itself answers `invalid_request`
 * (unparsable request) or `internal_error`, never an unhandled exception.
 */
import { randomUUID } from "node:crypto";
import { BrokerError } from "@mcp-token/core";
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from "aws-lambda";
import type { Broker } from "../broker.js";
import { errorResponse } from "../http/exchange.js";
import type { BrokerLogger } from "../logger.js";
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
      let request: ReturnType<typeof eventToBrokerRequest>;
      try {
        request = eventToBrokerRequest(event, fallbackId);
      } catch (error) {
        opts.logger.warn("request refused: unparsable Function URL event", {
          requestId: fallbackId,
          error: { name: (error as Error).name, message: String((error as Error).message).slice(0, 300) },
        });
        return toFunctionUrlResult(
          errorResponse(new BrokerError("invalid_request", "The request could not be parsed."), fallbackId),
        );
      }
      return toFunctionUrlResult(await broker.serve(request));
    } catch (error) {
      opts.logger.error("handler failed", {
        requestId: fallbackId,
        error: { name: (error as Error)?.name, message: String((error as Error)?.message).slice(0, 300) },
      });
      return {
        statusCode: 500,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: JSON.stringify({
          error: "internal_error",
          error_description:
            "The broker failed unexpectedly; an operator should check its log for this request_id.",
          request_id: fallbackId,
        }),
        isBase64Encoded: false,
      };
    } finally {
      metrics.flush();
    }
  };
}
