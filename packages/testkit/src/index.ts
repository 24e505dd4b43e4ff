export type {
  CognitoAppClient,
  CognitoResourceServer,
  LocalCognito,
  StartCognitoOptions,
} from "./cognito/start.js";
export { startCognitoIssuer } from "./cognito/start.js";
export { writeAwsConfigFiles } from "./emulator/configFiles.js";
export type { LocalIdentity } from "./emulator/identities.js";
export { defaultIdentities } from "./emulator/identities.js";
export type { Handler } from "./emulator/loadHandler.js";
export { loadHandler } from "./emulator/loadHandler.js";
export type { SignedRequestInput, SigV4Result } from "./emulator/sigv4.js";
export { SIGNATURE_MISMATCH, verifySigV4 } from "./emulator/sigv4.js";
export type { FunctionUrlEmulator, FunctionUrlEmulatorOptions } from "./emulator/start.js";
export { LAMBDA_MAX_BODY_BYTES, startFunctionUrlEmulator } from "./emulator/start.js";
export type { IssuerAction } from "./issuer/actions.js";
export { startIssuer } from "./issuer/start.js";
export type {
  AdminFaultsRequest,
  IssuerApi,
  IssuerClient,
  IssuerFaults,
  LocalIssuer,
  StartIssuerOptions,
  TokenProfile,
} from "./issuer/types.js";
export type { MotoServer, StartMotoOptions } from "./moto/start.js";
export { MOTO_INSTALL_HINT, startMoto } from "./moto/start.js";
export type { LocalSts, StartStsOptions, WebIdentityGrant } from "./sts/start.js";
export { STS_CLAIM_NAMESPACE, startStsEndpoint } from "./sts/start.js";
