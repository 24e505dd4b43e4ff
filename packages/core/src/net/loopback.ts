/**
 * Loopback hosts: the one definition every package uses to decide where plain `http:` is acceptable
 * (local issuers and brokers) and which Host headers a loopback-bound server answers to.
 */

/**
 * True for `localhost`, any `127.x.y.z` address and IPv6 `::1` (bracketed as in URLs, or bare as in
 * socket addresses). Host names are compared case-insensitively; ports must already be removed
 * (`URL.hostname` does that).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host === "[::1]" ||
    host === "::1" ||
    /^127\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(
      host,
    )
  );
}
