import { afterEach, describe, expect, it } from "vitest";
import { createAuthenticatedFetch } from "../../src/mcp/authenticatedFetch.js";
import { countingSource, startFakeMcpServer } from "../helpers/fakeMcpServer.js";

describe("Function: createAuthenticatedFetch", () => {
  let server: Awaited<ReturnType<typeof startFakeMcpServer>> | undefined;
  afterEach(async () => {
    await server?.close();
  });
  const list = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });

  it("adds a bearer token to every request", async () => {
    server = await startFakeMcpServer();
    server.valid.add("t1");
    const f = createAuthenticatedFetch(countingSource());
    const res = await f(server.url, {
      method: "POST",
      body: list,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(server.seenTokens).toEqual(["t1"]);
  });

  it.each([401, 403] as const)(
    "on %i invalidates the rejected token, refetches and retries once",
    async (status) => {
      // Prepare
      server = await startFakeMcpServer({ rejectStatus: status });
      server.valid.add("t2");
      const source = countingSource();
      // Act
      const res = await createAuthenticatedFetch(source)(server.url, { method: "POST", body: list });
      // Assess
      expect(res.status).toBe(200);
      expect(source.invalidated).toEqual(["t1"]);
      expect(server.seenTokens).toEqual(["t1", "t2"]);
    },
  );

  it("retries only once: a second rejection is returned to the caller", async () => {
    server = await startFakeMcpServer();
    const source = countingSource();
    const res = await createAuthenticatedFetch(source)(server.url, { method: "POST", body: list });
    expect(res.status).toBe(401);
    expect(server.seenTokens).toEqual(["t1", "t2"]);
  });

  it("replays a Request object's body on the retry", async () => {
    server = await startFakeMcpServer();
    server.valid.add("t2");
    const res = await createAuthenticatedFetch(countingSource())(
      new Request(server.url, { method: "POST", body: list }),
    );
    expect(await res.json()).toMatchObject({ id: 1, result: { tools: [{ name: "echo" }] } });
  });
});
