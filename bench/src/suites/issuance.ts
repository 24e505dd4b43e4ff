/**
 * Item 8: a simulated month of traffic for a 20-person team and 5 agents, and the tokens the issuer
 * hands out under four strategies (see src/issuanceSim.ts for the model and its assumptions). The
 * baseline is the naive strategy, a token per request.
 */
import { DEFAULT_ASSUMPTIONS, type SimulationAssumptions, simulateMonth } from "../issuanceSim.js";
import { row } from "../report.js";
import type { Suite } from "./types.js";

/** The assumptions as one line, for the note of every row. */
export function describeAssumptions(a: SimulationAssumptions): string {
  return (
    `${a.days} days; ${a.people} people × ${a.personCallsPerHour} calls/h for ${a.workHoursPerDay} h on weekdays; ` +
    `${a.agents} agents × ${a.agentCallsPerHour} calls/h around the clock; token lifetime ${a.tokenLifetimeSeconds} s, ` +
    `min TTL ${a.minTtlSeconds} s, refresh ahead at ${a.refreshAheadRatio * 100} %; Lambda instances reclaimed after ` +
    `${a.lambdaIdleReclaimMinutes[0]}–${a.lambdaIdleReclaimMinutes[1]} min idle, at most ${a.lambdaMaxLifetimeHours} h old, ` +
    `${a.deploysPerWeek} deploys/week; seed ${a.seed}`
  );
}

export const issuanceSim: Suite = {
  id: "issuance-sim",
  title: "issuance simulation (a month, 20 people, 5 agents)",
  timeoutMs: 30_000,
  async run() {
    const a = DEFAULT_ASSUMPTIONS;
    const r = simulateMonth(a);
    const baseline = { name: "a token per request", value: r.issuances.perRequest };
    const id = this.id;
    const tokens = (strategy: string, value: number, note: string) =>
      row({
        id,
        metric: `tokens issued in a month: ${strategy}`,
        value,
        unit: "tokens",
        baseline,
        target: "reported",
        note,
      });
    return [
      tokens(
        "a token per request",
        r.issuances.perRequest,
        `${r.calls.toLocaleString("en-US")} MCP calls; ${describeAssumptions(a)}`,
      ),
      tokens(
        "per-instance memory cache",
        r.issuances.perInstanceMemory,
        `clients cache; ${r.brokerRequests.perInstanceMemory.toLocaleString("en-US")} broker requests, ${r.lambdaColdStarts.perInstanceMemory.toLocaleString("en-US")} Lambda cold starts, each cold instance issues its own token`,
      ),
      tokens(
        "shared cache",
        r.issuances.sharedCache,
        `clients cache; ${r.brokerRequests.sharedCache.toLocaleString("en-US")} broker requests, ${r.lambdaColdStarts.sharedCache.toLocaleString("en-US")} cold starts; a cold instance reuses the shared token`,
      ),
      tokens(
        "the 30-day token workaround",
        r.issuances.thirtyDayToken,
        "one long-lived bearer token pasted everywhere: cheapest, and the problem mcp-token removes",
      ),
    ];
  },
};
