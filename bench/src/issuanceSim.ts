/**
 * How many tokens the issuer hands out, simulated: a month of a team's MCP traffic, and a burst of
 * callers that makes Lambda scale out, replayed through clients that cache (as mcp-token's do) and a
 * broker on Lambda whose instances start, serve one request at a time, sit idle, are reclaimed and are
 * replaced by deploys. Instances run concurrently whenever requests overlap, so what the shared tier and
 * its lease add over per-instance memory is visible: without the lease, every instance that starts
 * before the first token is written to the table issues its own.
 *
 * Auth0 meters machine-to-machine tokens per month and rate-limits `/oauth/token`, so the number of
 * issuances is a cost and an availability figure. The simulation is deterministic (seeded PRNG, a
 * discrete-event scheduler ordered by time then by scheduling order), and every assumption is a named
 * field of {@link SimulationAssumptions}, listed in docs/BENCHMARKS.md.
 *
 * Broker strategies (each replays the same calls):
 * - `per-instance-memory`: each instance's memory is its only cache; a cold instance issues its own token.
 * - `shared-no-lease`: a shared table read before issuing and written after, without a lease.
 * - `shared-lease`: the broker as built (apps/broker/src/sharedCache/tier.ts): read the table; else take
 *   the item's lease (a conditional write that also fails if the token changed since the read) and
 *   issue; else poll the table with jittered backoff (50 ms doubling to 500 ms) for up to `waitMs`, then
 *   issue here. A background refresh only takes a table token that is itself not due for refresh, and on
 *   a wait timeout keeps its current token.
 * Two more are counted without a broker: a token per request (the naive integration) and one 30-day token
 * pasted everywhere (the workaround mcp-token removes).
 *
 * Identity modes (the profile's `identity`): `shared`, one token for every caller, and `caller`, one per
 * principal (each person is an IAM Identity Center user, each agent a role), cached per principal in
 * every instance's memory and in the table. Per-caller issuances are about principals × refresh windows
 * in which each principal is active.
 */

import { mulberry32 } from "./lib/random.js";
import { percentile } from "./report.js";

export interface SimulationAssumptions {
  seed: number;
  token: {
    lifetimeSeconds: number;
    /** Cached tokens (clients and broker) are served while at least this many seconds remain. */
    minTtlSeconds: number;
    /** A token is refreshed ahead once this fraction of its lifetime has passed. */
    refreshAheadRatio: number;
  };
  lambda: {
    /** A cold start before the first request: sandbox, Node, handler import and runtime build (ms). */
    initMs: number;
    /** A request served from the instance's memory, Function URL included (ms). */
    requestMs: number;
    /** An instance's first client-secret read: AWS SDK client and `GetSecretValue` (ms). */
    secretReadMs: number;
    /** One DynamoDB call: read, conditional lease write, token write (ms). */
    tableCallMs: number;
    /** One token request at the issuer (ms). */
    issuanceMs: number;
    /** An idle instance is reclaimed after a time drawn uniformly from this range (minutes). */
    idleReclaimMinutes: [number, number];
    /** No instance takes new requests once this old (hours). */
    maxLifetimeHours: number;
    /** Deploys per week; each retires every instance (the shared table survives). */
    deploysPerWeek: number;
  };
  sharedTier: {
    /** Lease lifetime (ms). */
    leaseMs: number;
    /** Longest wait for another instance's lease before issuing here (ms). */
    waitMs: number;
    /** First poll delay and the cap of its doubling (ms), each jittered to 50–100 %. */
    pollBaseMs: number;
    pollCapMs: number;
  };
  month: {
    days: number;
    /** People work Monday to Friday (a month starts on a Monday), starting between 08:00 and 10:00. */
    people: number;
    workHoursPerDay: number;
    /** MCP tool calls per active hour, per person (Poisson). */
    personCallsPerHour: number;
    agents: number;
    /** MCP calls per hour per agent, around the clock (Poisson). */
    agentCallsPerHour: number;
  };
  burst: {
    /** Distinct callers with empty caches, each making one broker request. */
    callers: number;
    /** Their arrival times are uniform over this window (seconds), starting with no instance and no usable token. */
    windowSeconds: number;
  };
}

