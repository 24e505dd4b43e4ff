/**
 * Time source in epoch milliseconds. Structurally identical to `Clock` of `@mcp-token/core`, so
 * core's `ManualClock` can be passed in tests.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
