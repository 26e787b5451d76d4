/** A literal as written in `$filter`, before it is checked against a property's type. */
export type FilterLiteral =
  | { type: 'string'; value: string; index: number }
  | { type: 'number'; value: number; index: number }
  | { type: 'bool'; value: boolean; index: number }
  | { type: 'null'; index: number }
  | { type: 'guid'; value: string; index: number }
  | { type: 'datetime'; value: string; index: number };

/** A property path such as `displayName`, or `x/skuId` inside a lambda. */
export interface FilterPath {
  segments: string[];
  /** 0-based index of the path in the filter text. */
  index: number;
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'startswith' | 'endswith';

/** The parsed `$filter` tree. It names Graph properties; {@link bindFilter} resolves them to columns. */
export type FilterNode =
  | { kind: 'and' | 'or'; operands: FilterNode[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: ComparisonOperator; path: FilterPath; value: FilterLiteral }
  | { kind: 'in'; path: FilterPath; values: FilterLiteral[] }
  | { kind: 'function'; name: StringFunction; path: FilterPath; value: FilterLiteral }
  | {
      kind: 'lambda';
      operator: 'any';
      collection: FilterPath;
      /** Absent for `any()`: the collection has at least one element. */
      variable?: string;
      predicate?: FilterNode;
    };
