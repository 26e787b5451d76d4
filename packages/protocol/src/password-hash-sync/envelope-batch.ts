import { z } from 'zod';
import { anchorSchema, idSchema, timestampSchema } from '../common.js';
import { errorCodeSchema } from '../errors/error-body.js';
import { LIMITS } from '../limits.js';
import { PHS_ITERATIONS } from './hash-of-hash.js';

/**
 * `$pbkdf2-sha256-nt$i=<iterations>$<10-byte salt b64>$<32-byte key b64>`; iterations below the
 * documented 1000 are refused.
 */
export const hashEnvelopeSchema = z
  .string()
  .max(128)
  .regex(
    /^\$pbkdf2-sha256-nt\$i=\d{4,7}\$[A-Za-z0-9+/]{14}==\$[A-Za-z0-9+/]{43}=$/,
    'a hash-of-hash envelope',
  )
  .refine((s) => Number(/i=(\d+)/.exec(s)?.[1]) >= PHS_ITERATIONS, {
    message: `at least ${PHS_ITERATIONS} iterations`,
  });

/**
 * One user's password hash. Strict: any other field (an `ntHash`, say) makes the whole batch
 * invalid, so an NT hash can never cross the wire by mistake.
 */
export const hashEnvelopeItemSchema = z.strictObject({
  anchor: anchorSchema,
  envelope: hashEnvelopeSchema,
  /** When AD says the password was last set; the cloud ignores an envelope older than the one it has. */
  pwdLastSet: timestampSchema,
});
export type HashEnvelopeItem = z.infer<typeof hashEnvelopeItemSchema>;

/** `POST /agent/v1/password-hashes` — a batch of envelopes for one configuration. */
export const hashEnvelopeBatchSchema = z.strictObject({
  configurationId: idSchema,
  /** Agent-chosen UUID; a resent batch with the same id is applied once. */
  batchId: idSchema,
  items: z.array(hashEnvelopeItemSchema).min(1).max(LIMITS.hashesPerBatch),
});
export type HashEnvelopeBatch = z.infer<typeof hashEnvelopeBatchSchema>;

export const hashEnvelopeBatchAcknowledgementSchema = z.object({
  batchId: idSchema,
  results: z
    .array(
      z.object({
        anchor: anchorSchema,
        result: z.enum(['applied', 'unchanged', 'stale', 'unknown-anchor', 'error']),
        code: errorCodeSchema.optional(),
      }),
    )
    .max(LIMITS.hashesPerBatch),
});
export type HashEnvelopeBatchAcknowledgement = z.infer<typeof hashEnvelopeBatchAcknowledgementSchema>;
