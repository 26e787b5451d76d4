import { z } from 'zod';

/** Text of at most `max` characters. */
export const text = (max: number) => z.string().max(max);
/** Optional, nullable text of at most `max` characters (PATCH may clear it with null). */
export const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const guid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'not a GUID');

/** `{ id }` path parameter (a GUID, or a UPN where the route allows it). */
export const idParams = z.object({ id: z.string().min(1).max(256) });

/** A POST or DELETE without a body (or with `{}`). */
export const noBody = z.union([z.undefined(), z.null(), z.object({}).strict()]);

/** A single entity response: the entity plus `@odata.context`. */
export function entity<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  return z.object({ '@odata.context': z.string(), ...schema.shape });
}

/** A collection response page; with `$select` the entities carry only the selected properties. */
export function collection<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  return z.object({
    '@odata.context': z.string(),
    '@odata.count': z.number().int().optional(),
    '@odata.nextLink': z.string().optional(),
    value: z.array(schema.partial()),
  });
}

export const nullableString = z.string().nullable();
