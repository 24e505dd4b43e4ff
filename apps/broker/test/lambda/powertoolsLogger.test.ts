/**
 * The production logger's audit fast path against Powertools itself: the same bytes for the same record,
 * context, trace id and time; Powertools' own path wherever its layout would differ; nothing above INFO.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AuditRecord, definedFields, newAuditRecord } from "../../src/audit.js";
import { createPowertoolsBrokerLogger } from "../../src/lambda/powertoolsLogger.js";
import { captureOutput } from "../support/stdout.js";

const context = (requestId: string, tenantId?: string) =>
  ({
    functionName: "mcp-token-broker",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-west-2:123456789012:function:mcp-token-broker",
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: "/aws/lambda/mcp-token-broker",
    logStreamName: "2026/11/26/[$LATEST]abc",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    ...(tenantId && { tenantId }),
  }) as unknown as Context;

function records(): AuditRecord[] {
  const full = newAuditRecord({ requestId: "r-1", method: "POST", path: "/v1/token" });
  Object.assign(full, {
    principal: "arn:aws:sts::123456789012:assumed-role/Dev/alice",
    normalizedPrincipal: "arn:aws:iam::123456789012:role/Dev",
    accountId: "123456789012",
    profile: "default",
    scopes: ["invoke", "read"],
    status: 200,
    cache: "hit",
    sharedCache: "wait",
    tokenExpiresAt: "2026-11-26T13:00:00.123Z",
    tokenFingerprint: "0123456789ab",
    durationMs: 0.0421,
  });
  const refused = newAuditRecord({ requestId: "r-2", method: "GET", path: '/v1/nope"\\\u2028' });
  Object.assign(refused, { outcome: "invalid_request", status: 400, accountId: "", durationMs: 3 });
  return [full, refused];
}

/** Each record through the fast path and through Powertools `info`, over two invocations. */
async function bothWays(env: Record<string, string>) {
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-26T12:00:00.007Z"));
  const fast = createPowertoolsBrokerLogger({ serviceName: "mcp-token-broker" });
  const reference = new Logger({ serviceName: "mcp-token-broker" });
  const ours: string[] = [];
  const theirs: string[] = [];
  for (const [i, ctx] of [context("inv-1"), context("inv-2", "tenant-7")].entries()) {
    if (i > 0) {
      // A later invocation: another millisecond, another trace.
      vi.setSystemTime(new Date("2026-11-26T12:00:01.042Z"));
      vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb;Sampled=0");
    }
    fast.addContext(ctx);
    reference.addContext(ctx);
    for (const record of records()) {
      record.requestId = `${record.requestId}-${i}`;
      ours.push(...(await captureOutput(() => fast.audit?.(record))).stdout);
      theirs.push(...(await captureOutput(() => reference.info("audit", definedFields(record)))).stdout);
    }
  }
  return { fast, ours, theirs };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe("Function: createPowertoolsBrokerLogger", () => {
  it("writes audit lines byte for byte as Powertools info does, cold start and trace id included", async () => {
    // Act
    const { fast, ours, theirs } = await bothWays({
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      _X_AMZN_TRACE_ID: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      TZ: ":UTC",
    });
    // Assess
    expect(fast.fastAudit).toBe(true);
    expect(ours).toHaveLength(4);
    expect(ours).toEqual(theirs);
    expect(JSON.parse(ours[0] ?? "")).toMatchObject({
      level: "INFO",
      message: "audit",
      timestamp: "2026-11-26T12:00:00.007Z",
      cold_start: true,
      xray_trace_id: "1-5759e988-bd862e3fe1be46a994272793",
      requestId: "r-1-0",
    });
    expect(JSON.parse(ours[2] ?? "")).toMatchObject({
      cold_start: false,
      tenant_id: "tenant-7",
      timestamp: "2026-11-26T12:00:01.042Z",
      xray_trace_id: "1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb",
    });
    expect(JSON.parse(ours[1] ?? "")).not.toHaveProperty("accountId");
  });

  it("matches Powertools without a Lambda context or trace id too", async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-26T12:00:00.000Z"));
    vi.stubEnv("_X_AMZN_TRACE_ID", "");
    const fast = createPowertoolsBrokerLogger({ serviceName: "svc" });
    const reference = new Logger({ serviceName: "svc" });
    const [record] = records();
    if (!record) throw new Error("no record");
    // Act
    const ours = await captureOutput(() => fast.audit?.(record));
    const theirs = await captureOutput(() => reference.info("audit", definedFields(record)));
    // Assess
    expect(ours.stdout).toEqual(theirs.stdout);
  });

  it.each([
    ["POWERTOOLS_DEV", "true"],
    ["TZ", "Europe/Berlin"],
    ["POWERTOOLS_LOGGER_SAMPLE_RATE", "0.5"],
    ["AWS_LAMBDA_MAX_CONCURRENCY", "10"],
  ])("leaves the audit line to Powertools itself with %s=%s", async (key, value) => {
    // Prepare
    vi.stubEnv(key, value);
    // Lambda Managed Instances provide an invoke store; outside an invocation it has no context.
    vi.stubGlobal("awslambda", { InvokeStore: { hasContext: () => false, getXRayTraceId: () => undefined } });
    // Act
    const logger = createPowertoolsBrokerLogger({ serviceName: "svc" });
    // Assess
    expect(logger.fastAudit).toBe(false);
  });

  it("writes no audit line when the log level is above INFO", async () => {
    // Prepare
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "WARN");
    const logger = createPowertoolsBrokerLogger({ serviceName: "svc" });
    const [record] = records();
    if (!record) throw new Error("no record");
    // Act
    const { stdout } = await captureOutput(() => logger.audit?.(record));
    // Assess
    expect(stdout).toEqual([]);
  });
});
