import type { JsonRpcId } from "../../mcp/jsonRpc.js";

/**
 * The messages being forwarded, so that when stdin closes the proxy can wait for their answers
 * (bounded) and then tell the host which requests will never get one.
 */
export class InFlight {
  readonly #tasks = new Map<Promise<void>, readonly JsonRpcId[]>();

  /** Messages still being forwarded. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Tracks `task` (forwarding a message with these request ids) until it settles. */
  track(task: Promise<void>, requestIds: readonly JsonRpcId[]): void {
    this.#tasks.set(task, requestIds);
    void task.finally(() => this.#tasks.delete(task)).catch(() => {});
  }

  /**
   * Waits until every tracked task has settled, or `graceMs` milliseconds at most. Resolves to the
   * request ids still unanswered then (empty when everything settled in time).
   */
  async settle(graceMs: number): Promise<JsonRpcId[]> {
    if (this.#tasks.size === 0) return [];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    const all = Promise.allSettled([...this.#tasks.keys()]).then(() => false as const);
    const late = await Promise.race([all, timedOut]);
    clearTimeout(timer);
    return late ? [...this.#tasks.values()].flat() : [];
  }
}
