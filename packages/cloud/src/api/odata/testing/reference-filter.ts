// Test support: OData's own semantics, evaluated in memory over plain rows, to check the SQL against.
import type { BoundFilter, ColumnTarget, FilterValue } from '../bound-filter.js';
import { columnName } from '../property-map.js';
import type { OrderKey } from '../query-options.js';

export type Row = Record<string, unknown>;
export type Tables = Record<string, Row[]>;

// SQLite's lower() folds ASCII only; the fixture's non-ASCII letters are all lower case already.
const fold = (text: string) => text.replace(/[A-Z]/g, (char) => char.toLowerCase());

function read(row: Row, target: ColumnTarget): unknown {
  return row[columnName(target.column)] ?? null;
}

function normalise(target: ColumnTarget, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && target.caseInsensitive) return fold(value);
  return value;
}

function compare(left: unknown, right: unknown): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  const a = String(left);
  const b = String(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

function equal(target: ColumnTarget, actual: unknown, value: FilterValue): boolean {
  return compare(normalise(target, actual), normalise(target, value)) === 0;
}

function evaluateCompare(node: Extract<BoundFilter, { kind: 'compare' }>, row: Row): boolean {
  const actual = read(row, node.target);
  if (node.value === null) return node.op === 'eq' ? actual === null : actual !== null;
  if (actual === null) return node.op === 'ne';
  const order = compare(normalise(node.target, actual), normalise(node.target, node.value));
  const results = {
    eq: order === 0,
    ne: order !== 0,
    gt: order > 0,
    ge: order >= 0,
    lt: order < 0,
    le: order <= 0,
  };
  return results[node.op];
}

/** Whether `row` matches `filter`, by OData's two-valued logic (a null property fails every comparison). */
export function matches(filter: BoundFilter, row: Row, tables: Tables, key = 'id'): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.operands.every((operand) => matches(operand, row, tables, key));
    case 'or':
      return filter.operands.some((operand) => matches(operand, row, tables, key));
    case 'not':
      return !matches(filter.operand, row, tables, key);
    case 'compare':
      return evaluateCompare(filter, row);
    case 'in': {
      const actual = read(row, filter.target);
      return actual !== null && filter.values.some((value) => equal(filter.target, actual, value));
    }
    case 'function': {
      const actual = read(row, filter.target);
      if (typeof actual !== 'string') return false;
      const [text, part] = filter.target.caseInsensitive
        ? [fold(actual), fold(filter.value)]
        : [actual, filter.value];
      return filter.name === 'startswith' ? text.startsWith(part) : text.endsWith(part);
    }
    case 'search': {
      const actual = read(row, filter.target);
      if (typeof actual !== 'string') return false;
      const [text, term] = [fold(actual), fold(filter.term)];
      if (text.startsWith(term)) return true;
      return filter.words && [' ', '.', '-', '_', '@'].some((separator) => text.includes(separator + term));
    }
    case 'any': {
      const children = (tables[filter.table] ?? []).filter((child) => child[filter.foreignKey] === row[key]);
      const { predicate } = filter;
      return children.some((child) => !predicate || matches(predicate, child, tables, key));
    }
  }
}

/** OData order: nulls are the smallest values; the key breaks ties in the last key's direction. */
export function sortRows(rows: Row[], keys: readonly OrderKey[], key = 'id'): Row[] {
  const direction = keys.at(-1)?.direction ?? 'asc';
  const all = [...keys, { column: key, caseInsensitive: false, direction } as const];
  return [...rows].sort((left, right) => {
    for (const sortKey of all) {
      const target = { column: sortKey.column, caseInsensitive: sortKey.caseInsensitive } as ColumnTarget;
      const a = normalise(target, left[columnName(sortKey.column)] ?? null);
      const b = normalise(target, right[columnName(sortKey.column)] ?? null);
      const order = a === b ? 0 : a === null ? -1 : b === null ? 1 : compare(a, b);
      if (order !== 0) return sortKey.direction === 'asc' ? order : -order;
    }
    return 0;
  });
}
