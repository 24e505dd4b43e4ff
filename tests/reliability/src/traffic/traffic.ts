/**
 * Steady traffic for fault scenarios: each caller repeats its call every `intervalMs` (one call at a
 * time per caller) until stopped, and every call becomes a {@link Sample} with its start and end time,
 * how it ended, and whether the caller had a valid token it could have been served from.
 */

/** How one call ended. `code` is `ok` or a short error code (`503 upstream_unavailable`, `ECONNRESET`…). */
export interface CallResult {
  ok: boolean;
  code: string;
}

/** One call. Times are epoch ms. */
export interface Sample extends CallResult {
  caller: string;
  kind: string;
  start: number;
  end: number;
  /**
   * The call failed although a valid cached token was available: one the cache held when the call
   * started and that was still unexpired when the call returned.
   */
  violation: boolean;
}

/** A caller in a traffic run. */
export interface Caller {
  name: string;
  /** Group for histograms (e.g. `broker` for raw broker requests, `client` for the client library). */
  kind: string;
  call(): Promise<CallResult>;
  /** Expiry (epoch ms) of the token this caller's cache would serve, if any. */
  cachedExpiry(): number | undefined;
}

/** A running traffic generator. */
export interface Traffic {
  samples: Sample[];
  /** Stops issuing calls and waits for those in flight. */
  stop(): Promise<Sample[]>;
}

/** Starts traffic. */
export function startTraffic(callers: Caller[], intervalMs: number): Traffic {
  const samples: Sample[] = [];
  let running = true;
  const loops = callers.map(async (caller, i) => {
    // Stagger callers across the interval.
    await new Promise((r) => setTimeout(r, Math.floor((i * intervalMs) / callers.length)));
    while (running) {
      const start = Date.now();
      const cached = caller.cachedExpiry();
      let result: CallResult;
      try {
        result = await caller.call();
      } catch (error) {
        result = { ok: false, code: `threw ${(error as Error)?.name ?? "error"}` };
      }
      const end = Date.now();
      samples.push({
        ...result,
        caller: caller.name,
        kind: caller.kind,
        start,
        end,
        violation: !result.ok && cached !== undefined && cached > end,
      });
      const wait = intervalMs - (end - start);
      if (running && wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

/** Calls `check` every `everyMs` until it returns true or `timeoutMs` passes; resolves to the time it took. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20) {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
