import { z } from 'zod';
import { attributeNameSchema } from '../common.js';
import { LIMITS } from '../limits.js';

/**
 * A mapped target attribute value: a string, number or boolean, a list of strings (multi-valued
 * attributes such as `proxyAddresses`, `businessPhones`), or null for "no value".
 */
/** A string value; NUL is refused, since PostgreSQL cannot store it in text. */
const targetString = z
  .string()
  .max(LIMITS.attributeValueLength)
  .refine((s) => !s.includes('\u0000'), 'a value must not contain NUL');

export const targetValueSchema = z.union([
  targetString,
  z.number().finite(),
  z.boolean(),
  z.null(),
  z.array(targetString).max(LIMITS.attributeValues),
]);
export type TargetValue = z.infer<typeof targetValueSchema>;

/** Mapped target attributes, by Graph name (`displayName`, `accountEnabled`, …). */
export const targetAttributesSchema = z
  .record(attributeNameSchema, targetValueSchema)
  .refine((a) => Object.keys(a).length <= LIMITS.attributesPerChange, {
    message: `at most ${LIMITS.attributesPerChange} attributes`,
  });
export type TargetAttributes = z.infer<typeof targetAttributesSchema>;