export const DEFAULT_ASSUMPTIONS: SimulationAssumptions = {
  seed: 42,
  token: { lifetimeSeconds: 3600, minTtlSeconds: 300, refreshAheadRatio: 0.75 },
  lambda: {
    initMs: 300,
    requestMs: 10,
    secretReadMs: 80,
    tableCallMs: 10,
    issuanceMs: 250,
    idleReclaimMinutes: [5, 15],
    maxLifetimeHours: 2,
    deploysPerWeek: 2,
  },
  sharedTier: { leaseMs: 10_000, waitMs: 2_500, pollBaseMs: 50, pollCapMs: 500 },
  month: {
    days: 30,
    people: 20,
    workHoursPerDay: 8,
    personCallsPerHour: 40,
    agents: 5,
    agentCallsPerHour: 30,
  },
  burst: { callers: 500, windowSeconds: 10 },
};

/** A broker strategy the simulation runs. */
export type BrokerStrategy = "per-instance-memory" | "shared-no-lease" | "shared-lease";

/** The profile's identity mode: one token for everyone, or one per principal. */
export type IdentityMode = "shared" | "caller";

/** One MCP call by one actor (a person or an agent, each with its own client cache). */
export interface Call {
  timeMs: number;
  actor: number;
}

/** What one strategy did with one stream of calls. */
export interface BrokerRun {
  /** Requests that reached the broker (clients answer the rest from their cache). */
  brokerRequests: number;
  issuances: number;
  /** Lambda instances started. */
  coldStarts: number;
  /** Most instances serving a request at the same moment. */
  peakInstances: number;
  /** From a broker request's arrival to its answer (ms). */
  latencyMs: { p50: number; p99: number; max: number };
}

export interface SimulationResult {
  month: {
    calls: number;
    perRequest: number;
    thirtyDayToken: number;
    perInstanceMemory: BrokerRun;
    sharedNoLease: BrokerRun;
    sharedLease: BrokerRun;
    /** The broker as built, with a per-caller profile. */
    perCaller: BrokerRun;
    /** Distinct principals calling (people and agents). */
    principals: number;
  };
  burst: {
    callers: number;
    perRequest: number;
    perInstanceMemory: BrokerRun;
    sharedNoLease: BrokerRun;
    sharedLease: BrokerRun;
    /** The broker as built, with a per-caller profile: every caller is a principal of its own. */
    perCaller: BrokerRun;
  };
}

/** Runs both scenarios under every strategy; pure and deterministic for a given seed. */
export function simulate(a: SimulationAssumptions = DEFAULT_ASSUMPTIONS): SimulationResult {
  const month = monthCalls(a, mulberry32(a.seed));
  const burst = burstCalls(a, mulberry32(a.seed + 2));
  const all = (calls: readonly Call[]) => ({
    perInstanceMemory: simulateBroker(a, calls, "per-instance-memory"),
    sharedNoLease: simulateBroker(a, calls, "shared-no-lease"),
    sharedLease: simulateBroker(a, calls, "shared-lease"),
  });
  return {
    month: {
      calls: month.length,
      perRequest: month.length,
      thirtyDayToken: Math.ceil(a.month.days / 30),
      ...all(month),
      perCaller: simulateBroker(a, month, "shared-lease", "caller"),
      principals: new Set(month.map((c) => c.actor)).size,
    },
    burst: {
      callers: burst.length,
      perRequest: burst.length,
      ...all(burst),
      perCaller: simulateBroker(a, burst, "shared-lease", "caller"),
    },
  };
}

/** A simulated process: yields how long it waits (ms) before its next step. */
type Process<T = void> = Generator<number, T, undefined>;

/** A discrete-event scheduler: processes resume in time order, ties in the order they were scheduled. */
class Scheduler {
  now = 0;
  readonly #heap: { at: number; seq: number; proc: Process }[] = [];
  #seq = 0;

  /** Runs `proc` until its first wait. */
  start(proc: Process): void {
    this.#step(proc);
  }

  /** Runs every step due at or before `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    for (let top = this.#heap[0]; top !== undefined && top.at <= t; top = this.#heap[0]) {
      this.#pop();
      this.now = top.at;
      this.#step(top.proc);
    }
    this.now = Math.max(this.now, t);
  }

  /** Runs until nothing is waiting. */
  runAll(): void {
    for (let top = this.#heap[0]; top !== undefined; top = this.#heap[0]) this.runUntil(top.at);
  }

  #step(proc: Process): void {
    const next = proc.next();
    if (!next.done) this.#push({ at: this.now + Math.max(0, next.value), seq: this.#seq++, proc });
  }

