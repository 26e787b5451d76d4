import { z } from 'zod';
import { attributeNameSchema } from '../common.js';
import { LIMITS } from '../limits.js';

/** Where a target attribute's value comes from. */
export const mappingSourceSchema = z.discriminatedUnion('kind', [
  /** Direct: the AD attribute's value(s). */
  z.object({ kind: z.literal('attribute'), name: attributeNameSchema }),
  /** An expression in Cloud Sync's mapping language, e.g. `Join(" ", [givenName], [sn])`. */
  z.object({ kind: z.literal('expression'), expression: z.string().min(1).max(LIMITS.expressionLength) }),
  /** A constant string. */
  z.object({ kind: z.literal('constant'), value: z.string().max(LIMITS.attributeValueLength) }),
]);
export type MappingSource = z.infer<typeof mappingSourceSchema>;

/** One attribute mapping: a target (Graph) attribute, its source, and when it applies. */
export const attributeMappingSchema = z.object({
  target: attributeNameSchema,
  source: mappingSourceSchema,
  /** `objectCreationOnly`: set when the cloud object is created, never updated afterwards. */
  applyWhen: z.enum(['always', 'objectCreationOnly']).default('always'),
  /** Used when the source yields no value, and only when the object is created (as Cloud Sync does). */
  defaultValue: z.string().max(LIMITS.attributeValueLength).optional(),
});
export type AttributeMapping = z.infer<typeof attributeMappingSchema>;

const mappingList = z
  .array(attributeMappingSchema)
  .max(LIMITS.mappingsPerObjectType)
  .refine((ms) => new Set(ms.map((m) => m.target.toLowerCase())).size === ms.length, {
    message: 'each target attribute is mapped at most once',
  });

/** The mappings of each object type. */
export const attributeMappingsSchema = z.object({
  user: mappingList,
  group: mappingList,
  contact: mappingList,
});
export type AttributeMappings = z.infer<typeof attributeMappingsSchema>;
