/**
 * The per-principal issuance budget: how many tokens one principal's requests may make this broker
 * instance issue upstream within a sliding window (`issuanceBudget` in the broker configuration).
 *
 * Cache hits cost nothing; only a request that makes the broker call the issuer takes a slot. Without
 * a bound, a caller cycling scope subsets (a new cache key each time) or asking for more remaining
 * lifetime than any cached token has would make the broker issue a metered Auth0 token on nearly every
 * request (Auth0's free plan blocks issuance after about 1,000 M2M tokens a month). When the budget is
 * spent the broker answers 429 `rate_limited` with `Retry-After` and does not call the issuer.
 *
 * The budget is per instance (memory): Lambda scale-out multiplies it by the number of warm instances,
 * which reserved concurrency bounds. At most {@link MAX_TRACKED_PRINCIPALS} principals are tracked; the
 * one seen longest ago is dropped first.
 */
import { BrokerError, type Clock, type IssuanceBudgetConfig } from "@mcp-token/core";

/** Most principals whose recent issuances are remembered. */
export const MAX_TRACKED_PRINCIPALS = 10_000;

/** Takes issuance slots per principal. */
export interface IssuanceBudget {
  /**
   * Takes one slot for `principalKey`, or throws `rate_limited` (429) with `retryAfterSeconds` until the
   * oldest issuance in the window leaves it.
   */
  take(principalKey: string): void;
}

/** Creates a sliding-window budget of `config.max` issuances per `config.windowSeconds` per principal. */
export function createIssuanceBudget(config: IssuanceBudgetConfig, clock: Clock): IssuanceBudget {
  const windowMs = config.windowSeconds * 1000;
  /** Issuance times (epoch ms, oldest first) by principal, in order of last use. */
  const recent = new Map<string, number[]>();
  return {
    take(principalKey) {
      const now = clock.now();
      const times = (recent.get(principalKey) ?? []).filter((t) => now - t < windowMs);
      recent.delete(principalKey);
      if (times.length >= config.max) {
        recent.set(principalKey, times);
        const oldest = times[0] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        throw new BrokerError(
          "rate_limited",
          `This caller made the broker issue ${config.max} tokens in the last ${config.windowSeconds} s, its issuance budget; ` +
            `cached tokens are still served, new ones again after ${retryAfterSeconds} s. Request the same scopes each time ` +
            "and a minTtlSeconds well below the token lifetime.",
          { retryAfterSeconds },
        );
      }
      times.push(now);
      recent.set(principalKey, times);
      if (recent.size > MAX_TRACKED_PRINCIPALS) {
        const first = recent.keys().next();
        if (!first.done) recent.delete(first.value);
      }
    },
  };
}

/**
 * The key a principal's budget is kept under: the session-independent principal (a role, not its
 * sessions, since session names are the caller's choice and could be varied to get fresh budgets),
 * except for IAM Identity Center role sessions, whose session names are set by Identity Center and
 * name one person each.
 */
export function budgetKey(principal: { arn: string; normalized: string }): string {
  return principal.arn.includes(":assumed-role/AWSReservedSSO_") ? principal.arn : principal.normalized;
}
