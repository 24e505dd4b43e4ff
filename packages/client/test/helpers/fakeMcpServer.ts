import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A minimal JSON-response MCP endpoint for client-side auth tests: accepts only tokens in `valid`,
 * answers 401 (or `rejectStatus`) otherwise, and replies to initialize and tools/list.
 */
export async function startFakeMcpServer(opts: { rejectStatus?: 401 | 403 } = {}) {
  const valid = new Set<string>();
  const seenTokens: string[] = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    seenTokens.push(token);
    if (!valid.has(token)) {
      res.writeHead(opts.rejectStatus ?? 401, { "www-authenticate": 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ error: "invalid_token" }));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const message = JSON.parse(body) as { id?: number; method: string };
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result =
      message.method === "initialize"
        ? {
            protocolVersion: "2025-06-18",
            capabilities: { tools: {} },
            serverInfo: { name: "fake", version: "1" },
          }
        : message.method === "tools/list"
          ? { tools: [{ name: "echo", inputSchema: { type: "object" } }] }
          : {};
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    valid,
    seenTokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A token source stand-in that hands out `t1`, `t2`, … and records invalidations. */
export function countingSource() {
  let n = 1;
  const invalidated: (string | undefined)[] = [];
  return {
    invalidated,
    current: () => `t${n}`,
    async getToken() {
      return `t${n}`;
    },
    async invalidate(rejected?: string) {
      invalidated.push(rejected);
      if (rejected === undefined || rejected === `t${n}`) n++;
    },
  };
}
