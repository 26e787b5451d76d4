import { z } from 'zod';
import {
  anchorSchema,
  distinguishedNameSchema,
  guidSchema,
  messageSchema,
  objectTypeSchema,
} from '../common.js';
import { errorCodeSchema } from '../errors/error-body.js';
import { LIMITS } from '../limits.js';
import { targetAttributesSchema } from './attribute-values.js';

const anchorList = z.array(anchorSchema).max(LIMITS.membersPerChange);

/**
 * A group's members, by anchor. `complete`: this is the whole membership (full import, or a delta
 * that re-read the group). `incremental`: only what was added and removed since the last cycle.
 */
export const membersSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('complete'), anchors: anchorList }),
  z
    .object({ mode: z.literal('incremental'), add: anchorList, remove: anchorList })
    .refine((m) => m.add.length + m.remove.length <= LIMITS.membersPerChange, {
      message: `at most ${LIMITS.membersPerChange} member changes`,
    }),
]);
export type Members = z.infer<typeof membersSchema>;

const identity = {
  objectType: objectTypeSchema,
  /** Base64 of ms-DS-ConsistencyGuid, else of objectGUID: the cloud's onPremisesImmutableId. */
  anchor: anchorSchema,
  objectGuid: guidSchema,
};

/** The object exists in scope: create it, or update the attributes the cloud holds for it. */
export const upsertChangeSchema = z.object({
  op: z.literal('upsert'),
  ...identity,
  distinguishedName: distinguishedNameSchema,
  /**
   * The mapped target attributes (Graph names) of mappings that apply always. Null means "no value";
   * an attribute left out is left unchanged.
   */
  attributes: targetAttributesSchema,
  /**
   * Values the cloud applies only when this change creates the object: mappings marked
   * `objectCreationOnly`, and default values of mappings whose source was empty. On creation the
   * cloud applies `{ ...attributes, ...creationOnlyAttributes }`.
   */
  creationOnlyAttributes: targetAttributesSchema.optional(),
  /** Only on groups. */
  members: membersSchema.optional(),
  /**
   * Sent again only because it failed last cycle (AD reported no change): a failure of it does not
   * make the cycle count as failed for quarantine.
   */
  retried: z.boolean().optional(),
});

/** The object was deleted in AD (DirSync `isDeleted`, or absent from a full import). */
export const deleteChangeSchema = z.object({
  op: z.literal('delete'),
  ...identity,
  distinguishedName: distinguishedNameSchema.optional(),
});

/** The object still exists in AD but left the configuration's scope; the cloud soft-deletes it. */
export const outOfScopeChangeSchema = z.object({
  op: z.literal('out-of-scope'),
  ...identity,
  distinguishedName: distinguishedNameSchema,
});

/**
 * The object is in AD but the agent could not turn it into a change this cycle (a mapping failed on
 * its values, or a value could not be decoded). The cloud logs a failure with `code` and `reason`
 * and changes nothing else: the object keeps what the cloud holds, and a `full` cycle counts it as
 * seen, so it is not deleted. The agent sends it again every cycle until it maps.
 */
export const skippedChangeSchema = z.object({
  op: z.literal('skipped'),
  ...identity,
  distinguishedName: distinguishedNameSchema,
  /** `OBJECT_NOT_MAPPED`, or the code of the AD value that could not be read. */
  code: errorCodeSchema,
  /** What failed and what to fix, for a person reading the provisioning log. */
  reason: messageSchema,
  /**
   * Sent again only because it failed last cycle (AD reported no change): a failure of it does not
   * make the cycle count as failed for quarantine.
   */
  retried: z.boolean().optional(),
});

/** One change to one object. */
export const changeSchema = z.discriminatedUnion('op', [
  upsertChangeSchema,
  deleteChangeSchema,
  outOfScopeChangeSchema,
  skippedChangeSchema,
]);
export type Change = z.infer<typeof changeSchema>;
export type ChangeOp = Change['op'];
