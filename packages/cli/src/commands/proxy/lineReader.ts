/** One line of input, or the report that a line was too long (its bytes were discarded). */
export type Line = { line: string } | { tooLong: number };

/**
 * Splits a byte stream into lines (`\n`, with a trailing `\r` removed), keeping at most
 * `maxLineBytes` of one line in memory: the rest of an oversize line is skipped up to its newline
 * and reported once as `{ tooLong }`.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  for await (const raw of input) {
    let chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    for (;;) {
      const nl = chunk.indexOf(0x0a);
      const piece = nl === -1 ? chunk : chunk.subarray(0, nl);
      if (!skipping) {
        if (size + piece.length > maxLineBytes) {
          skipping = true;
          parts = [];
        } else {
          parts.push(piece);
          size += piece.length;
        }
      }
      if (nl === -1) break;
      if (skipping) {
        yield { tooLong: maxLineBytes };
      } else {
        let text = Buffer.concat(parts).toString("utf8");
        if (text.endsWith("\r")) text = text.slice(0, -1);
        yield { line: text };
      }
      parts = [];
      size = 0;
      skipping = false;
      chunk = chunk.subarray(nl + 1);
    }
  }
  if (skipping) yield { tooLong: maxLineBytes };
  else if (size > 0) {
    const text = Buffer.concat(parts).toString("utf8").replace(/\r$/, "");
    if (text.trim() !== "") yield { line: text };
  }
}
