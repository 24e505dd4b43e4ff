/**
 * The issuers' client secrets: `{ "client_id", "client_secret" }` in Secrets Manager, one per issuer
 * (the primary `auth0` block's, and one per entry of `issuers`).
 *
 * Created **empty** (no `SecretVersion`), so a value never passes through Pulumi state or this
 * repository; it is set out of band with `aws secretsmanager put-secret-value` (docs/DEPLOY.md).
 * Or, with `secret.arn`, an existing secret is used as is and nothing is created.
 *
 * A created secret gets a resource policy (`lib/policies.ts`, `secretResourcePolicy`) that denies
 * `GetSecretValue` to everyone but the broker's role and the optional break-glass role. An existing
 * secret keeps the resource policy it has (replacing someone else's policy could lock out its other
 * readers): docs/DEPLOY.md gives the statement to add to it.
 */
import { secretNamePrefix } from "./lib/brokerConfig.js";
import { stageIssuers } from "./lib/issuers.js";
import { secretResourcePolicy } from "./lib/policies.js";
import type { StageConfig } from "./lib/stageConfig.js";

export interface IssuerSecret {
  /** The issuer it belongs to. */
  issuer: string;
  /** Complete ARN of the secret. */
  arn: $util.Output<string>;
  /** The created secret, when one was created. */
  resource?: aws.secretsmanager.Secret;
  /** Customer-managed key of an existing secret, if any. */
  kmsKeyArn?: string;
  breakGlassRoleArn?: string;
}

/**
 * Pulumi names: the primary Auth0 secret keeps the name it always had (`Auth0ClientSecret`), so existing
 * stages do not replace it; the others are `IssuerSecret-<issuer>`.
 */
const logicalName = (issuer: string) => (issuer === "auth0" ? "Auth0ClientSecret" : `IssuerSecret-${issuer}`);

export function createIssuerSecrets(opts: {
  app: { name: string; stage: string };
  stage: StageConfig;
  production: boolean;
}): IssuerSecret[] {
  return [...stageIssuers(opts.stage).values()].map((issuer) => {
    const base = {
      issuer: issuer.name,
      ...(issuer.secret.kmsKeyArn !== undefined && { kmsKeyArn: issuer.secret.kmsKeyArn }),
      ...(issuer.secret.breakGlassRoleArn !== undefined && {
        breakGlassRoleArn: issuer.secret.breakGlassRoleArn,
      }),
    };
    if (issuer.secret.arn !== undefined) return { ...base, arn: $util.output(issuer.secret.arn) };
    const resource = new aws.secretsmanager.Secret(
      logicalName(issuer.name),
      {
        namePrefix: secretNamePrefix(opts.app, issuer.name),
        description: `${issuer.kind} client credentials (issuer "${issuer.name}") for the mcp-token broker: {"client_id","client_secret"}. Set with put-secret-value (docs/DEPLOY.md).`,
        // Production keeps a deleted secret recoverable for 30 days; other stages delete at once so a
        // removed stage can be deployed again.
        recoveryWindowInDays: opts.production ? 30 : 0,
      },
      // SST's "retain" removal keeps only tables and buckets; production keeps its secrets too.
      { retainOnDelete: opts.production },
    );
    return { ...base, arn: resource.arn, resource };
  });
}

/** Fences each created secret to the broker's role (and its issuer's break-glass role, when set). */
export function fenceIssuerSecrets(opts: {
  secrets: readonly IssuerSecret[];
  brokerRoleArn: $util.Output<string>;
}): aws.secretsmanager.SecretPolicy[] {
  return opts.secrets.flatMap((secret) => {
    const resource = secret.resource;
    if (resource === undefined) return [];
    const breakGlassRoleArn = secret.breakGlassRoleArn;
    return [
      new aws.secretsmanager.SecretPolicy(`${logicalName(secret.issuer)}Policy`, {
        secretArn: resource.arn,
        blockPublicPolicy: true,
        policy: $resolve([resource.arn, opts.brokerRoleArn]).apply(([secretArn, brokerRoleArn]) =>
          JSON.stringify(
            secretResourcePolicy({
              secretArn,
              brokerRoleArn,
              ...(breakGlassRoleArn && { breakGlassRoleArn }),
            }),
          ),
        ),
      }),
    ];
  });
}
