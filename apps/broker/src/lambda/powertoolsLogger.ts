/**
 * The production logger: a Powertools `Logger` for every line, with the per-request audit line written
 * by a fast path that produces Powertools' exact JSON layout.
 *
 * Why the fast path: the audit line is written on every request, and Powertools `Logger.info` costs about
 * 27 µs per audit line (measured in-process with stdout to /dev/null, Node 20 on the 2-core benchmark
 * machine: attribute merging with `deepMerge`, an env read per invocation-scoped store access, a timestamp
 * formatter, `removeEmptyKeys`, and `JSON.stringify` with a replacer function), against about 4 µs for the
 * same line here (one `JSON.stringify` of the fixed-shape record, spliced after a prefix built once per
 * invocation). That was the largest single cost of a warm token request (issue 10: ≥ 50,000 ops/s).
 *
 * The line is byte-for-byte what Powertools prints (a test holds them equal): `level`, `message`,
 * `timestamp` (ISO 8601 UTC), `service`, the Lambda context fields Powertools takes from `addContext`
 * (`cold_start`, `function_arn`, `function_memory_size`, `function_name`, `function_request_id`),
 * `sampling_rate` (0), the X-Ray trace id (per line, as Powertools reads it), `tenant_id`, then the
 * record's fields; keys whose
 * value is undefined, null or "" are left out. It is written through a `Console` on stdout, as
 * Powertools does (same stream, same error handling). Wherever Powertools' output would differ from
 * that layout — `POWERTOOLS_DEV` (pretty printing), a non-UTC `TZ` (offset timestamps), debug sampling
 * (`sampling_rate` key), Lambda Managed Instances' concurrent invocations (`AWS_LAMBDA_MAX_CONCURRENCY`:
 * per-invocation scoped context) — the audit line goes through Powertools itself. A log level above INFO
 * suppresses it, as in Powertools.
 */
import { Console } from "node:console";
import { Logger, LogLevelThreshold } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { type AuditRecord, definedFields } from "../audit.js";
import type { BrokerLogger } from "../logger.js";
import { createAuditFields, jsonField } from "./auditFields.js";

/** A {@link BrokerLogger} over Powertools, plus the per-invocation Lambda context. */
export interface PowertoolsBrokerLogger extends BrokerLogger {
  /** Powertools `addContext`: call once per invocation, before the request is served. */
  addContext(context: Context): void;
  /** Whether audit lines take the fast path (false: through Powertools `info`). */
  readonly fastAudit: boolean;
  /** The Powertools logger underneath. */
  readonly powertools: Logger;
}

/** Options for {@link createPowertoolsBrokerLogger}. */
export interface PowertoolsBrokerLoggerOptions {
  /** `service` of every line. */
  serviceName: string;
  /** Where Powertools reads its settings from. Default `process.env` (as Powertools itself). */
  env?: Readonly<Record<string, string | undefined>>;
}

const HEAD = '{"level":"INFO","message":"audit","timestamp":"';
/** Powertools' debug sample rate without `POWERTOOLS_LOGGER_SAMPLE_RATE`: 0, which it prints. */
const SAMPLING = ',"sampling_rate":0';

/** Whether Powertools would format a line differently from the fast path under `env`. */
function needsPowertools(env: Readonly<Record<string, string | undefined>>): boolean {
  const set = (key: string) => (env[key] ?? "").trim() !== "";
  const tz = (env.TZ ?? "").trim();
  return (
    set("POWERTOOLS_DEV") ||
    (tz !== "" && !tz.includes("UTC")) ||
    set("POWERTOOLS_LOGGER_SAMPLE_RATE") ||
    "AWS_LAMBDA_MAX_CONCURRENCY" in env
  );
}

/** The initialisation type rule of Powertools' `getColdStart`: only on-demand instances have cold starts. */
function onDemand(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === "on-demand";
}

const field = jsonField;

/** The X-Ray trace header as Powertools reads it for each line: the invoke store first, then the env. */
function rawTraceId(): string {
  return (
    (
      globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } }
    ).awslambda?.InvokeStore?.getXRayTraceId() ??
    process.env._X_AMZN_TRACE_ID ??
    ""
  );
}

