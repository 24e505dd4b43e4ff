/**
 * Text that came from the network (a broker's `error_description`, an issuer's message, an AWS error
 * body) is shown to people in terminals and written to logs. Control characters in it could move the
 * cursor, rewrite earlier lines, change colours or the window title (ANSI/OSC escape sequences), forge
 * log lines (newlines), or reorder what is displayed (Unicode bidirectional overrides).
 *
 * {@link toPrintable} removes whole escape sequences and replaces every other control character with a
 * space: C0 (U+0000–U+001F, including tab and newline), DEL (U+007F), C1 (U+0080–U+009F) and the bidi
 * embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). Everything else is kept.
 * Hand-written because no small, well-kept library does exactly this without terminal-specific
 * assumptions (strip-ansi keeps newlines and C1, which is what we must not print).
 */

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL | ESC \\`) and two-character `ESC x` sequences. */
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])?|\x9b[0-?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with escape sequences removed and other control characters replaced by spaces, cut to
 * `maxLength` characters (with `…`) when given.
 *
 * @example toPrintable("denied\x1b[2J\nfake line") // "denied fake line"
 */
export function toPrintable(text: string, maxLength?: number): string {
  const clean = String(text).replace(ESCAPE_SEQUENCE, "").replace(CONTROL, " ");
  if (maxLength === undefined || clean.length <= maxLength) return clean;
  return `${clean.slice(0, maxLength)}…`;
}
