/**
 * A month of MCP traffic, simulated to estimate how many tokens Auth0 issues under four strategies.
 *
 * Auth0 meters machine-to-machine tokens per month and rate-limits `/oauth/token`, so the number of
 * issuances is a cost and an availability figure. The simulation is deterministic (seeded PRNG) and every
 * assumption is a named field of {@link SimulationAssumptions}, printed next to the result.
 *
 * Strategies:
 * - `per-request`: a naive integration that asks the issuer for a token on every MCP call.
 * - `per-instance-memory`: mcp-token clients (which cache) in front of a broker whose only cache is each
 *   Lambda instance's memory; every cold instance issues its own token.
 * - `shared-cache`: the same, with the broker's shared (DynamoDB) tier: one issuance per refresh window.
 * - `thirty-day-token`: the workaround: one 30-day token, pasted everywhere (cheap, and the problem).
 */

export interface SimulationAssumptions {
  days: number;
  people: number;
  /** Working days: Monday to Friday; a month starts on a Monday. */
  workHoursPerDay: number;
  /** MCP tool calls per active working hour, per person (Poisson). */
  personCallsPerHour: number;
  agents: number;
  /** MCP calls per hour per agent, around the clock (Poisson). */
  agentCallsPerHour: number;
  tokenLifetimeSeconds: number;
  /** Cached tokens are served while at least this many seconds remain. */
  minTtlSeconds: number;
  /** Refresh ahead after this fraction of a token's lifetime. */
  refreshAheadRatio: number;
  /** A warm Lambda instance is reclaimed after an idle time drawn uniformly from this range (minutes). */
  lambdaIdleReclaimMinutes: [number, number];
  /** No instance lives longer than this (hours), busy or not. */
  lambdaMaxLifetimeHours: number;
  /** Deployments per week; each replaces every instance. */
  deploysPerWeek: number;
  seed: number;
}

export const DEFAULT_ASSUMPTIONS: SimulationAssumptions = {
  days: 30,
  people: 20,
  workHoursPerDay: 8,
  personCallsPerHour: 40,
  agents: 5,
  agentCallsPerHour: 30,
  tokenLifetimeSeconds: 3600,
  minTtlSeconds: 300,
  refreshAheadRatio: 0.75,
  lambdaIdleReclaimMinutes: [5, 15],
  lambdaMaxLifetimeHours: 2,
  deploysPerWeek: 2,
  seed: 42,
};

export interface SimulationResult {
  calls: number;
  brokerRequests: { perInstanceMemory: number; sharedCache: number };
  lambdaColdStarts: { perInstanceMemory: number; sharedCache: number };
  issuances: { perRequest: number; perInstanceMemory: number; sharedCache: number; thirtyDayToken: number };
}

interface CachedToken {
  issuedAt: number;
  expiresAt: number;
}

/** Runs the simulation; pure and deterministic for a given seed. */
export function simulateMonth(assumptions: SimulationAssumptions = DEFAULT_ASSUMPTIONS): SimulationResult {
  const calls = generateCalls(assumptions, mulberry32(assumptions.seed));
  const perInstance = simulateBroker(assumptions, calls, "per-instance-memory");
  const shared = simulateBroker(assumptions, calls, "shared-cache");
  return {
    calls: calls.length,
    brokerRequests: { perInstanceMemory: perInstance.brokerRequests, sharedCache: shared.brokerRequests },
    lambdaColdStarts: { perInstanceMemory: perInstance.coldStarts, sharedCache: shared.coldStarts },
    issuances: {
      perRequest: calls.length,
      perInstanceMemory: perInstance.issuances,
      sharedCache: shared.issuances,
      thirtyDayToken: Math.ceil(assumptions.days / 30),
    },
  };
}

interface Instance {
  bornAt: number;
  lastUsed: number;
  idleLimit: number;
  token: CachedToken | undefined;
}

/**
 * Replays the calls through clients that cache (as mcp-token's do) and a broker on Lambda whose
 * instances come and go; counts issuer calls. Each strategy gets its own run because what the broker
 * hands out (a fresh token or an older shared one) changes when clients come back.
 */
function simulateBroker(
  a: SimulationAssumptions,
  calls: readonly Call[],
  strategy: "per-instance-memory" | "shared-cache",
) {
  const random = mulberry32(a.seed + 1);
  // A token is reused until it is old enough to refresh ahead, or too close to expiry to serve.
  const needsNew = (t: CachedToken | undefined, now: number) =>
    t === undefined ||
    t.expiresAt - now < a.minTtlSeconds ||
    now - t.issuedAt >= a.refreshAheadRatio * (t.expiresAt - t.issuedAt);
  const deployEvery = a.deploysPerWeek > 0 ? (7 * 86_400) / a.deploysPerWeek : Number.POSITIVE_INFINITY;
  const [idleMin, idleMax] = a.lambdaIdleReclaimMinutes;
  const clientTokens = new Map<number, CachedToken>();
  let instances: Instance[] = [];
  let shared: CachedToken | undefined;
  let nextDeploy = deployEvery;
  let issuances = 0;
  let brokerRequests = 0;
  let coldStarts = 0;

  for (const call of calls) {
    const now = call.time;
    if (now >= nextDeploy) {
      instances = [];
      nextDeploy += deployEvery;
    }
    if (!needsNew(clientTokens.get(call.actor), now)) continue;
    brokerRequests++;
    instances = instances.filter(
      (i) => now - i.lastUsed < i.idleLimit && now - i.bornAt < a.lambdaMaxLifetimeHours * 3600,
    );
    let instance = instances[0];
    if (!instance) {
      coldStarts++;
      const idleLimit = 60 * (idleMin + random() * (idleMax - idleMin));
      instance = { bornAt: now, lastUsed: now, idleLimit, token: undefined };
      instances.push(instance);
    }
    instance.lastUsed = now;
    if (strategy === "shared-cache" && needsNew(instance.token, now)) instance.token = shared;
    if (needsNew(instance.token, now)) {
      issuances++;
      instance.token = { issuedAt: now, expiresAt: now + a.tokenLifetimeSeconds };
      if (strategy === "shared-cache") shared = instance.token;
    }
    // The client counts the lifetime it was handed from the moment it received the token.
    clientTokens.set(call.actor, { issuedAt: now, expiresAt: instance.token?.expiresAt ?? now });
  }
  return { issuances, brokerRequests, coldStarts };
}

interface Call {
  time: number;
  actor: number;
}

function generateCalls(a: SimulationAssumptions, random: () => number): Call[] {
  const calls: Call[] = [];
  const horizon = a.days * 86_400;
  const poisson = (actor: number, start: number, end: number, perHour: number) => {
    let t = start;
    for (;;) {
      t += (-Math.log(1 - random()) * 3600) / perHour;
      if (t >= end) return;
      calls.push({ time: t, actor });
    }
  };
  for (let p = 0; p < a.people; p++) {
    for (let day = 0; day < a.days; day++) {
      if (day % 7 >= 5) continue; // weekend
      const start = day * 86_400 + 8 * 3600 + random() * 2 * 3600; // starts between 08:00 and 10:00
      poisson(p, start, start + a.workHoursPerDay * 3600, a.personCallsPerHour);
    }
  }
  for (let g = 0; g < a.agents; g++) poisson(a.people + g, 0, horizon, a.agentCallsPerHour);
  return calls.sort((x, y) => x.time - y.time);
}

/** Small seeded PRNG (public-domain mulberry32): reproducible runs need no dependency. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
