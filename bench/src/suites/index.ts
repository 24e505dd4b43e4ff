/** Every benchmark, in report order (the order of issue 10's items). */
import { brokerHotPath } from "./brokerHotPath.js";
import { brokerHttp } from "./brokerHttp.js";
import { cliHeaders } from "./cliHeaders.js";
import { coldStart } from "./coldStart.js";
import { issuanceSim } from "./issuance.js";
import { mcpServerAuth } from "./mcpServerAuth.js";
import { proxyOverhead } from "./proxyOverhead.js";
import type { Suite } from "./types.js";
import { upstreamEconomy } from "./upstreamEconomy.js";

export const SUITES: readonly Suite[] = [
  brokerHotPath,
  brokerHttp,
  upstreamEconomy,
  coldStart,
  proxyOverhead,
  cliHeaders,
  mcpServerAuth,
  issuanceSim,
];
