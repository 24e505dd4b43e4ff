/**
 * Item 3: upstream economy. For 1, 10, 100 and 1,000 callers arriving at once at a cold broker (a
 * fresh process with the production bundle: empty cache, runtime not built, AWS SDK not loaded), how
 * many times does the broker call the issuer? It must be once. The callers are concurrent invocations
 * of one instance's handler, which is how the emulator (and a Lambda instance serving a burst while it
 * starts) delivers them. Across Lambda instances only the shared cache (DynamoDB) can de-duplicate: eight
 * cold instances (processes) on one table, released at once, must also call the issuer once.
 */
import { runColdBroker } from "../lib/coldBroker.js";
import { runSharedInstances } from "../lib/sharedInstances.js";
import { type BenchRow, row } from "../report.js";
import type { Suite } from "./types.js";

const LEVELS = [1, 10, 100, 1000] as const;
/** Cold Lambda instances released at once on one shared cache table. */
const INSTANCES = 8;

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export const upstreamEconomy: Suite = {
  id: "upstream-economy",
  title: "upstream economy (cold concurrent callers → issuer calls)",
  timeoutMs: 60_000,
  async run(ctx) {
    const stack = await ctx.stack();
    const fixture = await ctx.fixture();
    const rows: BenchRow[] = [];
    for (const callers of LEVELS) {
      const before = stack.issuer.issued({ audience: fixture.audience });
      const run = await runColdBroker(ctx.scope, fixture, callers);
      const issued = stack.issuer.issued({ audience: fixture.audience }) - before;
      const met = issued === 1 && run.ok === callers;
      rows.push(
        row({
          id: this.id,
          metric: `issuer calls for ${callers.toLocaleString("en-US")} cold concurrent caller${callers === 1 ? "" : "s"}`,
          value: issued,
          unit: "calls",
          baseline: { name: "callers (a token per request)", value: callers },
          target: "exactly 1",
          met,
          note:
            `fresh broker process; ${run.ok}/${callers} answered 200 (statuses ${run.statuses.join(", ")}); ` +
            `all answered ${Math.round(run.answeredAtMs - run.importedAtMs)} ms after the import (runtime build, SDK load, secret read from moto, issuance)`,
          ...(!met && {
            gap: `${issued} issuer calls (target 1)${run.ok === callers ? "" : `; ${callers - run.ok} callers not served`}`,
          }),
        }),
      );
    }
    const before = stack.issuer.issued({ audience: fixture.audience });
    const shared = await runSharedInstances(ctx.scope, stack, fixture, INSTANCES);
    const issued = stack.issuer.issued({ audience: fixture.audience }) - before;
    const ok = shared.results.filter((r) => r.status === 200).length;
    const outcomes = countBy(shared.results.map((r) => r.sharedCache ?? "none"));
    const met = issued === 1 && ok === INSTANCES;
    rows.push(
      row({
        id: this.id,
        metric: `issuer calls for ${INSTANCES} cold instances with the shared cache`,
        value: issued,
        unit: "calls",
        baseline: { name: "instances (per-instance memory cache)", value: INSTANCES },
        target: "exactly 1",
        met,
        note:
          `measured with ${INSTANCES} processes (one Lambda instance each) on dist/handler.mjs, DynamoDB on moto ` +
          `(table from sharedCacheTableDefinition, default lease and wait settings), all released at once after ` +
          `importing the handler; ${ok}/${INSTANCES} answered 200 within ${Math.round(shared.answeredInMs)} ms; ` +
          `shared tier: ${Object.entries(outcomes)
            .map(([k, v]) => `${v} ${k}`)
            .join(", ")}`,
        ...(!met && {
          gap: `${issued} issuer calls (target 1)${ok === INSTANCES ? "" : `; ${INSTANCES - ok} instances not served`}`,
        }),
      }),
    );
    return rows;
  },
};
