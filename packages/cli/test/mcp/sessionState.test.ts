import { describe, expect, it } from "vitest";
import type { JsonRpcMessage } from "../../src/mcp/jsonRpc.js";
import { type Handshake, ProxySession } from "../../src/mcp/sessionState.js";

const initialize: JsonRpcMessage = { jsonrpc: "2.0", id: 0, method: "initialize", params: { v: 1 } };
const initialized: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/initialized" };

function readySession(sessionId = "s1"): ProxySession {
  const session = new ProxySession();
  session.initializing(initialize);
  session.initialized({ sessionId, protocolVersion: "2025-06-18" });
  session.handshakeCompleted(initialized);
  return session;
}

describe("Class: ProxySession", () => {
  it("goes idle → initializing → ready, and sends session headers only when ready", () => {
    // Prepare
    const session = new ProxySession();
    expect(session.state).toEqual({ phase: "idle" });
    // Act
    session.initializing(initialize);
    const during = session.view();
    session.initialized({ sessionId: "s1", protocolVersion: "2025-06-18" });
    // Assess
    expect(during).toEqual({});
    expect(session.state).toMatchObject({ phase: "ready", sessionId: "s1", handshake: { initialize } });
    expect(session.view()).toEqual({ sessionId: "s1", protocolVersion: "2025-06-18" });
  });

  it("goes back to idle when the client's initialize fails", () => {
    const session = new ProxySession();
    session.initializing(initialize);
    session.initializeFailed();
    expect(session.state).toEqual({ phase: "idle" });
  });

  it("is ready without a session id for a stateless server", () => {
    const session = new ProxySession();
    session.initializing(initialize);
    session.initialized({ protocolVersion: "2025-06-18" });
    expect(session.view()).toEqual({ protocolVersion: "2025-06-18" });
  });

  it("replaces a lost session once for all its callers, replaying the handshake under a fresh id", async () => {
    // Prepare
    const session = readySession();
    const replays: Handshake[] = [];
    let finish: (() => void) | undefined;
    const replay = (h: Handshake) => {
      replays.push(h);
      return new Promise<{ sessionId: string }>((resolve) => (finish = () => resolve({ sessionId: "s2" })));
    };
    // Act: three requests lost s1 at once
    const all = Promise.all([1, 2, 3].map(() => session.replaceLost("s1", replay)));
    await Promise.resolve();
    const during = session.state;
    finish?.();
    await all;
    // Assess
    expect(during).toMatchObject({ phase: "reinitializing", lost: "s1" });
    expect(replays).toEqual([{ initialize: { ...initialize, id: "mcp-token-reinit-1" }, initialized }]);
    expect(session.state).toMatchObject({
      phase: "ready",
      sessionId: "s2",
      handshake: { initialize, initialized },
    });
  });

  it("does nothing for a caller whose lost session was already replaced", async () => {
    const session = readySession("s2");
    let called = false;
    await session.replaceLost("s1", async () => {
      called = true;
      return {};
    });
    expect(called).toBe(false);
    expect(session.state).toMatchObject({ phase: "ready", sessionId: "s2" });
  });

  it("returns to the lost session when the replay fails, so the next request may try again", async () => {
    // Prepare
    const session = readySession();
    // Act
    const error = await session
      .replaceLost("s1", async () => Promise.reject(new Error("down")))
      .catch((e) => e);
    // Assess
    expect((error as Error).message).toBe("down");
    expect(session.state).toMatchObject({ phase: "ready", sessionId: "s1" });
    await session.replaceLost("s1", async () => ({ sessionId: "s3" }));
    expect(session.state).toMatchObject({ phase: "ready", sessionId: "s3" });
  });

  it("lets the client's own initialize win over a replay that finishes later", async () => {
    // Prepare
    const session = readySession();
    let finish: (() => void) | undefined;
    const replaced = session.replaceLost(
      "s1",
      () => new Promise((resolve) => (finish = () => resolve({ sessionId: "stale" }))),
    );
    await Promise.resolve();
    // Act
    session.initializing({ ...initialize, id: 9 });
    session.initialized({ sessionId: "fresh" });
    finish?.();
    await replaced;
    // Assess
    expect(session.state).toMatchObject({ phase: "ready", sessionId: "fresh" });
  });

  it("keeps a session id the server changes on a later answer", () => {
    const session = readySession();
    session.sessionIdChanged("s9");
    expect(session.view().sessionId).toBe("s9");
  });

  it("is final once closed and hands back the session to end", () => {
    const session = readySession();
    expect(session.close()).toBe("s1");
    session.initializing(initialize);
    session.initialized({ sessionId: "s2" });
    expect(session.state).toEqual({ phase: "closed" });
    expect(session.close()).toBeUndefined();
  });

  it("orders the handshake: a later message waits until the handshake message is released", async () => {
    // Prepare
    const session = new ProxySession();
    const order: string[] = [];
    // Act
    const releaseInit = await session.turn(true);
    const later = session.turn(false).then((release) => {
      order.push("tools/call");
      release();
    });
    await new Promise((r) => setTimeout(r, 10));
    order.push("initialize done");
    releaseInit();
    await later;
    // Assess
    expect(order).toEqual(["initialize done", "tools/call"]);
  });
});
