import { z } from 'zod';
import { anchorSchema, distinguishedNameSchema, guidSchema, objectTypeSchema } from '../common.js';
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
  /** All mapped target attributes (Graph names). Null means "no value". */
  attributes: targetAttributesSchema,
  /** Only on groups. */
  members: membersSchema.optional(),
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

/** One change to one object. */
export const changeSchema = z.discriminatedUnion('op', [
  upsertChangeSchema,
  deleteChangeSchema,
  outOfScopeChangeSchema,
]);
export type Change = z.infer<typeof changeSchema>;
export type ChangeOp = Change['op'];