  #before(x: { at: number; seq: number }, y: { at: number; seq: number }): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  #push(item: { at: number; seq: number; proc: Process }): void {
    const h = this.#heap;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#before(h[i] as typeof item, h[parent] as typeof item)) break;
      [h[i], h[parent]] = [h[parent] as typeof item, h[i] as typeof item];
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (h.length === 0 || last === undefined) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#before(h[l] as typeof last, h[m] as typeof last)) m = l;
      if (r < h.length && this.#before(h[r] as typeof last, h[m] as typeof last)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as typeof last, h[i] as typeof last];
      i = m;
    }
  }
}

interface Token {
  issuedAt: number;
  expiresAt: number;
}

interface Instance {
  bornAt: number;
  lastUsed: number;
  idleLimit: number;
  busy: boolean;
  /** The memory cache: a token per cache key (one key in shared mode, one per principal in caller mode). */
  tokens: Map<number, Token>;
  secretLoaded: boolean;
  /** Keys with a background refresh in flight. */
  refreshing: Set<number>;
}

interface Client {
  /** `issuedAt` is when the client received it: clients count the lifetime they were handed from then. */
  token: Token | undefined;
  pending: boolean;
}

/**
 * Replays `calls` (sorted by time) through caching clients and a broker on Lambda using `strategy`, from
 * a cold start: no instance, an empty table, empty client caches. In `caller` mode each actor is a
 * principal with its own cache key in memory and in the table.
 */
