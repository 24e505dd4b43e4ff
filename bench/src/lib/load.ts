/**
 * HTTP load with autocannon, bounded in time: a fixed number of connections for a fixed duration,
 * against loopback only. A run with any error or non-2xx answer is reported as such, never averaged in.
 */
import autocannon from "autocannon";

/** One autocannon run. */
export interface LoadOptions {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
}

/** What a run measured. Latencies in milliseconds. */
export interface LoadResult {
  /** Successful (2xx) responses per second over the run. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  durationSeconds: number;
}

/** Runs autocannon once; refuses anything but loopback targets. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const host = new URL(opts.url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") {
    throw new Error(`load runs only against loopback, not ${host}`);
  }
  const instance = autocannon({
    url: opts.url,
    method: opts.method,
    headers: opts.headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    connections: opts.connections,
    duration: opts.durationSeconds,
    timeout: 10,
  });
  // Bounded even if autocannon misbehaves: stop it a few seconds after its own deadline.
  const guard = setTimeout(() => instance.stop(), (opts.durationSeconds + 10) * 1000);
  try {
    const r = await instance;
    const ok = r["2xx"];
    return {
      requestsPerSecond: r.duration > 0 ? ok / r.duration : 0,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      ok,
      non2xx: r.non2xx,
      errors: r.errors,
      durationSeconds: r.duration,
    };
  } finally {
    clearTimeout(guard);
  }
}

/** "N non-2xx, M errors" when a run had failures, for notes. */
export function failuresOf(r: LoadResult): string | undefined {
  if (r.non2xx === 0 && r.errors === 0) return undefined;
  return `${r.non2xx} non-2xx and ${r.errors} connection errors`;
}
