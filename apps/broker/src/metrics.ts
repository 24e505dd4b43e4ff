/**
 * The metrics seam and its Powertools implementation (CloudWatch EMF on stdout).
 *
 * Metrics (namespace `POWERTOOLS_METRICS_NAMESPACE`, default `McpToken`; service `mcp-token-broker`):
 * - per request, published under both dimension sets `[service]` and `[service, Outcome]` (`Outcome` is
 *   `ok` or the error code): `Requests` (Count), `Latency` (Milliseconds) and, for token requests, one
 *   of `CacheHit`, `CacheMiss`, `CacheRefresh`, `CacheStale` (Count);
 * - per instance event, under `[service]` only: `UpstreamCalls` (Count), `UpstreamLatency`
 *   (Milliseconds), `UpstreamErrors` (Count) per issuer attempt; with the shared cache
 *   (`MCP_TOKEN_CACHE_TABLE`), per fetch through the shared tier (a memory miss or a background refresh;
 *   concurrent requests of one instance share one fetch): one of `SharedCacheHit` (served from the table,
 *   directly or after waiting), `SharedCacheMiss` (issued here and stored) or `SharedCacheFallback` (the
 *   table failed; served by the issuer); plus `SharedCacheLeaseWait` when another instance held the lease,
 *   `SharedCacheWaitTimeout` when that wait ran out, and `SharedCacheRejected` for an item that failed to
 *   open (tampered, other secret, malformed). (A background refresh that keeps its current token after a
 *   wait timeout counts none of the three.)
 *
 * EMF lines: one Powertools `Metrics` instance per Lambda instance, used as its documentation shows. A
 * request's metrics are published in one synchronous step at its end ({@link BrokerMetrics.request}), so
 * concurrent requests in one process (the local emulator) can never mix their `Outcome`s; in Lambda that
 * is one line per invocation. Instance events recorded since the last line are published first, on a
 * line of their own, so they are never attributed to a request's outcome; {@link BrokerMetrics.flush}
 * (end of every invocation) publishes any left over.
 */
import type { CacheOutcome } from "@mcp-token/core";
import type { UpstreamAttempt } from "./upstream/client.js";

/** Shared-tier events counted by {@link BrokerMetrics.sharedCache}. */
export type SharedCacheEvent = "hit" | "miss" | "fallback" | "lease_wait" | "wait_timeout" | "rejected";

/** What the broker reports. All methods are cheap and never throw. */
export interface BrokerMetrics {
  /**
   * One finished request: its outcome (`ok` or an error code), latency in milliseconds and, for token
   * requests, how the token cache answered. Called once per request, at its end.
   */
  request(outcome: string, latencyMs: number, cache?: CacheOutcome): void;
  /** One upstream attempt. */
  upstreamAttempt(attempt: UpstreamAttempt): void;
  /** One shared-tier event (see the file header). */
  sharedCache(event: SharedCacheEvent): void;
  /** Writes buffered metrics (end of an invocation). */
  flush(): void;
}

/** Metrics that go nowhere. */
export const noopMetrics: BrokerMetrics = {
  request() {},
  upstreamAttempt() {},
  sharedCache() {},
  flush() {},
};

const CACHE_METRIC: Record<CacheOutcome, string> = {
  hit: "CacheHit",
  miss: "CacheMiss",
  refresh: "CacheRefresh",
  stale: "CacheStale",
};

const SHARED_CACHE_METRIC: Record<SharedCacheEvent, string> = {
  hit: "SharedCacheHit",
  miss: "SharedCacheMiss",
  fallback: "SharedCacheFallback",
  lease_wait: "SharedCacheLeaseWait",
  wait_timeout: "SharedCacheWaitTimeout",
  rejected: "SharedCacheRejected",
};

/** Minimal shape of a Powertools `Metrics` instance, so tests can pass a fake. */
export interface PowertoolsMetricsLike {
  addMetric(name: string, unit: "Count" | "Milliseconds", value: number): unknown;
  /** Powertools: adds a dimension set (the default dimensions plus these) for this EMF line. */
  addDimensions(dimensions: Record<string, string>): unknown;
  hasStoredMetrics(): boolean;
  publishStoredMetrics(): unknown;
}

/** The dimension set of the per-request totals: Powertools' default dimensions (`service`) alone. */
const TOTALS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Adapts one Powertools `Metrics` instance (create it once per Lambda instance) to {@link BrokerMetrics}.
 * Failures inside Powertools are reported to `onError` and otherwise ignored: metrics never break a
 * request.
 */
export function createPowertoolsMetrics(
  metrics: PowertoolsMetricsLike,
  onError: (error: unknown) => void = () => {},
): BrokerMetrics {
  /** Instance events were added since the last line. */
  let pending = false;
  const publishPending = () => {
    if (pending) {
      pending = false;
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
  return {
    request(outcome, latencyMs, cache) {
      try {
        publishPending();
        metrics.addMetric("Requests", "Count", 1);
        metrics.addMetric("Latency", "Milliseconds", latencyMs);
        if (cache) metrics.addMetric(CACHE_METRIC[cache], "Count", 1);
        // Two dimension sets on one line: every metric above counts towards the service totals and
        // towards its outcome ("Requests by Outcome").
        metrics.addDimensions(TOTALS);
        metrics.addDimensions({ Outcome: outcome });
        metrics.publishStoredMetrics();
      } catch (error) {
        onError(error);
      }
    },
    upstreamAttempt(attempt) {
      try {
        pending = true;
        metrics.addMetric("UpstreamCalls", "Count", 1);
        metrics.addMetric("UpstreamLatency", "Milliseconds", attempt.durationMs);
        if (attempt.outcome !== "ok") metrics.addMetric("UpstreamErrors", "Count", 1);
      } catch (error) {
        onError(error);
      }
    },
    sharedCache(event) {
      try {
        pending = true;
        metrics.addMetric(SHARED_CACHE_METRIC[event], "Count", 1);
      } catch (error) {
        onError(error);
      }
    },
    flush() {
      try {
        publishPending();
      } catch (error) {
        onError(error);
      }
    },
  };
}
