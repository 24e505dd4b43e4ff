import { describe, expect, it } from "vitest";
import { parseSse, SseEventTooLargeError } from "../../src/mcp/sse.js";

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

async function collect(chunks: string[], max = 1000) {
  const out = [];
  for await (const e of parseSse(stream(chunks), max)) out.push(e);
  return out;
}

describe("Function: parseSse", () => {
  it("parses events split across chunks, with ids, comments, multi-line data and CRLF", async () => {
    expect(
      await collect([": hi\r\nid: 7\r\nda", 'ta: {"a":\r\ndata: 1}\r\n\r', "\nevent: ping\ndata: x\n\n"]),
    ).toEqual([
      { event: "message", data: '{"a":\n1}', id: "7" },
      { event: "ping", data: "x", id: "7" },
    ]);
  });

  it("ignores events without data and reads retry", async () => {
    expect(await collect(["retry: 500\n\nid: 1\n\ndata: y\n\n"])).toEqual([
      { event: "message", data: "y", id: "1", retry: 500 },
    ]);
  });

  it("refuses an event larger than the bound", async () => {
    await expect(collect([`data: ${"x".repeat(50)}\n\n`], 20)).rejects.toBeInstanceOf(SseEventTooLargeError);
    await expect(collect(["x".repeat(50)], 20)).rejects.toBeInstanceOf(SseEventTooLargeError);
  });
});
