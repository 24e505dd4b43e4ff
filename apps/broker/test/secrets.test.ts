import { ManualClock } from "@mcp-token/core";
import { describe, expect, it } from "vitest";
import {
  createSecretsManagerProvider,
  parseClientCredentials,
  type SecretsManagerLike,
} from "../src/secrets.js";

const value = (secret: string) => JSON.stringify({ client_id: "cid", client_secret: secret, domain: "x" });

function fakeClient(script: (secretId: string, n: number) => string | Error) {
  const reads: string[] = [];
  const client: SecretsManagerLike = {
    async send(command) {
      const secretId = (command as { input: { SecretId: string } }).input.SecretId;
      reads.push(secretId);
      const out = script(secretId, reads.length);
      if (out instanceof Error) throw out;
      return { SecretString: out };
    },
  };
  return { client, reads };
}

function awsError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    ...(status && { $metadata: { httpStatusCode: status } }),
  });
}

describe("Function: createSecretsManagerProvider", () => {
  it("caches a secret for maxAgeSeconds, then reads it again", async () => {
    const clock = new ManualClock(1_000_000);
    const { client, reads } = fakeClient((_, n) => value(`secret-number-${n}`));
    const secrets = createSecretsManagerProvider({ client, clock, maxAgeSeconds: 10 });
    expect((await secrets.getClientCredentials("s1")).clientSecret).toBe("secret-number-1");
    clock.advance(9_000);
    expect((await secrets.getClientCredentials("s1")).clientSecret).toBe("secret-number-1");
    clock.advance(1_001);
    expect((await secrets.getClientCredentials("s1")).clientSecret).toBe("secret-number-2");
    expect(reads).toEqual(["s1", "s1"]);
  });

  it("bypasses the cache with forceFetch", async () => {
    const { client, reads } = fakeClient((_, n) => value(`secret-number-${n}`));
    const secrets = createSecretsManagerProvider({ client, clock: new ManualClock() });
    await secrets.getClientCredentials("s1");
    expect((await secrets.getClientCredentials("s1", { forceFetch: true })).clientSecret).toBe(
      "secret-number-2",
    );
    expect((await secrets.getClientCredentials("s1")).clientSecret).toBe("secret-number-2");
    expect(reads).toHaveLength(2);
  });

  it("shares one read among concurrent callers", async () => {
    const { client, reads } = fakeClient(() => value("shared-secret-value"));
    const secrets = createSecretsManagerProvider({ client, clock: new ManualClock() });
    await Promise.all(Array.from({ length: 50 }, () => secrets.getClientCredentials("s1")));
    expect(reads).toHaveLength(1);
  });

  it.each([
    [awsError("ResourceNotFoundException", 400), "not_found"],
    [awsError("AccessDeniedException", 400), "access_denied"],
    [awsError("ThrottlingException", 400), "unavailable"],
    [awsError("InternalServiceError", 500), "unavailable"],
    [awsError("TimeoutError"), "unavailable"],
  ])("classifies %s as %s", async (error, kind) => {
    const { client } = fakeClient(() => error);
    const secrets = createSecretsManagerProvider({ client, clock: new ManualClock() });
    await expect(secrets.getClientCredentials("s1")).rejects.toMatchObject({ name: "SecretReadError", kind });
  });
});

describe("Function: parseClientCredentials", () => {
  it("reads client_id and client_secret and ignores other keys", () => {
    expect(parseClientCredentials("s", value("abcdefgh"))).toEqual({
      clientId: "cid",
      clientSecret: "abcdefgh",
    });
  });

  it.each([
    [undefined, /has no SecretString/],
    ["not-json-but-secret-looking", /is not JSON/],
    [JSON.stringify({ client_id: "cid" }), /bad or missing: client_secret/],
    [
      JSON.stringify({ clientId: "cid", clientSecret: "hunter2-hunter2" }),
      /bad or missing: client_id, client_secret/,
    ],
  ])("refuses a malformed secret without quoting it (%#)", (raw, message) => {
    const error = (() => {
      try {
        parseClientCredentials("s", raw);
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a failure");
    })();
    expect(error).toMatchObject({ name: "SecretReadError", kind: "malformed" });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("not-json-but");
  });
});
