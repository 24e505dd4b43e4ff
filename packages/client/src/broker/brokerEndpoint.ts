import { invalidArgument } from "../errors/invalidArgument.js";
import { parseBrokerUrl } from "./brokerUrl.js";
import { regionFromFunctionUrl } from "./functionUrlRegion.js";
import type { BrokerClientOptions } from "./types.js";

/** Where and how a broker client talks: the checked options every broker client starts from. */
export interface BrokerEndpoint {
  /** The broker URL, with a trailing slash on its path. */
  base: URL;
  /** The SigV4 signing region. */
  region: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
}

/**
 * Checks the URL, region and timeout of broker client options (TypeErrors naming the option).
 * Kept apart from the client itself so a token source can check its options at once while loading
 * the client (and its response schemas) only when it first has to ask the broker.
 */
export function resolveBrokerEndpoint(
  options: Pick<BrokerClientOptions, "brokerUrl" | "region" | "timeoutMs">,
): BrokerEndpoint {
  const base = parseBrokerUrl(options.brokerUrl);
  const region = resolveRegion(base, options.region);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw invalidArgument(`"timeoutMs" must be a positive integer (milliseconds), got ${String(timeoutMs)}`);
  }
  return { base, region, timeoutMs };
}

function resolveRegion(base: URL, explicit: string | undefined): string {
  if (explicit !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(explicit)) {
      throw invalidArgument(
        `"region" must be an AWS region such as us-west-2, got ${JSON.stringify(explicit)}`,
      );
    }
    return explicit;
  }
  const parsed = regionFromFunctionUrl(base);
  if (!parsed) {
    throw invalidArgument(
      `"region" is required: "${base.host}" is not a Lambda Function URL host (<id>.lambda-url.<region>.on.aws), so the signing region cannot be derived from it`,
    );
  }
  return parsed;
}
