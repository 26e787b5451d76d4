import { z } from 'zod';
import { attributeNameSchema, distinguishedNameSchema } from '../common.js';
import { LIMITS } from '../limits.js';

/**
 * Operators of a scoping filter clause, as Cloud Sync's scoping filters offer them. String comparisons
 * are case-sensitive; GREATER_THAN* compare integers; every operator but IS_NULL is false on an
 * absent or empty attribute.
 */
export const scopingOperatorSchema = z.enum([
  'EQUALS',
  'NOT_EQUALS',
  'IS_TRUE',
  'IS_FALSE',
  'IS_NULL',
  'IS_NOT_NULL',
  'REGEX_MATCH',
  'NOT_REGEX_MATCH',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUALS',
  'INCLUDES',
  'ENDS_WITH',
]);
export type ScopingOperator = z.infer<typeof scopingOperatorSchema>;

/** Operators that take no value. */
export const VALUELESS_OPERATORS: ReadonlySet<ScopingOperator> = new Set([
  'IS_TRUE',
  'IS_FALSE',
  'IS_NULL',
  'IS_NOT_NULL',
]);

/** One clause: `attribute operator value` against the object's AD (source) attributes. */
export const scopingClauseSchema = z
  .object({
    attribute: attributeNameSchema,
    operator: scopingOperatorSchema,
    value: z.string().max(1024).optional(),
  })
  .refine((c) => VALUELESS_OPERATORS.has(c.operator) || c.value !== undefined, {
    message: 'this operator needs a value',
    path: ['value'],
  });
export type ScopingClause = z.infer<typeof scopingClauseSchema>;

/** A scoping filter: every clause must hold (AND). */
export const scopingFilterSchema = z.object({
  clauses: z.array(scopingClauseSchema).min(1).max(LIMITS.clausesPerFilter),
});
export type ScopingFilter = z.infer<typeof scopingFilterSchema>;

const attributeFilters = z.array(scopingFilterSchema).max(LIMITS.scopingFilters).optional();

/**
 * Which objects a configuration synchronizes: the whole domain, objects under chosen OUs, or members
 * of chosen groups; then, if `attributeFilters` is non-empty, only objects passing at least one
 * filter (filters are ORed, clauses within a filter ANDed).
 */
export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('domain'), attributeFilters }),
  z.object({
    kind: z.literal('ous'),
    ous: z.array(distinguishedNameSchema).min(1).max(LIMITS.scopeEntries),
    attributeFilters,
  }),
  z.object({
    kind: z.literal('groups'),
    groups: z.array(distinguishedNameSchema).min(1).max(LIMITS.scopeEntries),
    attributeFilters,
  }),
]);
export type Scope = z.infer<typeof scopeSchema>;
