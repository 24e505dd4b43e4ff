/**
 * The Auth0 M2M client secret: `{ "client_id", "client_secret" }` in Secrets Manager.
 *
 * Created **empty** (no `SecretVersion`), so the value never passes through Pulumi state or this
 * repository; it is set out of band with `aws secretsmanager put-secret-value` (docs/DEPLOY.md).
 * Or, with `secret.arn` in the stage, an existing secret is used as is and nothing is created.
 *
 * A created secret gets a resource policy (`lib/policies.ts`, `secretResourcePolicy`) that denies
 * `GetSecretValue` to everyone but the broker's role and the optional break-glass role. An existing
 * secret keeps the resource policy it has (replacing someone else's policy could lock out its other
 * readers): docs/DEPLOY.md gives the statement to add to it.
 */
import { secretResourcePolicy } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";

export interface Auth0Secret {
  /** Complete ARN of the secret. */
  arn: $util.Output<string>;
  /** The created secret, when one was created. */
  resource?: aws.secretsmanager.Secret;
}

export function createAuth0Secret(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  production: boolean;
}): Auth0Secret {
  if (opts.stage.secret.arn !== undefined) return { arn: $util.output(opts.stage.secret.arn) };
  const resource = new aws.secretsmanager.Secret(
    "Auth0ClientSecret",
    {
      namePrefix: `${opts.app.name}/${opts.app.stage}/auth0-m2m-`,
      description:
        'Auth0 M2M client credentials for the mcp-token broker: {"client_id","client_secret"}. Set with put-secret-value (docs/DEPLOY.md).',
      // Production keeps a deleted secret recoverable for 30 days; other stages delete at once so a
      // removed stage can be deployed again.
      recoveryWindowInDays: opts.production ? 30 : 0,
    },
    // SST's "retain" removal keeps only tables and buckets; production keeps its secret too.
    { retainOnDelete: opts.production },
  );
  return { arn: resource.arn, resource };
}

/** Fences a created secret to the broker's role (and the stage's break-glass role, when set). */
export function fenceAuth0Secret(opts: {
  secret: Auth0Secret;
  stage: StageConfig;
  brokerRoleArn: $util.Output<string>;
}): aws.secretsmanager.SecretPolicy | undefined {
  const resource = opts.secret.resource;
  if (resource === undefined) return undefined;
  const breakGlassRoleArn = opts.stage.secret.breakGlassRoleArn;
  return new aws.secretsmanager.SecretPolicy("Auth0ClientSecretPolicy", {
    secretArn: resource.arn,
    blockPublicPolicy: true,
    policy: $resolve([resource.arn, opts.brokerRoleArn]).apply(([secretArn, brokerRoleArn]) =>
      JSON.stringify(
        secretResourcePolicy({ secretArn, brokerRoleArn, ...(breakGlassRoleArn && { breakGlassRoleArn }) }),
      ),
    ),
  });
}
