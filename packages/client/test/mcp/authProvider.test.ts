import { type AuthProvider, Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createAuthProvider } from "../../src/mcp/authProvider.js";
import { countingSource, startFakeMcpServer } from "../helpers/fakeMcpServer.js";

describe("Function: createAuthProvider", () => {
  let server: Awaited<ReturnType<typeof startFakeMcpServer>> | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("is assignable to the MCP SDK v2 AuthProvider", () => {
    expectTypeOf(createAuthProvider(countingSource())).toMatchTypeOf<AuthProvider>();
  });

  it("lets the SDK client connect, and recovers from a 401 by invalidating and refetching once", async () => {
    // Prepare: the server accepts only the second token
    server = await startFakeMcpServer();
    server.valid.add("t2");
    const source = countingSource();
    const client = new Client({ name: "test", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      authProvider: createAuthProvider(source),
    });
    // Act
    await client.connect(transport);
    const { tools } = await client.listTools();
    await client.close();
    // Assess
    expect(tools.map((t) => t.name)).toEqual(["echo"]);
    expect(source.invalidated).toEqual(["t1"]);
    expect(server.seenTokens[0]).toBe("t1");
    expect(server.seenTokens.slice(1).every((t) => t === "t2")).toBe(true);
  });
});
