import { describe, expect, it } from "vitest";
import { readEventStream, type StreamCursor } from "../../src/mcp/eventStream.js";
import type { JsonRpcMessage } from "../../src/mcp/jsonRpc.js";
import { memoryLogger } from "../support/io.js";

function body(text: string): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      // Left open, as a live stream would be: only the reader's decision ends it.
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

const event = (data: unknown, extra = "") => `${extra}data: ${JSON.stringify(data)}\n\n`;

describe("Function: readEventStream", () => {
  it("delivers every JSON-RPC message, batches included, and drops what is not JSON-RPC with a warning", async () => {
    // Prepare
    const log = memoryLogger();
    const got: JsonRpcMessage[] = [];
    const { stream } = body(
      event({ jsonrpc: "2.0", method: "notifications/progress" }) +
        "data: not json\n\n" +
        event([{ jsonrpc: "2.0", id: 1, result: {} }, { hello: "world" }]) +
        "event: ping\ndata: {}\n\n" +
        event({ jsonrpc: "2.0", id: 2, result: {} }),
    );
    let answered = 0;
    // Act
    await readEventStream(stream, {
      maxEventBytes: 1000,
      log,
      onMessage: (m) => {
        got.push(m);
        if (m.id !== undefined) answered++;
      },
      isComplete: () => answered === 2,
    });
    // Assess
    expect(got.map((m) => m.method ?? m.id)).toEqual(["notifications/progress", 1, 2]);
    expect(log.lines).toEqual([
      "mcp-token warn: dropped a server-sent event that is not JSON",
      "mcp-token warn: dropped a server message that is not JSON-RPC 2.0",
    ]);
  });

  it("stops reading and releases the stream once the answer is complete", async () => {
    const { stream, cancelled } = body(event({ jsonrpc: "2.0", id: 1, result: {} }));
    await readEventStream(stream, {
      maxEventBytes: 1000,
      log: memoryLogger(),
      onMessage: () => {},
      isComplete: () => true,
    });
    expect(cancelled()).toBe(true);
  });

  it("keeps the last event id and the server's retry (clamped) for a reconnection", async () => {
    // Prepare
    const cursor: StreamCursor = { retryMs: 1000 };
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(
          new TextEncoder().encode(`retry: 5\n${event({ jsonrpc: "2.0", method: "a" }, "id: e7\n")}`),
        );
        c.close();
      },
    });
    // Act
    await readEventStream(stream, { maxEventBytes: 1000, log: memoryLogger(), onMessage: () => {}, cursor });
    // Assess
    expect(cursor).toEqual({ retryMs: 100, lastEventId: "e7" });
  });
});
