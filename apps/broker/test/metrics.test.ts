/**
 * Metrics through a real Powertools `Metrics` instance: valid EMF, one line per request carrying both
 * the service totals and the request's `Outcome`, instance events kept out of any outcome, nothing
 * written when there is nothing to publish, and failures never reaching the caller.
 */
import { Metrics } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPowertoolsMetrics, type PowertoolsMetricsLike } from "../src/metrics.js";
import type { UpstreamAttempt } from "../src/upstream/client.js";
import { captureOutput, emfLines, emfProblems } from "./support/stdout.js";

const attempt = (outcome: UpstreamAttempt["outcome"], durationMs: number): UpstreamAttempt => ({
  issuer: "https://issuer.example/",
  attempt: 1,
  durationMs,
  status: outcome === "ok" ? 200 : undefined,
  outcome,
});

function powertools() {
  return createPowertoolsMetrics(
    new Metrics({
      namespace: "McpTokenTest",
      serviceName: "broker-test",
    }) as unknown as PowertoolsMetricsLike,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Function: createPowertoolsMetrics", () => {
  it("publishes one valid EMF line per request under [service] and [service, Outcome]", async () => {
    // Prepare
    const metrics = powertools();
    // Act
    const { stdout } = await captureOutput(() => metrics.request("ok", 1.5, "hit"));
    // Assess
    const lines = emfLines(stdout);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    if (!line) throw new Error("no EMF line");
    expect(emfProblems(line)).toEqual([]);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "McpTokenTest",
        Dimensions: [["service"], ["service", "Outcome"]],
        Metrics: [
          { Name: "Requests", Unit: "Count" },
          { Name: "Latency", Unit: "Milliseconds" },
          { Name: "CacheHit", Unit: "Count" },
        ],
      },
    ]);
    expect(line).toMatchObject({
      service: "broker-test",
      Outcome: "ok",
      Requests: 1,
      Latency: 1.5,
      CacheHit: 1,
    });
  });

  it("keeps the outcomes of interleaved requests apart, one line each", async () => {
    // Prepare
    const metrics = powertools();
    // Act
    const { stdout } = await captureOutput(() => {
      metrics.request("ok", 1, "miss");
      metrics.request("access_denied", 2);
      metrics.flush();
    });
    // Assess
    const lines = emfLines(stdout);
    expect(lines.map((l) => [l.Outcome, l.Requests, l.Latency, l.CacheMiss])).toEqual([
      ["ok", 1, 1, 1],
      ["access_denied", 1, 2, undefined],
    ]);
    expect(lines.flatMap(emfProblems)).toEqual([]);
  });

  it("publishes instance events on a line of their own, under [service] only", async () => {
    // Prepare
    const metrics = powertools();
    // Act
    const { stdout } = await captureOutput(() => {
      metrics.upstreamAttempt(attempt("ok", 12));
      metrics.sharedCache("miss");
      metrics.request("ok", 14, "miss");
    });
    // Assess
    const [instance, request, ...rest] = emfLines(stdout);
    expect(rest).toEqual([]);
    expect(instance?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["service"]]);
    expect(instance).toMatchObject({ UpstreamCalls: 1, UpstreamLatency: 12, SharedCacheMiss: 1 });
    expect(instance).not.toHaveProperty("Outcome");
    expect(request).toMatchObject({ Outcome: "ok", Requests: 1, CacheMiss: 1 });
    expect(request).not.toHaveProperty("UpstreamCalls");
  });

  it("flushes instance events left at the end of an invocation, and writes nothing when there are none", async () => {
    // Prepare
    const metrics = powertools();
    // Act
    const empty = await captureOutput(() => metrics.flush());
    const leftover = await captureOutput(() => {
      metrics.upstreamAttempt(attempt("unavailable", 50));
      metrics.flush();
      metrics.flush();
    });
    // Assess
    expect([...empty.stdout, ...empty.stderr]).toEqual([]);
    const lines = emfLines(leftover.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ UpstreamCalls: 1, UpstreamErrors: 1 });
    expect(leftover.stderr).toEqual([]);
  });

  it("reports a failing Powertools call to onError and never throws", () => {
    // Prepare
    const errors: unknown[] = [];
    const failing: PowertoolsMetricsLike = {
      addMetric() {
        throw new RangeError("boom");
      },
      addDimensions() {},
      hasStoredMetrics: () => true,
      publishStoredMetrics() {},
    };
    const metrics = createPowertoolsMetrics(failing, (e) => errors.push(e));
    // Act
    metrics.request("ok", 1, "hit");
    metrics.upstreamAttempt(attempt("ok", 1));
    metrics.sharedCache("hit");
    metrics.flush();
    // Assess
    expect(errors).toHaveLength(3);
  });
});
