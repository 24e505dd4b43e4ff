import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface Message {
  jsonrpc: "2.0";
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
}

/** A request as the fake server saw it. */
export interface SeenHttp {
  method: string;
  headers: IncomingMessage["headers"];
  body: Message | Message[] | undefined;
}

/**
 * A stateful Streamable HTTP MCP endpoint for proxy tests (the real apps/mcp-server is stateless):
 * sessions that can be expired (→ 404), JSON and SSE answers, a GET stream for server-initiated
 * messages, DELETE, and a bearer check that accepts only tokens in `valid`.
 */
export async function startFakeMcpServer(opts: { rejectStatus?: 401 | 403 } = {}) {
  const valid = new Set<string>(["t1"]);
  const sessions = new Set<string>();
  const seen: SeenHttp[] = [];
  const streams = new Set<ServerResponse>();
  let nextSession = 0;
  const failures: { method: string; status: number; headers: Record<string, string>; message: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? (JSON.parse(text) as Message | Message[]) : undefined;
    seen.push({ method: req.method ?? "", headers: req.headers, body });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (!valid.has(token)) {
      res.writeHead(opts.rejectStatus ?? 401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "invalid token" } }),
      );
      return;
    }
    const failure = failures.findIndex((f) => f.method === req.method);
    if (failure !== -1) {
      const { status, headers, message } = failures.splice(failure, 1)[0] as (typeof failures)[number];
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message } }));
      return;
    }
    const session = req.headers["mcp-session-id"] as string | undefined;
    if (req.method === "DELETE") {
      if (session) sessions.delete(session);
      res.writeHead(200).end();
      return;
    }
    if (req.method === "GET") {
      if (!session || !sessions.has(session)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": open\n\n");
      streams.add(res);
      res.on("close", () => streams.delete(res));
      return;
    }
    const messages = Array.isArray(body) ? body : body ? [body] : [];
    const init = messages.find((m) => m.method === "initialize");
    if (init) {
      const id = `session-${++nextSession}`;
      sessions.add(id);
      res.writeHead(200, { "content-type": "application/json", "mcp-session-id": id });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: init.id,
          result: {
            protocolVersion: "2025-06-18",
            capabilities: { tools: {} },
            serverInfo: { name: "fake", version: "1" },
          },
        }),
      );
      return;
    }
    if (!session) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: null,
          error: { code: -32000, message: "Bad Request: missing session" },
        }),
      );
      return;
    }
    if (!sessions.has(session)) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }),
      );
      return;
    }
    const requests = messages.filter((m) => m.method && m.id !== undefined);
    if (requests.length === 0) {
      res.writeHead(202).end();
      return;
    }
    const request = requests[0] as Message;
    const tool = (request.params as { name?: string } | undefined)?.name;
    if (tool === "progress") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } })}\n\n`,
      );
      res.write(
        `id: e1\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: request.id, result: { content: [] } })}\n\n`,
      );
      res.end();
      return;
    }
    const result =
      request.method === "tools/list"
        ? {
            tools: [
              { name: "safe", annotations: { readOnlyHint: true } },
              { name: "unsafe", annotations: {} },
            ],
          }
        : { echo: request.method };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", id: request.id, result }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    valid,
    seen,
    sessions,
    /**
     * Answers the next authorised `method` request with `status`, `headers` and a JSON-RPC error
     * (`message`, default "failed with <status>") instead of serving it.
     */
    failNext(method: "GET" | "POST", status: number, headers: Record<string, string> = {}, message?: string) {
      failures.push({ method, status, headers, message: message ?? `failed with ${status}` });
    },
    /** Forget every session (as a restarted server would). */
    expireSessions: () => sessions.clear(),
    /** Sends a message to every open GET stream. */
    push(message: unknown) {
      for (const s of streams) s.write(`data: ${JSON.stringify(message)}\n\n`);
      return streams.size;
    },
    openStreams: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A token source stand-in handing out t1, t2, … and recording invalidations. */
export function countingTokens() {
  let n = 1;
  const invalidated: (string | undefined)[] = [];
  return {
    invalidated,
    async getToken() {
      return `t${n}`;
    },
    async invalidate(rejected?: string) {
      invalidated.push(rejected);
      if (rejected === undefined || rejected === `t${n}`) n++;
    },
  };
}
