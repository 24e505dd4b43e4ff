import type { ParsedArgs } from "../commands/types.js";
import { ENV, getStringFromEnv } from "../env.js";
import { UsageError } from "../errors.js";

/** How to reach the broker and what to ask it for, after flags and environment are applied. */
export interface BrokerOptions {
  /** `broker` (default) or `sts` (STS GetWebIdentityToken, no broker). */
  source: "broker" | "sts";
  /** `--source sts`: the token's audiences (1 to 10). */
  audiences: string[];
  /** `--source sts`: an STS endpoint override (`AWS_ENDPOINT_URL_STS`). */
  stsEndpoint: string | undefined;
  /** The broker's Function URL; empty for `--source sts`. */
  brokerUrl: string;
  profile: string;
  scopes: string[];
  /** Signing region; undefined = derive from the Function URL host. */
  region: string | undefined;
  awsProfile: string | undefined;
  minTtlSeconds: number;
  /** Use the disk cache (`--no-cache` turns it off). */
  cache: boolean;
}

const FUNCTION_URL_HOST = /\.lambda-url\.[a-z0-9-]+\.on\.aws$/i;

/**
 * Applies the precedence flag → environment → default to the shared broker options and checks
 * them, throwing {@link UsageError}s that name the flag.
 */
export function resolveBrokerOptions(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  command: string,
): BrokerOptions {
  const v = args.values;
  const source = str(v.source) ?? getStringFromEnv(env, ENV.source) ?? "broker";
  if (source !== "broker" && source !== "sts") {
    throw new UsageError(
      `--source must be broker or sts, got ${JSON.stringify(source.slice(0, 40))}`,
      command,
    );
  }
  const audiences = [
    ...((v.audience as string[] | undefined) ?? []),
    ...((v.audience as string[] | undefined)?.length
      ? []
      : (getStringFromEnv(env, ENV.audience) ?? "").split(",")),
  ]
    .map((a) => a.trim())
    .filter(Boolean);
  if (source === "sts") return resolveStsOptions(args, env, command, audiences);
  if (((v.audience as string[] | undefined) ?? []).length > 0) {
    throw new UsageError("--audience applies to --source sts; broker profiles name their audience", command);
  }
  const brokerUrl = str(v.broker) ?? getStringFromEnv(env, ENV.brokerUrl);
  if (!brokerUrl) {
    throw new UsageError(
      `no broker URL: pass --broker <function-url> or set ${ENV.brokerUrl} (ask your admin for the broker's Function URL)`,
      command,
    );
  }
  let host: string;
  try {
    host = new URL(brokerUrl).hostname;
  } catch {
    throw new UsageError(`--broker must be a URL, got ${JSON.stringify(brokerUrl)}`, command);
  }
  const profile = str(v.profile) ?? getStringFromEnv(env, ENV.profile) ?? "default";
  const scopes = ((v.scope as string[] | undefined) ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean);
  let region = str(v.region);
  if (!region && !FUNCTION_URL_HOST.test(host)) {
    region = getStringFromEnv(env, ENV.awsRegion) ?? getStringFromEnv(env, ENV.awsDefaultRegion);
    if (!region) {
      throw new UsageError(
        `--region is required: ${host} is not a Lambda Function URL host, so the signing region cannot be derived from it (or set ${ENV.awsRegion})`,
        command,
      );
    }
  }
  const minTtlText = str(v["min-ttl"]) ?? "300";
  if (!/^\d+$/.test(minTtlText) || Number(minTtlText) > 43200) {
    throw new UsageError(
      `--min-ttl must be a whole number of seconds from 0 to 43200, got ${JSON.stringify(minTtlText)}`,
      command,
    );
  }
  return {
    source: "broker",
    audiences: [],
    stsEndpoint: undefined,
    brokerUrl,
    profile,
    scopes,
    region,
    awsProfile: str(v["aws-profile"]) ?? getStringFromEnv(env, ENV.awsProfile),
    minTtlSeconds: Number(minTtlText),
    cache: v["no-cache"] !== true,
  };
}

/** `--source sts`: audiences, STS region and endpoint; the broker's flags do not apply. */
function resolveStsOptions(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  command: string,
  audiences: string[],
): BrokerOptions {
  const v = args.values;
  if (audiences.length === 0) {
    throw new UsageError(
      `--source sts needs --audience <aud> (or ${ENV.audience}): the audience the MCP server's authorizer allows`,
      command,
    );
  }
  if (audiences.length > 10) throw new UsageError("--audience: at most 10 audiences", command);
  for (const flag of ["broker", "profile", "scope"] as const) {
    if (v[flag] !== undefined && !(Array.isArray(v[flag]) && v[flag].length === 0)) {
      throw new UsageError(
        `--${flag} applies to --source broker; STS tokens come from AWS directly`,
        command,
      );
    }
  }
  const region =
    str(v.region) ?? getStringFromEnv(env, ENV.awsRegion) ?? getStringFromEnv(env, ENV.awsDefaultRegion);
  if (!region) {
    throw new UsageError(
      `--source sts needs a region (--region or ${ENV.awsRegion}): GetWebIdentityToken is only on regional STS endpoints`,
      command,
    );
  }
  const minTtlText = str(v["min-ttl"]) ?? "300";
  if (!/^\d+$/.test(minTtlText) || Number(minTtlText) >= 900) {
    throw new UsageError(
      `--min-ttl must be a whole number of seconds below the STS token lifetime (900), got ${JSON.stringify(minTtlText)}`,
      command,
    );
  }
  return {
    source: "sts",
    audiences: [...new Set(audiences)],
    stsEndpoint: getStringFromEnv(env, ENV.stsEndpoint),
    brokerUrl: "",
    profile: "sts",
    scopes: [],
    region,
    awsProfile: str(v["aws-profile"]) ?? getStringFromEnv(env, ENV.awsProfile),
    minTtlSeconds: Number(minTtlText),
    cache: v["no-cache"] !== true,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
