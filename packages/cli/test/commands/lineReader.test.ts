import { describe, expect, it } from "vitest";
import { readLines } from "../../src/commands/proxy/lineReader.js";

async function collect(chunks: string[], max = 10) {
  const out = [];
  for await (const line of readLines(
    (async function* () {
      for (const c of chunks) yield Buffer.from(c);
    })(),
    max,
  ))
    out.push(line);
  return out;
}

describe("Function: readLines", () => {
  it("splits lines across chunks and strips CR", async () => {
    expect(await collect(["ab", "c\r\nd", "e\nf"])).toEqual([{ line: "abc" }, { line: "de" }, { line: "f" }]);
  });

  it("reports an oversize line once, skips it to its newline, and carries on", async () => {
    expect(await collect(["0123456", "789abc", "def\nok\n"])).toEqual([{ tooLong: 10 }, { line: "ok" }]);
  });

  it("accepts a line of exactly the limit", async () => {
    expect(await collect(["0123456789\n"])).toEqual([{ line: "0123456789" }]);
  });
});
