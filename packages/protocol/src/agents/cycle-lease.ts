import { z } from 'zod';
import { cycleKindSchema } from '../change-sets/change-set.js';
import { idSchema, timestampSchema } from '../common.js';

/**
 * `POST /agent/v1/configurations/{configurationId}/lease` — asks for (or renews) the right to run a
 * configuration's cycle. Several agents may serve one domain; exactly one holds the lease at a time.
 */
export const cycleLeaseRequestSchema = z.object({
  /** The cycle the agent is about to run (or runs), a UUID it chose. */
  cycleId: idSchema,
  kind: cycleKindSchema,
});
export type CycleLeaseRequest = z.infer<typeof cycleLeaseRequestSchema>;

/**
 * `granted`: run the cycle; renew before `expiresAt` (heartbeats and pages of this cycle renew it).
 * `wait`: another agent holds a live lease; ask again after `retryAfterSeconds`.
 */
export const cycleLeaseResponseSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('granted'), cycleId: idSchema, expiresAt: timestampSchema }),
  z.object({
    state: z.literal('wait'),
    /** When the holder's lease runs out unless it renews it. */
    expiresAt: timestampSchema,
    retryAfterSeconds: z.int().min(1),
  }),
]);
export type CycleLeaseResponse = z.infer<typeof cycleLeaseResponseSchema>;
