import type { BoundFilter, ColumnTarget, FilterValue } from './bound-filter.js';
import { ODataError } from './errors.js';
import type { FilterLiteral, FilterNode, FilterPath } from './filter-ast.js';
import {
  type CollectionProperty,
  findProperty,
  type PropertyMap,
  type PropertyType,
  requireProperty,
  type ScalarProperty,
  unsupportedProperty,
} from './property-map.js';

const OPTION = '$filter';

/** Inside `any(x: …)`: the variable and the collection it ranges over. */
interface LambdaScope {
  variable: string;
  collection: CollectionProperty;
  name: string;
}

function invalidValue(target: ColumnTarget, literal: FilterLiteral, why: string): ODataError {
  return new ODataError(
    'BadRequest',
    `Invalid filter clause: the value at position ${literal.index + 1} does not fit property '${target.property}' (${why}).`,
    { option: OPTION, position: literal.index + 1, property: target.property },
  );
}

/** What an SQL `integer` column holds in PostgreSQL; SQLite's are wider, so this is the common range. */
function isInt32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
}

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a literal against the property's type; Graph also accepts a GUID written as a string. */
function coerce(target: ColumnTarget, literal: FilterLiteral): FilterValue {
  const expected: Record<PropertyType, FilterLiteral['type']> = {
    string: 'string',
    bool: 'bool',
    datetime: 'datetime',
    guid: 'guid',
    number: 'number',
  };
  if (target.type === 'guid' && literal.type === 'string' && GUID_TEXT.test(literal.value)) {
    return literal.value.toLowerCase();
  }
  if (literal.type === 'null') throw invalidValue(target, literal, 'null is only allowed with eq and ne');
  if (literal.type !== expected[target.type]) {
    throw invalidValue(target, literal, `expected a ${target.type}, found a ${literal.type}`);
  }
  if (target.integer && !isInt32(literal.value)) {
    throw invalidValue(target, literal, 'expected a whole number that fits in 32 bits');
  }
  return literal.value;
}

class FilterBinder {
  constructor(private readonly map: PropertyMap) {}

  bind(node: FilterNode, scope?: LambdaScope): BoundFilter {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, operands: node.operands.map((operand) => this.bind(operand, scope)) };
      case 'not':
        return { kind: 'not', operand: this.bind(node.operand, scope) };
      case 'compare': {
        const target = this.resolve(node.path, scope);
        if (node.value.type === 'null') {
          if (node.op !== 'eq' && node.op !== 'ne')
            throw invalidValue(target, node.value, 'null needs eq or ne');
          return { kind: 'compare', op: node.op, target, value: null };
        }
        if (node.op !== 'eq' && node.op !== 'ne' && target.type !== 'datetime' && target.type !== 'number') {
          throw unsupportedProperty(this.map, target.property, OPTION);
        }
        return { kind: 'compare', op: node.op, target, value: coerce(target, node.value) };
      }
      case 'in': {
        const target = this.resolve(node.path, scope);
        return { kind: 'in', target, values: node.values.map((value) => coerce(target, value)) };
      }
      case 'function': {
        const target = this.resolve(node.path, scope);
        if (target.type !== 'string') throw unsupportedProperty(this.map, target.property, OPTION);
        const value = coerce(target, node.value);
        return { kind: 'function', name: node.name, target, value: String(value) };
      }
      case 'lambda':
        return this.bindLambda(node, scope);
    }
  }

  private bindLambda(node: Extract<FilterNode, { kind: 'lambda' }>, scope?: LambdaScope): BoundFilter {
    const [name = ''] = node.collection.segments;
    if (scope || node.collection.segments.length !== 1) throw unsupportedProperty(this.map, name, OPTION);
    const found = requireProperty(this.map, name, OPTION);
    if (found.spec.type !== 'collection' || !found.spec.filterable) {
      throw unsupportedProperty(this.map, found.name, OPTION);
    }
    const collection = found.spec;
    const inner =
      node.predicate && node.variable
        ? this.bind(node.predicate, { variable: node.variable, collection, name: found.name })
        : undefined;
    return {
      kind: 'any',
      table: collection.table,
      foreignKey: collection.foreignKey,
      ownerKey: this.map.key,
      ...(inner ? { predicate: inner } : {}),
    };
  }

  private resolve(path: FilterPath, scope?: LambdaScope): ColumnTarget {
    const [head = '', ...rest] = path.segments;
    if (scope && head === scope.variable) return this.resolveElement(path, rest, scope);
    // A property of a complex type (`onPremisesExtensionAttributes/extensionAttribute1`) is mapped under
    // its whole path.
    const name = path.segments.join('/');
    if (rest.length > 0 && !findProperty(this.map, name)) throw unsupportedProperty(this.map, name, OPTION);
    const found = requireProperty(this.map, name, OPTION);
    if (found.spec.type === 'collection' || !found.spec.filterable) {
      throw unsupportedProperty(this.map, found.name, OPTION);
    }
    return target(found.name, found.spec);
  }

  private resolveElement(path: FilterPath, rest: string[], scope: LambdaScope): ColumnTarget {
    const { collection } = scope;
    const property = `${scope.name}/${rest.join('/')}`;
    if (rest.length === 0) {
      if (!collection.value) throw unsupportedProperty(this.map, scope.name, OPTION);
      return target(scope.name, collection.value, collection.table);
    }
    const [name = ''] = rest;
    const entry = Object.entries(collection.properties ?? {}).find(
      ([key]) => key.toLowerCase() === name.toLowerCase(),
    );
    if (rest.length !== 1 || !entry) {
      throw new ODataError(
        'BadRequest',
        `Could not find a property named '${path.segments.slice(1).join('/')}' on the elements of '${scope.name}'.`,
        { option: OPTION, property },
      );
    }
    const [canonical, spec] = entry;
    if (!spec.filterable) throw unsupportedProperty(this.map, `${scope.name}/${canonical}`, OPTION);
    return target(`${scope.name}/${canonical}`, spec, collection.table);
  }
}

function target(property: string, spec: ScalarProperty, table?: string): ColumnTarget {
  return {
    property,
    column: table ? `${table}.${spec.column}` : spec.column,
    type: spec.type,
    caseInsensitive: spec.caseInsensitive === true,
    ...(spec.integer ? { integer: true } : {}),
  };
}

/**
 * Checks a parsed `$filter` against a resource's property map and resolves it to columns. Unknown
 * properties are `BadRequest`; known ones that may not be filtered, or not with that operator, are
 * `Request_UnsupportedQuery`, as in Graph.
 */
export function bindFilter(node: FilterNode, map: PropertyMap): BoundFilter {
  return new FilterBinder(map).bind(node);
}
