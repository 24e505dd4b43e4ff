/**
 * @mcp-token/reliability: the harness behind the system-level fault, fuzz, load and secrets-hygiene
 * suites (test/) and the figures in docs/RELIABILITY.md. Exported for other suites and benchmarks
 * that want the same pieces.
 */
export { type Leak, LeakAudit, type LeakScan, needlesOf, scanLines, scanRunDir } from "./audit/leakAudit.js";
export { logsDir, RUN_DIR_ENV, runDir, sensitiveDir } from "./audit/runDir.js";
export { amzDate, type RequestToSign, type SigningCredentials, signV4 } from "./aws/signV4.js";
export {
  commandFor,
  RESULTS_DIR,
  type ResultFile,
  readResults,
  type SuiteKind,
  writeResult,
} from "./figures/results.js";
export { type AwsFaultMode, type AwsFaultProxy, startAwsFaultProxy } from "./stack/awsFaultProxy.js";
export { type BrokerInstance, startBrokerInstance } from "./stack/brokerChild.js";
export {
  type BrokerStack,
  type BrokerStackOptions,
  brokerConfigDocument,
  CACHE_TABLE,
  DEFAULT_CACHE_KEY,
  FAST_BROKER_ENV,
  FAST_SHARED_CACHE_ENV,
  randomClientSecret,
  STACK,
  startBrokerStack,
  startSuiteIssuer,
} from "./stack/brokerStack.js";
export { awsJsonCall, secretsManagerCall } from "./stack/motoCalls.js";
export { type SpawnOptions, spawnTracked, type TrackedChild } from "./stack/processes.js";
export { recordingLogger, type StructuredLogger } from "./stack/recordingLogger.js";
export { forceGc, heapAfterGc, mib } from "./stats/heap.js";
export { Histogram } from "./stats/histogram.js";
export { brokerCaller, brokerClientFor, clientCaller, errorCode } from "./traffic/callers.js";
export { type FaultFigures, faultFigures } from "./traffic/faultReport.js";
export { type FaultScenario, runFaultScenario, untilHealthy } from "./traffic/scenario.js";
export {
  type Caller,
  type CallResult,
  type Sample,
  startTraffic,
  type Traffic,
  waitFor,
} from "./traffic/traffic.js";
