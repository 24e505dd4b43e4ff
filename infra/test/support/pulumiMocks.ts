/**
 * Pulumi unit-test mocks for the infra modules (https://www.pulumi.com/docs/iac/concepts/testing/unit/).
 *
 * The modules use SST's globals (`aws`, `dockerbuild`, `$util`, `$interpolate`, `$resolve`, `sst`), so
 * this installs them: the real `@pulumi/*` packages from `.sst/platform/node_modules` (written by
 * `sst install`, which `npm run typecheck -w @mcp-token/infra` runs; turbo runs it before `test`), and
 * a recording stand-in for `sst.aws.Function` (SST components need the SST CLI to build code).
 * Every resource registration is recorded with its resolved inputs, so tests assert exact arguments.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PLATFORM_MODULES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../.sst/platform/node_modules",
);

export const ACCOUNT_ID = "111122223333";
export const REGION = "us-west-2";

/** One registered resource: Pulumi type token, logical name, resolved inputs. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** One `new sst.aws.Function(name, args)` call, args as given (may hold Outputs). */
export interface FunctionCall {
  name: string;
  args: Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the Pulumi SDK is loaded untyped from .sst/platform.
type Any = any;

export interface MockedPulumi {
  pulumi: Any;
  resources: Registered[];
  functions: FunctionCall[];
  /** Resolve an Output (or plain value) to its value. */
  resolve<T>(value: unknown): Promise<T>;
  /** Resources of one type, waiting (bounded) until at least `count` are registered. */
  ofType(type: string, count?: number): Promise<Registered[]>;
}

function stateFor(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
  switch (type) {
    case "aws:secretsmanager/secret:Secret":
      return { arn: arn("secretsmanager", `secret:${String(inputs.namePrefix ?? name)}0000-AbCdEf`) };
    case "aws:dynamodb/table:Table":
      return { arn: arn("dynamodb", `table/${name}-abc`), name: `${name}-abc` };
    case "aws:ecr/repository:Repository":
      return {
        arn: arn("ecr", `repository/${String(inputs.name)}`),
        registryId: ACCOUNT_ID,
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${String(inputs.name)}`,
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-abc`, name: `${name}-abc` };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${String(inputs.name ?? name)}` };
    case "aws:ssm/parameter:Parameter":
      return { arn: arn("ssm", `parameter${String(inputs.name)}`) };
    case "docker-build:index:Image":
      return { digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
    case "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime":
      return {
        agentRuntimeArn: arn("bedrock-agentcore", `runtime/${String(inputs.agentRuntimeName)}-AbCdEf1234`),
      };
    default:
      return {};
  }
}

/** Install Pulumi mocks and SST-like globals. Throws a helpful error if `sst install` has not run. */
export function installPulumiMocks(): MockedPulumi {
  if (!existsSync(path.join(PLATFORM_MODULES, "@pulumi", "aws"))) {
    throw new Error(
      `${PLATFORM_MODULES}/@pulumi/aws is missing: run "npm run typecheck -w @mcp-token/infra" first (it runs sst install)`,
    );
  }
  const require = createRequire(path.join(PLATFORM_MODULES, "index.js"));
  const pulumi: Any = require("@pulumi/pulumi");
  const resources: Registered[] = [];
  const functions: FunctionCall[] = [];

  pulumi.runtime.setMocks(
    {
      newResource(args: { type: string; name: string; inputs: Record<string, unknown> }) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, ...stateFor(args.type, args.name, args.inputs) },
        };
      },
      call(args: { token: string; inputs: Record<string, unknown> }) {
        switch (args.token) {
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
              accountId: ACCOUNT_ID,
              arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`,
              userId: "AIDA",
              id: ACCOUNT_ID,
            };
          case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {
              userName: "AWS",
              password: "mock-ecr-password",
              authorizationToken: "mock",
              proxyEndpoint: `https://${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com`,
              expiresAt: "2099-01-01T00:00:00Z",
              id: REGION,
            };
          default:
            return args.inputs;
        }
      },
    },
    "mcp-token",
    "test",
    false,
  );

  class RecordingFunction {
    readonly arn: Any;
    readonly name: Any;
    readonly url: Any;
    readonly nodes: Any;
    constructor(name: string, args: Record<string, unknown>) {
      functions.push({ name, args });
      // SST's Function exposes the role it creates as `nodes.role`.
      this.nodes = {
        role: { arn: pulumi.output(`arn:aws:iam::${ACCOUNT_ID}:role/mcp-token-test-${name}Role-abc`) },
      };
      this.name = pulumi.output(`mcp-token-test-${name}`);
      this.arn = pulumi.output(`arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:mcp-token-test-${name}`);
      this.url = pulumi.output("https://abcdefghij.lambda-url.us-west-2.on.aws/");
    }
  }

  const globals = globalThis as Any;
  globals.aws = require("@pulumi/aws");
  globals.dockerbuild = require("@pulumi/docker-build");
  globals.$util = pulumi;
  globals.$interpolate = pulumi.interpolate;
  globals.$resolve = (values: unknown) => pulumi.all(values);
  globals.sst = { aws: { Function: RecordingFunction } };

  const resolve = <T>(value: unknown): Promise<T> =>
    new Promise((done) => {
      pulumi.output(value).apply((v: T) => {
        done(v);
        return v;
      });
    });

  const ofType = async (type: string, count = 1): Promise<Registered[]> => {
    for (let i = 0; i < 500; i++) {
      const found = resources.filter((r) => r.type === type);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(
      `expected ${count} resource(s) of type ${type}; registered: ${resources.map((r) => r.type).join(", ")}`,
    );
  };

  return { pulumi, resources, functions, resolve, ofType };
}
