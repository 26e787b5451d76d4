import { z } from 'zod';
import { anchorSchema, idSchema, messageSchema } from '../common.js';
import { errorCodeSchema } from '../errors/error-body.js';
import { LIMITS } from '../limits.js';

/** What the cloud did with one change. */
export const changeResultSchema = z.object({
  /** Position of the change in its page. */
  index: z
    .int()
    .min(0)
    .max(LIMITS.changesPerPage - 1),
  anchor: anchorSchema,
  result: z.enum(['applied', 'skipped', 'conflict', 'error']),
  /** Set for `conflict` and `error`, and for `applied` with a warning (e.g. `UPN_CONFLICT`). */
  code: errorCodeSchema.optional(),
  reason: messageSchema.optional(),
  /** The cloud object's id, when one exists. */
  cloudId: idSchema.optional(),
  /** What the cloud did (as in its provisioning log): `Create`, `Update`, `Restore`, `Skip`, … */
  action: z
    .enum(['Create', 'Update', 'Restore', 'Delete', 'Disable', 'Skip', 'StagedDelete', 'Other'])
    .optional(),
  /** How the cloud matched the object (by anchor, soft match, none), when it had to. */
  match: messageSchema.optional(),
});
export type ChangeResult = z.infer<typeof changeResultSchema>;

/**
 * The cycle as the cloud sees it.
 * - `open`: pages are arriving.
 * - `accepted`: everything applied.
 * - `held-by-delete-guard`: more deletions than the threshold; nothing was deleted, an admin decides.
 * - `rejected`: the cycle was refused as a whole (see the error); resend it.
 * - `quarantined`: the configuration is in quarantine; stop cycling until the backoff passes.
 */
export const cycleStateSchema = z.enum([
  'open',
  'accepted',
  'held-by-delete-guard',
  'rejected',
  'quarantined',
]);
export type CycleState = z.infer<typeof cycleStateSchema>;

/** The cloud's answer to a page. */
export const pageAcknowledgementSchema = z.object({
  cycleId: idSchema,
  sequence: z.int().min(1),
  /** True when this page had been received before and this is the stored answer. */
  duplicate: z.boolean(),
  /** Highest sequence such that it and all before it are durably stored. */
  committedThroughSequence: z.int().min(0),
  results: z.array(changeResultSchema).max(LIMITS.changesPerPage),
  cycleState: cycleStateSchema,
});
export type PageAcknowledgement = z.infer<typeof pageAcknowledgementSchema>;

/**
 * The cloud's answer to the end-of-cycle marker. The agent persists the cursor (DirSync cookie, DRSR
 * watermark) it read at the start of the cycle's last page only when `advanceCursor` is true;
 * otherwise it keeps the old one and the next cycle re-reads the same changes.
 */
export const cycleAcknowledgementSchema = z.object({
  cycleId: idSchema,
  cycleState: cycleStateSchema,
  advanceCursor: z.boolean(),
  /** Pages the cloud is missing, when it cannot close the cycle yet. */
  missingSequences: z.array(z.int().min(1)).max(1_000),
  counts: z.object({
    applied: z.int().min(0),
    skipped: z.int().min(0),
    conflicts: z.int().min(0),
    errors: z.int().min(0),
    /** Deletions the cloud would apply (including full-import implied ones). */
    pendingDeletes: z.int().min(0),
  }),
  /** Set when `cycleState` is `held-by-delete-guard`, `rejected` or `quarantined`. */
  code: errorCodeSchema.optional(),
  reason: messageSchema.optional(),
});
export type CycleAcknowledgement = z.infer<typeof cycleAcknowledgementSchema>;
