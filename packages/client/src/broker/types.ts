import type { ProfilesResponse, TokenResponse, WhoamiResponse } from "@mcp-token/core";
import type { AwsCredentials, AwsCredentialsProvider } from "../credentials/types.js";
import type { FetchLike } from "../http/types.js";

/** Options of `createBrokerClient`. */
export interface BrokerClientOptions {
  /** The broker's Function URL (`https://<id>.lambda-url.<region>.on.aws/`); `http:` only for loopback. */
  brokerUrl: string;
  /** Signing region. Default: parsed from a Function URL host; required for any other host. */
  region?: string;
  /** Static credentials or a provider. Default: the AWS Node provider chain for `awsProfile`, loaded lazily. */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** AWS shared-config profile for the default provider chain. Default: `AWS_PROFILE`, then `default`. */
  awsProfile?: string;
  /** `fetch` implementation. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** `User-Agent` sent with every broker request. Default: `mcp-token-client/<version>`. */
  userAgent?: string;
  /** Per-request timeout in milliseconds. Default: 10000. */
  timeoutMs?: number;
}

/** A token request as the broker API defines it (`POST /v1/token`). */
export interface BrokerTokenRequest {
  profile: string;
  scopes?: readonly string[];
  minTtlSeconds?: number;
  /** `tokenFingerprint` of a token the caller saw rejected, so the broker replaces it. */
  replaces?: string;
}

/** SigV4-signed calls to the broker's HTTP API v1. */
export interface BrokerClient {
  /** The normalised broker URL (always ends in `/`). */
  readonly url: string;
  /** The SigV4 signing region. */
  readonly region: string;
  /** `POST /v1/token`, validated against the token response schema. */
  requestToken(request: BrokerTokenRequest): Promise<TokenResponse>;
  /** `GET /v1/profiles`: the profiles the caller may use. */
  listProfiles(): Promise<ProfilesResponse>;
  /** `GET /v1/whoami`: the caller's IAM principal as the broker sees it. */
  whoami(): Promise<WhoamiResponse>;
  /** The AWS credentials the client signs with (resolving them if needed). */
  credentials(): Promise<AwsCredentials>;
}