export function simulateBroker(
  a: SimulationAssumptions,
  calls: readonly Call[],
  strategy: BrokerStrategy,
  identity: IdentityMode = "shared",
): BrokerRun {
  const keyOf = (actor: number) => (identity === "caller" ? actor : 0);
  const random = mulberry32(a.seed + 1);
  const sim = new Scheduler();
  const L = a.lambda;
  const lifetimeMs = a.token.lifetimeSeconds * 1000;
  const minTtlMs = a.token.minTtlSeconds * 1000;
  const maxLifetimeMs = L.maxLifetimeHours * 3_600_000;
  const [idleMin, idleMax] = L.idleReclaimMinutes;
  const deployEvery = L.deploysPerWeek > 0 ? (7 * 86_400_000) / L.deploysPerWeek : Number.POSITIVE_INFINITY;
  const servable = (t: Token | undefined): t is Token => t !== undefined && t.expiresAt - sim.now >= minTtlMs;
  const refreshDue = (t: Token) =>
    sim.now >= t.issuedAt + a.token.refreshAheadRatio * (t.expiresAt - t.issuedAt);

  /** The shared table: an item per cache key, each with its token and lease. */
  const table = new Map<number, { token: Token | undefined; lease: { until: number } | undefined }>();
  const itemOf = (key: number) => {
    let item = table.get(key);
    if (!item) {
      item = { token: undefined, lease: undefined };
      table.set(key, item);
    }
    return item;
  };
  const clients = new Map<number, Client>();
  let instances: Instance[] = [];
  let nextDeploy = deployEvery;
  let issuances = 0;
  let brokerRequests = 0;
  let coldStarts = 0;
  let busy = 0;
  let peakInstances = 0;
  const latencies: number[] = [];

  function* issue(): Process<Token> {
    issuances++;
    yield L.issuanceMs;
    return { issuedAt: sim.now, expiresAt: sim.now + lifetimeMs };
  }

  /** The conditional lease write: no live lease, and the table still holds the token read as `seen`. */
  const takeLease = (key: number, seen: Token | undefined) => {
    const item = itemOf(key);
    if ((item.lease && item.lease.until >= sim.now) || item.token !== seen) return false;
    item.lease = { until: sim.now + a.sharedTier.leaseMs };
    return true;
  };

  function* holdAndIssue(instance: Instance, key: number): Process {
    const token = yield* issue();
    yield L.tableCallMs;
    const item = itemOf(key);
    item.token = token;
    item.lease = undefined;
    instance.tokens.set(key, token);
  }

  /** Gets `instance` a new token for `key`; `current` is set for a background refresh. */
  function* fetch(instance: Instance, key: number, current?: Token): Process {
    const item = itemOf(key);
    if (!instance.secretLoaded) {
      // The client secret is needed to issue and to open a sealed table item alike.
      yield L.secretReadMs;
      instance.secretLoaded = true;
    }
    if (strategy === "per-instance-memory") {
      instance.tokens.set(key, yield* issue());
      return;
    }
    const usable = (t: Token | undefined): t is Token => servable(t) && !(current && refreshDue(t));
    yield L.tableCallMs;
    let seen = item.token;
    if (usable(seen)) {
      instance.tokens.set(key, seen);
      return;
    }
    if (strategy === "shared-no-lease") {
      const token = yield* issue();
      yield L.tableCallMs;
      item.token = token;
      instance.tokens.set(key, token);
      return;
    }
    yield L.tableCallMs;
    if (takeLease(key, seen)) return yield* holdAndIssue(instance, key);
    const deadline = sim.now + a.sharedTier.waitMs;
    for (let attempt = 0; deadline - sim.now > 0; attempt++) {
      const backoff = Math.min(a.sharedTier.pollCapMs, a.sharedTier.pollBaseMs * 2 ** attempt);
      yield Math.max(1, Math.min(deadline - sim.now, Math.round(backoff * (0.5 + random() / 2))));
      yield L.tableCallMs;
      seen = item.token;
      if (usable(seen)) {
        instance.tokens.set(key, seen);
        return;
      }
      if (!item.lease || item.lease.until < sim.now) {
        yield L.tableCallMs;
        if (takeLease(key, seen)) return yield* holdAndIssue(instance, key);
      }
    }
    if (current) return; // a background refresh keeps its token rather than issuing
    const token = yield* issue();
    yield L.tableCallMs;
    item.token = token;
    instance.tokens.set(key, token);
  }

  function* refresh(instance: Instance, key: number): Process {
    yield* fetch(instance, key, instance.tokens.get(key));
    instance.refreshing.delete(key);
  }

  /** An idle instance if one is alive (the longest-lived), else a new one. */
  function route(): { instance: Instance; cold: boolean } {
    const now = sim.now;
    instances = instances.filter(
      (i) => i.busy || (now - i.lastUsed < i.idleLimit && now - i.bornAt < maxLifetimeMs),
    );
    const idle = instances.find((i) => !i.busy && now - i.bornAt < maxLifetimeMs);
    if (idle) return { instance: idle, cold: false };
    coldStarts++;
    const instance: Instance = {
      bornAt: now,
      lastUsed: now,
      idleLimit: 60_000 * (idleMin + random() * (idleMax - idleMin)),
      busy: false,
      tokens: new Map(),
      secretLoaded: false,
      refreshing: new Set(),
    };
    instances.push(instance);
    return { instance, cold: true };
  }

  function* request(client: Client, key: number): Process {
    const arrived = sim.now;
    const { instance, cold } = route();
    instance.busy = true;
    peakInstances = Math.max(peakInstances, ++busy);
    if (cold) yield L.initMs;
    yield L.requestMs;
    // A miss while this instance's own refresh is in flight shares it (the memory cache's single flight).
    while (instance.refreshing.has(key) && !servable(instance.tokens.get(key))) yield 1;
    const held = instance.tokens.get(key);
    if (!servable(held)) yield* fetch(instance, key);
    else if (refreshDue(held) && !instance.refreshing.has(key)) {
      instance.refreshing.add(key);
      sim.start(refresh(instance, key)); // the answer does not wait for it
    }
    const token = instance.tokens.get(key) as Token;
    client.token = { issuedAt: sim.now, expiresAt: token.expiresAt };
    client.pending = false;
    latencies.push(sim.now - arrived);
    instance.busy = false;
    instance.lastUsed = sim.now;
    busy--;
  }

  for (const call of calls) {
    sim.runUntil(call.timeMs);
    while (call.timeMs >= nextDeploy) {
      instances = []; // retired: requests in flight finish, new ones go to new instances
      nextDeploy += deployEvery;
    }
    let client = clients.get(call.actor);
    if (!client) {
      client = { token: undefined, pending: false };
      clients.set(call.actor, client);
    }
    // A call while the client's own request is in flight waits for that answer.
    if (client.pending) continue;
    const t = client.token;
    if (t !== undefined && servable(t) && !refreshDue(t)) continue;
    brokerRequests++;
    client.pending = true;
    sim.start(request(client, keyOf(call.actor)));
  }
  sim.runAll();
  const sorted = latencies.sort((x, y) => x - y);
  return {
    brokerRequests,
    issuances,
    coldStarts,
    peakInstances,
    latencyMs: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
  };
}

