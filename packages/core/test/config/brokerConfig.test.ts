import { describe, expect, it } from "vitest";
import { parseBrokerConfig } from "../../src/config/brokerConfig.js";
import { formatIssuePath } from "../../src/config/formatIssuePath.js";
import { ConfigError } from "../../src/errors/configError.js";

const A = "123456789012";

function profile(overrides: Record<string, unknown> = {}) {
  return {
    issuer: "https://example.us.auth0.com/",
    audience: "https://mcp.example.com/",
    secretId: `arn:aws:secretsmanager:us-west-2:${A}:secret:mcp-token/auth0-AbCdEf`,
    allow: [`arn:aws:iam::${A}:role/mcp-agent`],
    ...overrides,
  };
}

function configError(input: unknown): ConfigError {
  try {
    parseBrokerConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe("ERR_INVALID_CONFIG");
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("Function: parseBrokerConfig", () => {
  it("accepts the ARCHITECTURE.md example and applies defaults", () => {
    const config = parseBrokerConfig({
      profiles: {
        default: profile({
          scopes: ["invoke"],
          requestStyle: "auth0",
          allow: [
            `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_*/*`,
            `arn:aws:iam::${A}:role/mcp-agent`,
          ],
          minTtlSeconds: 300,
        }),
        minimal: profile({ issuer: "https://tenant.auth0.com" }),
      },
    });
    expect(config.profiles.default?.scopes).toEqual(["invoke"]);
    expect(config.profiles.minimal).toMatchObject({
      issuer: "https://tenant.auth0.com/",
      scopes: [],
      requestStyle: "auth0",
      minTtlSeconds: 300,
    });
  });

  it("accepts a JSON string", () => {
    expect(
      parseBrokerConfig(JSON.stringify({ profiles: { default: profile() } })).profiles.default?.audience,
    ).toBe("https://mcp.example.com/");
  });

  it.each([
    ["https://kc.example.com/realms/mcp", "https://kc.example.com/realms/mcp/"],
    ["http://localhost:4000", "http://localhost:4000/"],
    ["http://127.0.0.1:4000/", "http://127.0.0.1:4000/"],
    ["http://[::1]:4000/x", "http://[::1]:4000/x/"],
  ])("normalises issuer %s to %s", (issuer, expected) => {
    expect(parseBrokerConfig({ profiles: { p: profile({ issuer }) } }).profiles.p?.issuer).toBe(expected);
  });

  it.each([
    [{ issuer: "http://example.com/" }, "profiles.default.issuer", /https: URL/],
    [{ issuer: "not a url" }, "profiles.default.issuer", /absolute URL/],
    [{ issuer: "https://u:p@example.com/" }, "profiles.default.issuer", /without credentials/],
    [{ issuer: "https://example.com/?x=1" }, "profiles.default.issuer", /query/],
    [{ issuer: 42 }, "profiles.default.issuer", /issuer URL string/],
    [{ audience: "" }, "profiles.default.audience", /non-empty audience/],
    [{ secretId: "" }, "profiles.default.secretId", /Secrets Manager/],
    [{ requestStyle: "basic" }, "profiles.default.requestStyle", /"auth0", "oauth2" or "cognito"/],
    [{ scopes: ["ok", "not ok"] }, "profiles.default.scopes[1]", /scope token/],
    [{ allow: [] }, "profiles.default.allow", /at least one IAM ARN pattern/],
    [{ allow: "arn" }, "profiles.default.allow", /array of IAM ARN patterns/],
    [
      { allow: [`arn:aws:iam::${A}:role/a`, `arn:aws:iam::${A}:role/b`, "arn:aws:iam::role/x"] },
      "profiles.default.allow[2]",
      /^expected an IAM ARN pattern, got "arn:aws:iam::role\/x"/,
    ],
    [{ allow: ["arn:aws:iam::12345678901*:role/Dev"] }, "profiles.default.allow[0]", /12 literal digits/],
    [{ minTtlSeconds: -1 }, "profiles.default.minTtlSeconds", /./],
    [{ minTtlSeconds: 1.5 }, "profiles.default.minTtlSeconds", /./],
    [
      { alow: [] },
      "profiles.default.alow",
      /^unknown key; allowed keys are issuer, audience, secretId, expectedClientId, scopes, requestStyle, allow, minTtlSeconds, allowCallerChosenNames, allowedTokenEndpointOrigins, identity$/,
    ],
  ])("rejects %j at %s", (overrides, path, message) => {
    const err = configError({ profiles: { default: profile(overrides) } });
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(err.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(err.message).toContain(`${path}: `);
  });

  it("reports a missing field with its path", () => {
    const { issuer: _drop, ...rest } = profile();
    expect(configError({ profiles: { default: rest } }).issues).toEqual([
      { path: "profiles.default.issuer", message: expect.stringMatching(/issuer URL/) },
    ]);
  });

  it("rejects unknown top-level keys and bad profile names with bracketed paths", () => {
    const err = configError({ profiles: { "my profile": profile() }, extra: 1 });
    expect(err.issues).toEqual(
      expect.arrayContaining([
        { path: "extra", message: "unknown key; allowed keys are profiles, issuanceBudget" },
        {
          path: "profiles['my profile']",
          message: expect.stringMatching(/^invalid profile name: expected a profile name/),
        },
      ]),
    );
  });

  it("collects every issue, not only the first", () => {
    const err = configError({
      profiles: { a: profile({ audience: "" }), b: profile({ allow: ["x"], issuer: "ftp://x" }) },
    });
    expect(err.issues.map((i) => i.path).sort()).toEqual([
      "profiles.a.audience",
      "profiles.b.allow[0]",
      "profiles.b.issuer",
    ]);
    expect(err.message).toMatch(/^Invalid broker configuration \(3 issues\): /);
  });

  it.each([
    [undefined, "", /./],
    [[], "", /./],
    [{}, "profiles", /./],
    [{ profiles: {} }, "profiles", /at least one profile/],
    [{ profiles: [] }, "profiles", /object of profiles/],
  ])("rejects the document %j", (input, path, message) => {
    const err = configError(input);
    expect(err.issues[0]).toMatchObject({ path });
    expect(err.issues[0]?.message).toMatch(message);
  });

  it("rejects malformed JSON text without echoing it", () => {
    const err = configError('{"profiles": secret-stuff');
    expect(err.issues).toEqual([{ path: "", message: "not valid JSON" }]);
    expect(err.message).toBe("Invalid broker configuration (1 issue): (root): not valid JSON");
    expect(err.message).not.toContain("secret-stuff");
  });
});

describe("Function: formatIssuePath", () => {
  it.each([
    [[], ""],
    [["profiles", "default", "allow", 2], "profiles.default.allow[2]"],
    [["profiles", "my profile"], "profiles['my profile']"],
    [["profiles", "a.b", "x"], "profiles['a.b'].x"],
    [["profiles", "it's"], "profiles['it\\'s']"],
    [[0, "a"], "[0].a"],
    [["$ok", "_x1"], "$ok._x1"],
    [[Symbol("s")], "['Symbol(s)']"],
  ] as const)("formats %j as %s", (path, expected) => {
    expect(formatIssuePath(path)).toBe(expected);
  });
});

describe("Function: parseBrokerConfig (issue 14: caller-chosen names, issuance budget, token endpoints)", () => {
  it("refuses a session name under a wildcard role, naming the path, the reason and the opt-in", () => {
    // Prepare
    const input = {
      profiles: {
        default: profile({
          allow: [`arn:aws:iam::${A}:role/mcp-agent`, `arn:aws:sts::${A}:assumed-role/*/alice`],
        }),
      },
    };
    // Act
    const error = configError(input);
    // Assess
    expect(error.issues).toEqual([
      {
        path: "profiles.default.allow[1]",
        message: `"arn:aws:sts::${A}:assumed-role/*/alice" it trusts a session name under a wildcard role; whoever can assume any matching role chooses the session name, so it does not identify a caller; use a role or user ARN, or an IAM Identity Center role session, or set "allowCallerChosenNames": true on the profile to accept it`,
      },
    ]);
  });

  it("refuses federated-user patterns and accepts them only with allowCallerChosenNames", () => {
    const allow = [`arn:aws:sts::${A}:federated-user/alice`];
    expect(configError({ profiles: { p: profile({ allow }) } }).issues[0]).toMatchObject({
      path: "profiles.p.allow[0]",
      message: expect.stringContaining(
        "federated-user name, which whoever calls sts:GetFederationToken chooses",
      ),
    });
    const config = parseBrokerConfig({ profiles: { p: profile({ allow, allowCallerChosenNames: true }) } });
    expect(config.profiles.p?.allow).toEqual(allow);
  });

  it("accepts IAM Identity Center session names, which Identity Center sets", () => {
    const allow = [`arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Developer_0a1b2c3d/alice@example.com`];
    expect(
      parseBrokerConfig({ profiles: { p: profile({ allow }) } }).profiles.p?.allowCallerChosenNames,
    ).toBe(false);
  });

  it("defaults the issuance budget to 60 per hour and validates it with full paths", () => {
    expect(parseBrokerConfig({ profiles: { p: profile() } }).issuanceBudget).toEqual({
      max: 60,
      windowSeconds: 3600,
    });
    expect(
      parseBrokerConfig({ profiles: { p: profile() }, issuanceBudget: { max: 5 } }).issuanceBudget,
    ).toEqual({ max: 5, windowSeconds: 3600 });
    expect(configError({ profiles: { p: profile() }, issuanceBudget: { max: 0 } }).issues[0]?.path).toBe(
      "issuanceBudget.max",
    );
    expect(
      configError({ profiles: { p: profile() }, issuanceBudget: { windowSeconds: 1.5 } }).issues[0]?.path,
    ).toBe("issuanceBudget.windowSeconds");
  });

  it("takes allowedTokenEndpointOrigins as origins only", () => {
    const ok = parseBrokerConfig({
      profiles: { p: profile({ allowedTokenEndpointOrigins: ["https://login.example.com"] }) },
    });
    expect(ok.profiles.p?.allowedTokenEndpointOrigins).toEqual(["https://login.example.com/"]);
    expect(
      configError({
        profiles: { p: profile({ allowedTokenEndpointOrigins: ["https://login.example.com/oauth/token"] }) },
      }).issues[0],
    ).toMatchObject({
      path: "profiles.p.allowedTokenEndpointOrigins[0]",
      message: expect.stringContaining("origin"),
    });
    expect(
      configError({ profiles: { p: profile({ allowedTokenEndpointOrigins: ["http://evil.example.com"] }) } })
        .issues[0]?.path,
    ).toBe("profiles.p.allowedTokenEndpointOrigins[0]");
  });
});

describe("Profile requestStyle: cognito", () => {
  const cognito = (extra: Record<string, unknown>) => ({
    issuer: "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123",
    audience: "mcp",
    secretId: "mcp-token/cognito",
    requestStyle: "cognito",
    scopes: ["mcp/invoke"],
    allowedTokenEndpointOrigins: ["https://acme.auth.us-west-2.amazoncognito.com"],
    allow: [`arn:aws:iam::${A}:role/mcp-agent`],
    ...extra,
  });

  it("accepts a user pool issuer with resource-server scopes", () => {
    expect(parseBrokerConfig({ profiles: { c: cognito({}) } }).profiles.c?.requestStyle).toBe("cognito");
  });

  it("names the user pool domain used as issuer and unprefixed scopes", () => {
    const issues = configError({
      profiles: {
        c: cognito({
          issuer: "https://acme.auth.us-west-2.amazoncognito.com/",
          scopes: ["invoke", "mcp/read"],
        }),
      },
    }).issues;
    expect(issues).toEqual([
      {
        path: "profiles.c.issuer",
        message: expect.stringContaining("is the user pool's domain (its token endpoint)"),
      },
      { path: "profiles.c.scopes[0]", message: expect.stringContaining('expected "mcp/…"') },
    ]);
  });
});
