/**
 * @mcp-token/reliability: the harness behind the system-level fault, fuzz, load and secrets-hygiene
 * suites (test/) and the figures in docs/RELIABILITY.md. Exported for other suites and benchmarks
 * that want the same pieces.
 */
export { type Leak, LeakAudit, type LeakScan, needlesOf, scanLines, scanRunDir } from "./audit/leakAudit.js";
export { logsDir, RUN_DIR_ENV, runDir, sensitiveDir } from "./audit/runDir.js";
export { amzDate, type RequestToSign, type SigningCredentials, signV4 } from "./aws/signV4.js";
export { MARKERS, renderFigures, replaceBetweenMarkers } from "./figures/render.js";
export {
  commandFor,
  RESULTS_DIR,
  type ResultFile,
  RUN_RESULTS_DIR,
  readResults,
  type SuiteKind,
  writeResult,
} from "./figures/results.js";
export { type FunctionUrlEventParts, functionUrlEvent } from "./fuzz/functionUrlEvent.js";
export {
  denotesGenuine,
  type MutatedBearer,
  mutatedBearer,
  type TokenMaterial,
} from "./fuzz/jwtMutations.js";
export { issuerToken, type McpAppFixture, startMcpApp } from "./fuzz/mcpApp.js";
export { DEFAULT_SEED, fuzzParameters, fuzzSeed } from "./fuzz/params.js";
export {
  type BaseRequest,
  MUTATION_FAMILIES,
  type Mutated,
  mutatedRequest,
  validRequest,
  type WireRequest,
} from "./fuzz/sigv4Mutations.js";
export { type LoadFigures, runLoad } from "./load/driver.js";
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
export { type EchoIssuer, type EchoVariant, startEchoIssuer } from "./stack/echoIssuer.js";
export { awsJsonCall, secretsManagerCall } from "./stack/motoCalls.js";
export { type SpawnOptions, spawnTracked, type TrackedChild } from "./stack/processes.js";
export { type ProxyProcess, type RpcMessage, startProxy } from "./stack/proxyProcess.js";
export { type ProxyStack, startProxyStack } from "./stack/proxyStack.js";
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
