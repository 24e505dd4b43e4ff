/**
 * Bearer-token fuzzing against the MCP server's `jwt` authenticator (AgentCore's custom JWT authorizer,
 * reproduced): a genuine RFC 9068 token from the testkit issuer is mutated (header and payload JSON
 * re-encoded with changed claims, algorithm confusion, `alg: none`, attacker keys, a foreign issuer's
 * token, signature bit flips, broken structure, scheme variants) and sent to `POST /mcp` in-process.
 *
 * Properties: only a header that denotes the genuine token byte for byte is accepted; every other one
 * is refused with 401/403, a `WWW-Authenticate: Bearer resource_metadata=…` challenge and a JSON-RPC
 * error body; never a 5xx; heap bounded; the genuine token still works afterwards.
 */
import type { LocalIssuer } from "@mcp-token/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeakAudit } from "../../src/audit/leakAudit.js";
import { writeResult } from "../../src/figures/results.js";
import { denotesGenuine, mutatedBearer, type TokenMaterial } from "../../src/fuzz/jwtMutations.js";
import { issuerToken, type McpAppFixture, startMcpApp } from "../../src/fuzz/mcpApp.js";
import { fuzzParameters } from "../../src/fuzz/params.js";
import { randomClientSecret, startSuiteIssuer } from "../../src/stack/brokerStack.js";
import { heapAfterGc, mib } from "../../src/stats/heap.js";
import { Histogram } from "../../src/stats/histogram.js";

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 10_000);
const audit = new LeakAudit("fuzz-bearer");
let fx: McpAppFixture;
let foreign: LocalIssuer;
let material: TokenMaterial;
const verdicts = new Histogram();
const reasons = new Histogram();
const kinds = new Histogram();
const figures: Record<string, unknown> = {};
const BODY = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });

beforeAll(async () => {
  fx = await startMcpApp(audit);
  const foreignSecret = randomClientSecret();
  audit.sensitive(foreignSecret);
  foreign = await startSuiteIssuer({ ttlSeconds: 3600, clientSecret: foreignSecret });
  const foreignToken = await issuerToken(foreign, foreignSecret);
  audit.sensitive(foreignToken);
  const jwksText = await (await fetch(fx.issuer.jwksUri)).text();
  material = { token: fx.token, foreignToken, jwksText };
});

afterAll(async () => {
  await Promise.allSettled([fx?.close(), foreign?.close()]);
  const scan = audit.scan();
  writeResult("fuzz-bearer", "fuzz", "test/fuzz/bearer.test.ts", {
    surface: "bearer tokens against the MCP server's jwt authenticator (POST /mcp in-process)",
    ...figures,
    verdicts: verdicts.toJSON(),
    refusalReasons: reasons.toJSON(),
    mutationKinds: kinds.toJSON(),
    logLines: scan.lines,
    leaks: scan.leaks.length,
  });
});

async function send(authorization: string) {
  const headers = new Headers({
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  });
  try {
    headers.set("authorization", authorization);
  } catch {
    return undefined; // not sendable as an HTTP header value
  }
  return fx.app.handle(new Request("http://127.0.0.1:8000/mcp", { method: "POST", headers, body: BODY }));
}

describe("bearer token fuzzing", () => {
  it("accepts the genuine token", async () => {
    const handled = await send(`Bearer ${fx.token}`);
    expect(handled?.response.status).toBe(200);
  });

  it(`refuses ${RUNS} mutated tokens with 401/403 and a challenge, accepting only the genuine bytes`, async () => {
    const baseline = heapAfterGc();
    const started = Date.now();
    let unsendable = 0;
    await fc.assert(
      fc.asyncProperty(mutatedBearer(material), async (m) => {
        kinds.add(m.kind);
        const handled = await send(m.authorization);
        if (!handled) {
          unsendable++;
          verdicts.add("not a valid HTTP header value (refused by any HTTP stack)");
          return;
        }
        const res = handled.response;
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${m.kind}: ${res.status} ${text.slice(0, 200)}`);
        if (res.status === 200) {
          if (!denotesGenuine(m.authorization, material.token))
            throw new Error(`${m.kind}: a mutated token was accepted`);
          verdicts.add("accepted (same bytes as the genuine token)");
          return;
        }
        if (res.status !== 401 && res.status !== 403) throw new Error(`${m.kind}: status ${res.status}`);
        const challenge = res.headers.get("www-authenticate") ?? "";
        if (!challenge.startsWith("Bearer resource_metadata="))
          throw new Error(`${m.kind}: challenge ${challenge}`);
        const body = JSON.parse(text) as { error?: { code?: number } };
        if (body.error?.code !== -32001) throw new Error(`${m.kind}: body ${text.slice(0, 200)}`);
        verdicts.add(`refused ${res.status}`);
        reasons.add(handled.authReason ?? "unknown");
      }),
      fuzzParameters(RUNS),
    );
    const durationMs = Date.now() - started;
    const after = heapAfterGc();
    const healthy = await send(`Bearer ${fx.token}`);
    Object.assign(figures, {
      cases: RUNS,
      handled: RUNS,
      crashes: 0,
      serverErrors: 0,
      acceptedMutations: 0,
      unsendable,
      durationMs,
      heapBaselineMiB: mib(baseline),
      heapAfterMiB: mib(after),
      heapBoundMiB: mib(baseline + 32 * 1024 * 1024),
      healthyAfter: healthy?.response.status === 200,
    });
    expect(after).toBeLessThan(baseline + 32 * 1024 * 1024);
    expect(healthy?.response.status).toBe(200);
  });

  it("never writes a token or a client secret to a log", () => {
    expect(audit.scan().leaks).toEqual([]);
  });
});
