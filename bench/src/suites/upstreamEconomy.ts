/**
 * Item 3: upstream economy. For 1, 10, 100 and 1,000 callers arriving at once at a cold broker (a
 * fresh process with the production bundle: empty cache, runtime not built, AWS SDK not loaded), how
 * many times does the broker call the issuer? It must be once. The callers are concurrent invocations
 * of one instance's handler, which is how the emulator (and a Lambda instance serving a burst while it
 * starts) delivers them; across Lambda instances only the shared cache (issue 9) can de-duplicate.
 */
import { runColdBroker } from "../lib/coldBroker.js";
import { type BenchRow, row } from "../report.js";
import type { Suite } from "./types.js";

const LEVELS = [1, 10, 100, 1000] as const;

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
    rows.push(
      row({
        id: this.id,
        metric: "issuer calls for 8 cold instances with the shared cache",
        value: Number.NaN,
        unit: "calls",
        baseline: { name: "instances (per-instance memory cache)", value: 8 },
        target: "exactly 1",
        met: null,
        note: "not measured: shared cache not built yet (issue 9); without it each cold instance issues its own token",
      }),
    );
    return rows;
  },
};
