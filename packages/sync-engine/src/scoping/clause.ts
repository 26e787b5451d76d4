import type { ScopingClause } from '@cloudsync/protocol';
import { compileAdminRegex } from '../safe-regex.js';
import { getFirst, type SourceAttributes, type SourceValue } from '../source-object.js';

/** A clause ready to test objects; its regular expression compiled once. */
export type ClauseTest = (attrs: SourceAttributes) => boolean;

function text(v: SourceValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Buffer.from(v).toString('base64');
}

const integer = (s: string | undefined) =>
  s !== undefined && /^\s*-?\d{1,15}\s*$/.test(s) ? Number(s) : undefined;

/**
 * Compiles one scoping clause, as Cloud Sync evaluates them: against the attribute's first value,
 * string comparisons case-sensitive, and false on an absent or empty attribute for every operator
 * except IS_NULL.
 * @throws SyntaxError for an invalid REGEX_MATCH pattern (validate configurations with `validateScope`).
 */
export function compileClause(clause: ScopingClause): ClauseTest {
  const expected = clause.value ?? '';
  const get = (attrs: SourceAttributes) => text(getFirst(attrs, clause.attribute));
  const whenPresent =
    (test: (v: string) => boolean): ClauseTest =>
    (attrs) => {
      const v = get(attrs);
      return v !== undefined && test(v);
    };
  switch (clause.operator) {
    case 'IS_NULL':
      return (attrs) => get(attrs) === undefined;
    case 'IS_NOT_NULL':
      return (attrs) => get(attrs) !== undefined;
    case 'EQUALS':
      return whenPresent((v) => v === expected);
    case 'NOT_EQUALS':
      return whenPresent((v) => v !== expected);
    case 'IS_TRUE':
      return whenPresent((v) => v.toLowerCase() === 'true');
    case 'IS_FALSE':
      return whenPresent((v) => v.toLowerCase() === 'false');
    case 'INCLUDES':
      return whenPresent((v) => v.includes(expected));
    case 'ENDS_WITH':
      return whenPresent((v) => v.endsWith(expected));
    case 'REGEX_MATCH': {
      const re = compileAdminRegex(expected);
      return whenPresent((v) => re.test(v));
    }
    case 'NOT_REGEX_MATCH': {
      const re = compileAdminRegex(expected);
      return whenPresent((v) => !re.test(v));
    }
    case 'GREATER_THAN':
    case 'GREATER_THAN_OR_EQUALS': {
      const bound = integer(expected);
      const orEqual = clause.operator === 'GREATER_THAN_OR_EQUALS';
      return whenPresent((v) => {
        const n = integer(v);
        return n !== undefined && bound !== undefined && (orEqual ? n >= bound : n > bound);
      });
    }
  }
}
