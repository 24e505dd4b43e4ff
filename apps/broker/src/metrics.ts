/**
 * The metrics seam and its Powertools implementation (CloudWatch EMF on stdout).
 *
 * Metrics (namespace `POWERTOOLS_METRICS_NAMESPACE`, default `McpToken`; service `mcp-token-broker`):
 * - `Requests` (Count) with dimension `Outcome` (`ok` or the error code), one EMF line per request;
 * - `Latency` (Milliseconds) per request;
 * - `CacheHit`, `CacheMiss`, `CacheRefresh`, `CacheStale` (Count) per token request;
 * - `UpstreamCalls` (Count), `UpstreamLatency` (Milliseconds), `UpstreamErrors` (Count) per issuer attempt;
 * - shared cache (only with `MCP_TOKEN_CACHE_TABLE`), per fetch through the shared tier (a memory miss or
 *   a background refresh; concurrent requests of one instance share one fetch): one of
 *   `SharedCacheHit` (served from the table, directly or after waiting), `SharedCacheMiss` (issued here and
 *   stored) or `SharedCacheFallback` (the table failed; served by the issuer); plus `SharedCacheLeaseWait`
 *   when another instance held the lease, `SharedCacheWaitTimeout` when that wait ran out, and
 *   `SharedCacheRejected` for an item that failed to open (tampered, other secret, malformed). (A
 *   background refresh that keeps its current token after a wait timeout counts none of the three.)
 */
import type { CacheOutcome } from "@mcp-token/core";
import type { UpstreamAttempt } from "./upstream/client.js";

/** Shared-tier events counted by {@link BrokerMetrics.sharedCache}. */
export type SharedCacheEvent = "hit" | "miss" | "fallback" | "lease_wait" | "wait_timeout" | "rejected";

/** What the broker reports. All methods are cheap and never throw. */
export interface BrokerMetrics {
  /** One finished request with its outcome (`ok` or an error code) and latency. */
  request(outcome: string, latencyMs: number): void;
  /** Token cache outcome of one token request. */
  cache(outcome: CacheOutcome): void;
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
  cache() {},
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
  singleMetric(): {
    addDimension(name: string, value: string): unknown;
    addMetric(name: string, unit: "Count", value: number): unknown;
  };
  publishStoredMetrics(): void;
}

/**
 * Adapts a Powertools `Metrics` instance to {@link BrokerMetrics}. Failures inside Powertools are
 * reported to `onError` and otherwise ignored: metrics never break a request.
 */
export function createPowertoolsMetrics(
  metrics: PowertoolsMetricsLike,
  onError: (error: unknown) => void = () => {},
): BrokerMetrics {
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      onError(error);
    }
  };
  return {
    request(outcome, latencyMs) {
      safe(() => {
        const single = metrics.singleMetric();
        single.addDimension("Outcome", outcome);
        single.addMetric("Requests", "Count", 1);
        metrics.addMetric("Latency", "Milliseconds", latencyMs);
      });
    },
    cache(outcome) {
      safe(() => metrics.addMetric(CACHE_METRIC[outcome], "Count", 1));
    },
    upstreamAttempt(attempt) {
      safe(() => {
        metrics.addMetric("UpstreamCalls", "Count", 1);
        metrics.addMetric("UpstreamLatency", "Milliseconds", attempt.durationMs);
        if (attempt.outcome !== "ok") metrics.addMetric("UpstreamErrors", "Count", 1);
      });
    },
    sharedCache(event) {
      safe(() => metrics.addMetric(SHARED_CACHE_METRIC[event], "Count", 1));
    },
    flush() {
      safe(() => metrics.publishStoredMetrics());
    },
  };
}
