import type { ComparisonOperator, StringFunction } from './filter-ast.js';
import type { PropertyType } from './property-map.js';

/** A value checked against its property's type, ready to bind: ISO text for datetimes, lower-case GUIDs. */
export type FilterValue = string | number | boolean;

/** A column a condition reads, with what the compiler needs to compare it. */
export interface ColumnTarget {
  /** Graph property name, for messages. */
  property: string;
  column: string;
  type: PropertyType;
  caseInsensitive: boolean;
  /** A `number` property kept in a 32-bit integer column. */
  integer?: boolean;
}

/**
 * A `$filter` checked against a property map: columns resolved, literals typed. The compiler turns it into
 * SQL; routes can also inspect it (e.g. to refuse a filter their index cannot serve).
 */
export type BoundFilter =
  | { kind: 'and' | 'or'; operands: BoundFilter[] }
  | { kind: 'not'; operand: BoundFilter }
  | { kind: 'compare'; op: ComparisonOperator; target: ColumnTarget; value: FilterValue | null }
  | { kind: 'in'; target: ColumnTarget; values: FilterValue[] }
  | { kind: 'function'; name: StringFunction; target: ColumnTarget; value: string }
  | { kind: 'any'; table: string; foreignKey: string; ownerKey: string; predicate?: BoundFilter }
  /** One `$search` clause: the term starts the value, or with `words` any word of it; case is ignored. */
  | { kind: 'search'; target: ColumnTarget; term: string; words: boolean };
