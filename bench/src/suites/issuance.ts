/**
 * Item 8: tokens the issuer hands out, simulated (src/issuanceSim.ts): a month of a 20-person team's
 * and 5 agents' traffic, and a burst of 500 callers in 10 s that makes Lambda start dozens of instances
 * at once, each under the broker strategies (per-instance memory, a shared table without a lease, the
 * shared table with its lease) and, for the month, the naive and 30-day-token extremes; then the broker
 * as built with a per-caller profile (`identity: "caller"`: a token per principal). The baseline is a
 * token per request. Every assumption is in the notes and in docs/BENCHMARKS.md.
 */
import { type BrokerRun, DEFAULT_ASSUMPTIONS, type SimulationAssumptions, simulate } from "../issuanceSim.js";
import { type BenchRow, fmt, row } from "../report.js";
import type { Suite } from "./types.js";

/** The assumptions as one line, for the note of the first row. */
export function describeAssumptions(a: SimulationAssumptions): string {
  const m = a.month;
  const l = a.lambda;
  return (
    `${m.days} days; ${m.people} people × ${m.personCallsPerHour} calls/h for ${m.workHoursPerDay} h on weekdays; ` +
    `${m.agents} agents × ${m.agentCallsPerHour} calls/h around the clock; token lifetime ${a.token.lifetimeSeconds} s, ` +
    `min TTL ${a.token.minTtlSeconds} s, refresh ahead at ${a.token.refreshAheadRatio * 100} %; Lambda: an instance ` +
    `per request that finds none idle, init ${l.initMs} ms, warm request ${l.requestMs} ms, first secret read ` +
    `${l.secretReadMs} ms, table call ${l.tableCallMs} ms, issuance ${l.issuanceMs} ms; instances reclaimed after ` +
    `${l.idleReclaimMinutes[0]}–${l.idleReclaimMinutes[1]} min idle, at most ${l.maxLifetimeHours} h old, ` +
    `${l.deploysPerWeek} deploys/week; lease ${a.sharedTier.leaseMs} ms, wait ≤ ${a.sharedTier.waitMs} ms; seed ${a.seed}`
  );
}

const n = (value: number) => value.toLocaleString("en-US");

/** How a strategy's run went, for its note. */
function describeRun(r: BrokerRun): string {
  return (
    `${n(r.brokerRequests)} broker requests, ${n(r.coldStarts)} instances started, at most ${r.peakInstances} at once; ` +
    `broker answer p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms, max ${fmt(r.latencyMs.max)} ms`
  );
}

export const issuanceSim: Suite = {
  id: "issuance-sim",
  title: "issuance simulation (a month of a team's traffic; a burst that scales Lambda out)",
  timeoutMs: 30_000,
  async run() {
    const a = DEFAULT_ASSUMPTIONS;
    const r = simulate(a);
    const id = this.id;
    const tokens = (metric: string, value: number, baseline: number, note: string): BenchRow =>
      row({
        id,
        metric,
        value,
        unit: "tokens",
        baseline: { name: "a token per request", value: baseline },
        target: "reported",
        note,
      });
    const month = (strategy: string, value: number, note: string) =>
      tokens(`tokens issued in a month: ${strategy}`, value, r.month.perRequest, note);
    const burstLabel = `a burst of ${n(a.burst.callers)} callers in ${a.burst.windowSeconds} s`;
    const burst = (strategy: string, value: number, note: string) =>
      tokens(`tokens issued for ${burstLabel}: ${strategy}`, value, r.burst.perRequest, note);
    return [
      month(
        "a token per request",
        r.month.perRequest,
        `${n(r.month.calls)} MCP calls; ${describeAssumptions(a)}`,
      ),
      month(
        "per-instance memory cache",
        r.month.perInstanceMemory.issuances,
        `clients cache; ${describeRun(r.month.perInstanceMemory)}; each new instance issues its own token`,
      ),
      month(
        "shared table without a lease",
        r.month.sharedNoLease.issuances,
        `clients cache; ${describeRun(r.month.sharedNoLease)}; a new instance reuses the table's token`,
      ),
      month(
        "shared table with the lease (the broker)",
        r.month.sharedLease.issuances,
        `clients cache; ${describeRun(r.month.sharedLease)}`,
      ),
      month(
        "per-caller profile (the broker, a token per principal)",
        r.month.perCaller.issuances,
        `${r.month.principals} principals (each person an Identity Center user, each agent a role), cached per principal in memory and the table; ${describeRun(r.month.perCaller)}; about principals × refresh windows in which each is active`,
      ),
      month(
        "the 30-day token workaround",
        r.month.thirtyDayToken,
        "one long-lived bearer token pasted everywhere: cheapest, and the problem mcp-token removes",
      ),
      burst(
        "per-instance memory cache",
        r.burst.perInstanceMemory.issuances,
        `${n(a.burst.callers)} distinct callers with empty caches, arrivals uniform over ${a.burst.windowSeconds} s, ` +
          `no instance running and no usable token anywhere; ${describeRun(r.burst.perInstanceMemory)}`,
      ),
      burst(
        "shared table without a lease",
        r.burst.sharedNoLease.issuances,
        `${describeRun(r.burst.sharedNoLease)}; every instance that reads the table before the first token is written issues`,
      ),
      burst(
        "shared table with the lease (the broker)",
        r.burst.sharedLease.issuances,
        `${describeRun(r.burst.sharedLease)}; one instance holds the lease and issues, the others wait for its token`,
      ),
      burst(
        "per-caller profile (the broker, a token per principal)",
        r.burst.perCaller.issuances,
        `${describeRun(r.burst.perCaller)}; every caller is a principal of its own, so each costs one issuance`,
      ),
    ];
  },
};
