/** The JSON body of every broker error response: `{ error, error_description, request_id }`. */
import { z } from "zod";
import { BROKER_ERROR_CODES } from "../errors/codes.js";
import { RESPONSE_LIMITS } from "./limits.js";

/**
 * Schema of a broker error body. Unknown extra fields are ignored (stripped) so that clients keep
 * working when the broker adds fields.
 */
export const errorBodySchema = z.object({
  error: z.enum(BROKER_ERROR_CODES),
  error_description: z.string().max(RESPONSE_LIMITS.maxTextLength),
  request_id: z.string().max(256),
});

/** A broker error body. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
