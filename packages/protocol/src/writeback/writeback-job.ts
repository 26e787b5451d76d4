import { z } from 'zod';
import {
  anchorSchema,
  distinguishedNameSchema,
  idSchema,
  messageSchema,
  timestampSchema,
} from '../common.js';
import { errorCodeSchema } from '../errors/error-body.js';
import { LIMITS } from '../limits.js';

/** A JWE in compact serialization: five base64url parts, the second empty for direct key agreement. */
export const jweCompactSchema = z
  .string()
  .max(LIMITS.jweLength)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWE');

/**
 * The plaintext inside `encrypted`, once the agent decrypted it with its private key. `oldPassword`
 * only for `password-change`.
 */
export const writebackSecretSchema = z.strictObject({
  jobId: idSchema,
  newPassword: z.string().min(1).max(256),
  oldPassword: z.string().min(1).max(256).optional(),
});
export type WritebackSecret = z.infer<typeof writebackSecretSchema>;

/** A password writeback job, cloud → agent. */
export const writebackJobSchema = z.object({
  jobId: idSchema,
  configurationId: idSchema,
  kind: z.enum(['password-reset', 'password-change']),
  anchor: anchorSchema,
  distinguishedName: distinguishedNameSchema,
  /** {@link WritebackSecret} as JSON, encrypted to the agent's public JWK. */
  encrypted: jweCompactSchema,
  unlockAccount: z.boolean(),
  forceChangeAtNextLogon: z.boolean(),
  expiresAt: timestampSchema,
});
export type WritebackJob = z.infer<typeof writebackJobSchema>;

/**
 * `GET /agent/v1/writeback/jobs?wait=<s>` — long-poll: the cloud answers as soon as a job is
 * queued, or with an empty list when `wait` seconds passed.
 */
export const writebackPollResponseSchema = z.object({
  jobs: z.array(writebackJobSchema).max(LIMITS.jobsPerPoll),
});
export type WritebackPollResponse = z.infer<typeof writebackPollResponseSchema>;

/** `POST /agent/v1/writeback/jobs/{jobId}/result` — AD's answer, relayed to the waiting user. */
export const writebackResultSchema = z
  .object({
    jobId: idSchema,
    status: z.enum(['succeeded', 'failed']),
    /** Protocol code for failures, e.g. `WRITEBACK_REFUSED`. */
    code: errorCodeSchema.optional(),
    /** AD's own code: LDAP result and Win32 error, e.g. `0000052D` (password restriction). */
    adErrorCode: z
      .string()
      .max(32)
      .regex(/^[0-9A-Za-z_:-]+$/)
      .optional(),
    adMessage: messageSchema.optional(),
  })
  .refine((r) => r.status === 'succeeded' || r.code !== undefined || r.adErrorCode !== undefined, {
    message: 'a failure carries a code or an AD error code',
  });
export type WritebackResult = z.infer<typeof writebackResultSchema>;
