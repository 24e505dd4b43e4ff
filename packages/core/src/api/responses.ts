/**
 * Schemas of the broker's success responses. Clients validate every response with these before use;
 * every string is length-bounded. Unknown extra fields are stripped (forward compatible).
 */
import { z } from "zod";
import { RESPONSE_LIMITS } from "./limits.js";
import { profileNameSchema } from "./tokenRequest.js";

const text = z.string().max(RESPONSE_LIMITS.maxTextLength);

/**
 * `POST|GET /v1/token` response: `{ access_token, token_type: "Bearer", expires_in (seconds),
 * expires_at (RFC 3339), scope (space-separated), profile }`.
 */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(RESPONSE_LIMITS.maxAccessTokenLength),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().min(0),
  expires_at: z.iso.datetime({ offset: true }),
  scope: z.string().max(4224),
  profile: profileNameSchema,
});

/** A token response. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** `GET /v1/profiles` response: the profiles the caller may use. */
export const profilesResponseSchema = z.object({
  profiles: z
    .array(
      z.object({
        name: profileNameSchema,
        audience: text,
        scopes: z.array(z.string().max(128)).max(256),
        /** `shared` or `caller` (see the profile's `identity`); absent from older brokers. */
        identity: z.enum(["shared", "caller"]).optional(),
      }),
    )
    .max(RESPONSE_LIMITS.maxProfiles),
});

/** A profiles response. */
export type ProfilesResponse = z.infer<typeof profilesResponseSchema>;

/** `GET /v1/whoami` response: the caller's IAM principal as the broker sees it. */
export const whoamiResponseSchema = z.object({
  principal: text,
  accountId: z.string().regex(/^\d{12}$/),
  normalizedPrincipal: text,
});

/** A whoami response. */
export type WhoamiResponse = z.infer<typeof whoamiResponseSchema>;
