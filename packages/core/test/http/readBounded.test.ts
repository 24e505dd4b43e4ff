import { describe, expect, it } from "vitest";
import { BodyTooLargeError, readBoundedBytes, readBoundedText } from "../../src/http/readBounded.js";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

/** A stream that never ends: proves the reader stops at the bound instead of buffering forever. */
function endless(): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(1024).fill(120));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe("Function: readBoundedText", () => {
  it("reads a multi-chunk body up to exactly the bound", async () => {
    expect(await readBoundedText(streamOf("ab", "cd", "é"), 6)).toBe("abcdé");
  });

  it("reads a Response and an empty or missing body", async () => {
    expect(await readBoundedText(new Response("hello"), 5)).toBe("hello");
    expect(await readBoundedText(new Response(null), 5)).toBe("");
    expect(await readBoundedText(null, 5)).toBe("");
  });

  it("refuses a body one byte over the bound with a coded error", async () => {
    await expect(readBoundedText(streamOf("abc", "def"), 5)).rejects.toMatchObject({
      name: "BodyTooLargeError",
      code: "ERR_BODY_TOO_LARGE",
      limitBytes: 5,
    });
  });

  it("refuses a declared Content-Length over the bound before reading", async () => {
    const res = new Response(streamOf("x"), { headers: { "content-length": "999999" } });
    await expect(readBoundedText(res, 10)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it("stops an endless body at the bound and cancels it", async () => {
    const { stream, cancelled } = endless();
    await expect(readBoundedBytes(stream, 64 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(cancelled()).toBe(true);
  });
});
