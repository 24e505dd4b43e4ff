/**
 * Wildcard matching for one `:`-free segment: `*` matches any run of characters (including none);
 * every other character, including regex metacharacters, is literal. Iterative with single-star
 * backtracking: O(pattern × text) in the worst case, never exponential, no RegExp built from input.
 */
export function globMatchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && pc !== 42 /* * */ && pc === text.charCodeAt(t)) {
      p++;
      t++;
    } else if (p < pattern.length && pc === 42) {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * Match a whole ARN against a pattern where `*` never crosses `:` or `/`: both are split on `:` and
 * then on `/`, must have the same number of fields and segments, and each segment is matched with
 * {@link globMatchSegment}.
 */
export function globMatchArn(pattern: string, arn: string): boolean {
  const ps = pattern.split(/[:/]/);
  const as = arn.split(/[:/]/);
  if (ps.length !== as.length) return false;
  for (let i = 0; i < ps.length; i++) {
    if (!globMatchSegment(ps[i] as string, as[i] as string)) return false;
  }
  return true;
}