/** A month of calls: people on weekdays, agents around the clock, each a Poisson stream. */
export function monthCalls(a: SimulationAssumptions, random: () => number): Call[] {
  const m = a.month;
  const calls: Call[] = [];
  const hour = 3_600_000;
  const poisson = (actor: number, start: number, end: number, perHour: number) => {
    let t = start;
    for (;;) {
      t += (-Math.log(1 - random()) * hour) / perHour;
      if (t >= end) return;
      calls.push({ timeMs: t, actor });
    }
  };
  for (let p = 0; p < m.people; p++) {
    for (let day = 0; day < m.days; day++) {
      if (day % 7 >= 5) continue; // weekend
      const start = day * 24 * hour + 8 * hour + random() * 2 * hour; // starts between 08:00 and 10:00
      poisson(p, start, start + m.workHoursPerDay * hour, m.personCallsPerHour);
    }
  }
  for (let g = 0; g < m.agents; g++) poisson(m.people + g, 0, m.days * 24 * hour, m.agentCallsPerHour);
  return calls.sort((x, y) => x.timeMs - y.timeMs);
}

/** The burst: each caller's one call, uniform over the window. */
export function burstCalls(a: SimulationAssumptions, random: () => number): Call[] {
  return Array.from({ length: a.burst.callers }, (_, actor) => ({
    timeMs: random() * a.burst.windowSeconds * 1000,
    actor,
  })).sort((x, y) => x.timeMs - y.timeMs);
}

/**
 * The assumptions as the Markdown table docs/BENCHMARKS.md shows (a test keeps the document's copy equal
 * to this, so the document cannot drift from the code).
 */
export function assumptionsTable(a: SimulationAssumptions): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const { month: m, lambda: l, token: t, sharedTier: s } = a;
  const pct = `${t.refreshAheadRatio * 100} %`;
  const rows: [string, string][] = [
    ["period", `${m.days} days starting on a Monday; weekends off for people`],
    [
      "people",
      `${m.people}, each active ${m.workHoursPerDay} h per weekday, starting between 08:00 and 10:00, ${m.personCallsPerHour} MCP calls per active hour (Poisson)`,
    ],
    ["agents", `${m.agents}, each ${m.agentCallsPerHour} MCP calls per hour around the clock (Poisson)`],
    [
      "burst",
      `${n(a.burst.callers)} distinct callers with empty caches, one broker request each, arrivals uniform over ${a.burst.windowSeconds} s; no instance running and no usable token anywhere (a profile or scope set nobody used in the last hour)`,
    ],
    [
      "clients",
      `cache like mcp-token's: a call reaches the broker only when the client's token has less than ${t.minTtlSeconds} s left or is ${pct} through the lifetime it was handed; one broker request per client at a time`,
    ],
    [
      "tokens",
      `lifetime ${n(t.lifetimeSeconds)} s; the broker's memory and the table serve a token while at least ${t.minTtlSeconds} s remain (min TTL); refresh ahead after ${pct} of the lifetime, in the background`,
    ],
    [
      "Lambda routing",
      "a request goes to an idle instance (the longest-lived); when none is idle a new instance starts; an instance serves one request at a time; no concurrency limit is reached (the account default is 1,000)",
    ],
    [
      "Lambda timings",
      `init ${l.initMs} ms before a new instance's first request; ${l.requestMs} ms per request served from memory (Function URL included); ${l.secretReadMs} ms for an instance's first secret read; ${l.tableCallMs} ms per DynamoDB call; ${l.issuanceMs} ms per issuance`,
    ],
    [
      "instance lifetime",
      `reclaimed after ${l.idleReclaimMinutes[0]}–${l.idleReclaimMinutes[1]} min idle (uniform); no new requests once ${l.maxLifetimeHours} h old; each deploy (${l.deploysPerWeek} a week) retires every instance, the table survives`,
    ],
    [
      "shared tier",
      `lease ${n(s.leaseMs)} ms; a waiter polls after ${s.pollBaseMs} ms doubling to ${s.pollCapMs} ms (each jittered to 50–100 %) for up to ${n(s.waitMs)} ms, then issues itself (as the broker's shared tier does)`,
    ],
    ["30-day workaround", "one token with Auth0's maximum lifetime, pasted everywhere"],
    ["seed", `${a.seed} (mulberry32)`],
  ];
  return ["| assumption | value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
}
