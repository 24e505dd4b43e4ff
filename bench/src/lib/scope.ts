/**
 * Everything a benchmark starts (servers, child processes, temporary directories) is registered here
 * and stopped in reverse order by {@link Scope.close}, on success, failure and timeout alike.
 */
export class Scope {
  readonly #closers: (() => Promise<void> | void)[] = [];
  #closed = false;

  /** Registers a closer; it runs once, in reverse registration order, when the scope closes. */
  defer(closer: () => Promise<void> | void): void {
    if (this.#closed) {
      void Promise.resolve()
        .then(closer)
        .catch(() => {});
      return;
    }
    this.#closers.push(closer);
  }

  /** Runs every closer (errors are swallowed: closing must always finish). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#closers.length > 0) {
      const closer = this.#closers.pop();
      try {
        await closer?.();
      } catch {
        // keep closing the rest
      }
    }
  }
}
