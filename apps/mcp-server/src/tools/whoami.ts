import * as z from "zod";
import { requestAuthOf } from "../auth/authInfo.js";
import type { ToolModule } from "./types.js";

const outputSchema = z.object({
  authMode: z.enum(["jwt", "agentcore", "none"]),
  verified: z.boolean().describe("True when this server verified the token's signature (jwt mode)"),
  issuer: z.string().optional(),
  subject: z.string().optional(),
  clientId: z.string().optional(),
  clientIdClaim: z.enum(["client_id", "azp"]).optional(),
  scopes: z.array(z.string()),
  audience: z.array(z.string()),
  expiresInSeconds: z.number().optional().describe("Seconds until the token expires (negative: expired)"),
  expiresAt: z.string().optional().describe("Token expiry, RFC 3339"),
  tokenProfile: z.enum(["rfc9068", "auth0", "unknown"]).optional(),
  grantType: z.string().optional(),
  caller: z
    .object({ arn: z.string(), account: z.string(), session: z.string().optional() })
    .optional()
    .describe("The IAM caller a per-caller token names (https://mcp-token.dev/ claims)"),
  aws: z
    .object({
      principalId: z.string().optional(),
      account: z.string().optional(),
      sourceRegion: z.string().optional(),
    })
    .optional()
    .describe(
      "AWS identity claims of an STS web identity token (https://sts.amazonaws.com/ principal_id, aws_account, source_region)",
    ),
  tokenFingerprint: z
    .string()
    .optional()
    .describe("Short hash of the token, the same as in the broker's audit line for it"),
  note: z.string().optional(),
});

export type WhoamiResult = z.infer<typeof outputSchema>;

const NOTES = {
  none: "Authentication is disabled (MCP_AUTH=none): the caller is anonymous.",
  agentcore:
    "AgentCore Runtime verified the caller before the request reached this server (MCP_AUTH=agentcore). This server verified nothing and shows no claims; set MCP_AUTH=jwt to verify the token here.",
} as const;

/** `whoami`: the caller this server verified — never the raw token, never an unverified claim. */
export const whoamiTool: ToolModule = {
  name: "whoami",
  register(server, { clock }) {
    server.registerTool(
      "whoami",
      {
        title: "Who am I",
        description:
          "Shows the caller as this server sees it: issuer, subject, client id, scopes, audience, seconds until the token expires, token profile, the IAM caller of a per-caller token, the AWS principal of an STS token, and the token's fingerprint.",
        outputSchema,
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      },
      async (ctx) => {
        const auth = requestAuthOf(ctx);
        const caller = auth?.caller;
        const token = caller?.token;
        const result: WhoamiResult = {
          authMode: auth?.mode ?? "none",
          verified: caller?.verified ?? false,
          scopes: token?.scopes ?? [],
          audience: token?.audience ?? [],
        };
        if (token) {
          if (token.issuer !== undefined) result.issuer = token.issuer;
          if (token.subject !== undefined) result.subject = token.subject;
          if (token.clientId !== undefined) result.clientId = token.clientId;
          if (token.clientIdClaim !== undefined) result.clientIdClaim = token.clientIdClaim;
          if (token.expiresAt !== undefined) {
            result.expiresInSeconds = Math.floor(token.expiresAt - clock.now() / 1000);
            result.expiresAt = new Date(token.expiresAt * 1000).toISOString();
          }
          result.tokenProfile = token.profile;
          if (token.grantType !== undefined) result.grantType = token.grantType;
          if (token.caller !== undefined) {
            result.caller = { arn: token.caller.caller, account: token.caller.account };
            if (token.caller.session !== undefined) result.caller.session = token.caller.session;
          }
          if (token.aws !== undefined) result.aws = token.aws;
          if (caller?.tokenFingerprint !== undefined) result.tokenFingerprint = caller.tokenFingerprint;
        } else if (auth?.mode === "agentcore") {
          result.note = NOTES.agentcore;
        } else if (auth === undefined || auth.mode === "none") {
          result.note = NOTES.none;
        }
        return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
      },
    );
  },
};
