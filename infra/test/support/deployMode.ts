/** Deploys one stage against fresh Pulumi mocks (one mode per test file: vitest isolates files). */
import { parseStageConfig, type StageConfigInput } from "../../lib/stageConfig.js";
import { deployStage } from "../../stack.js";
import { stageInput } from "../fixtures.js";
import { ACCOUNT_ID, installPulumiMocks, type MockedPulumi, REGION } from "./pulumiMocks.js";

export async function deployMode(
  mcpServer: StageConfigInput["mcpServer"],
  extra: Partial<Pick<StageConfigInput, "awsOutboundIdentity" | "issuers" | "broker">> = {},
) {
  const mocks: MockedPulumi = installPulumiMocks();
  const stage = parseStageConfig(
    "test",
    stageInput({
      region: REGION,
      accountId: ACCOUNT_ID,
      broker: { profiles: { default: { allow: [`arn:aws:iam::${ACCOUNT_ID}:role/mcp-agent`] } } },
      mcpServer,
      ...extra,
    }),
  );
  const out = deployStage({
    app: { name: "mcp-token", stage: "test" },
    stage,
    production: false,
    root: "/repo",
  });
  // Every resource of this stack registers before these resolve.
  await mocks.resolve(out.invokePolicyArn);
  await mocks.resolve(out.brokerUrl);
  await new Promise((r) => setTimeout(r, 50));
  const types = () => mocks.resources.map((r) => r.type);
  return { mocks, out, types };
}