/** Powertools' `xray_trace_id`: the `Root` of the trace header (or all of it when it has no `=`). */
function traceRoot(raw: string): string | undefined {
  if (raw === "") return undefined;
  if (!raw.includes("=")) return raw;
  const fields: Record<string, string | undefined> = {};
  for (const part of raw.split(";")) {
    const [key, value] = part.split("=");
    if (key !== undefined) fields[key] = value;
  }
  return fields.Root;
}

/**
 * Creates the production logger (once per Lambda instance).
 *
 * @example
 * const logger = createPowertoolsBrokerLogger({ serviceName: "mcp-token-broker" });
 * logger.addContext(context); // each invocation
 * writeAudit(logger, record); // one audit line, Powertools layout
 */
export function createPowertoolsBrokerLogger(opts: PowertoolsBrokerLoggerOptions): PowertoolsBrokerLogger {
  const env = opts.env ?? process.env;
  const powertools = new Logger({ serviceName: opts.serviceName });
  const fastAudit = !needsPowertools(env);
  const auditEnabled = powertools.level <= LogLevelThreshold.INFO;
  const out = new Console({ stdout: process.stdout, stderr: process.stderr });
  const service = field("service", opts.serviceName);
  let coldStart = onDemand(env);
  /** The context part of the line (`,"cold_start":…,"function_request_id":"…"`), set per invocation. */
  let contextPart = "";
  /** `,"tenant_id":"…"` of the current invocation. */
  let tenantPart = "";

  /** Powertools' `new Date().toISOString()`, computed once per millisecond. */
  let lastMs = Number.NaN;
  let lastIso = "";
  const timestamp = (): string => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastIso = new Date(now).toISOString();
    }
    return lastIso;
  };
  /** `,"xray_trace_id":"…"` for the raw trace header last seen. */
  let lastTrace: string | undefined;
  let tracePart = "";
  const trace = (): string => {
    const raw = rawTraceId();
    if (raw !== lastTrace) {
      lastTrace = raw;
      tracePart = field("xray_trace_id", traceRoot(raw));
    }
    return tracePart;
  };

  const auditFields = createAuditFields();
  const audit = (record: Readonly<AuditRecord>): void => {
    if (!auditEnabled) return;
    out.info(
      `${HEAD}${timestamp()}"${service}${contextPart}${SAMPLING}${trace()}${tenantPart}${auditFields(record)}`,
    );
  };

  /** The invocation-independent part of the context fields, for the function last seen. */
  let lastFunction: [string | undefined, string | undefined, string | undefined] = [
    undefined,
    undefined,
    undefined,
  ];
  let functionPart = "";

  return {
    powertools,
    fastAudit,
    debug: (message, attributes) =>
      attributes ? powertools.debug(message, attributes) : powertools.debug(message),
    info: (message, attributes) =>
      attributes ? powertools.info(message, attributes) : powertools.info(message),
    warn: (message, attributes) =>
      attributes ? powertools.warn(message, attributes) : powertools.warn(message),
    error: (message, attributes) =>
      attributes ? powertools.error(message, attributes) : powertools.error(message),
    audit: fastAudit ? audit : (record) => powertools.info("audit", definedFields(record)),
    addContext(context) {
      powertools.addContext(context);
      const cold = coldStart;
      coldStart = false;
      const { invokedFunctionArn, memoryLimitInMB, functionName } = context;
      const [arn, memory, name] = lastFunction;
      if (invokedFunctionArn !== arn || memoryLimitInMB !== memory || functionName !== name) {
        lastFunction = [invokedFunctionArn, memoryLimitInMB, functionName];
        functionPart =
          field("function_arn", invokedFunctionArn) +
          field("function_memory_size", memoryLimitInMB) +
          field("function_name", functionName);
      }
      contextPart = `${field("cold_start", cold)}${functionPart}${field("function_request_id", context.awsRequestId)}`;
      tenantPart = field("tenant_id", (context as { tenantId?: string }).tenantId);
    },
  };
}
