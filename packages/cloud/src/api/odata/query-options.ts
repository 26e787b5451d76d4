import { bindFilter } from './bind-filter.js';
import type { BoundFilter } from './bound-filter.js';
import { ODataError } from './errors.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits, parseFilter } from './filter-parser.js';
import { type PropertyMap, type PropertyType, requireProperty, unsupportedProperty } from './property-map.js';
import { parseSearch } from './search.js';

/** One `$orderby` key, resolved to its column. */
export interface OrderKey {
  property: string;
  column: string;
  type: PropertyType;
  caseInsensitive: boolean;
  direction: 'asc' | 'desc';
}

/** Validated Graph query options for one list request. Build with {@link parseQueryOptions}. */
export interface QueryOptions {
  /** The property map the options were checked against. */
  map: PropertyMap;
  /** `$filter`, resolved to columns; absent when the request had none. */
  filter?: BoundFilter;
  /** `$filter` as the caller wrote it (skip tokens are bound to it). */
  filterText?: string;
  /** `$search`, resolved to columns; applied together with `filter`. */
  search?: BoundFilter;
  /** `$search` as the caller wrote it (skip tokens are bound to it). */
  searchText?: string;
  /** `$orderby` keys; the key column is added after them as a tie-breaker when the query runs. */
  orderBy: OrderKey[];
  /** `$top`: the page size. */
  top: number;
  /** `$skiptoken` as received; verified when the query runs, since that needs the signing secret. */
  skipToken?: string;
  /** `$count=true`: also return the number of all matching objects. */
  count: boolean;
  /** `$select`: canonical Graph property names to return, in the caller's order; absent means the defaults. */
  select?: string[];
}

export interface QueryOptionLimits extends FilterLimits {
  /** `$top` when the request has none (Graph: 100). */
  defaultTop: number;
  /** Largest `$top` (Graph: 999). */
  maxTop: number;
  /** Keys in one `$orderby`. */
  maxOrderBy: number;
}

export const DEFAULT_QUERY_OPTION_LIMITS: Readonly<QueryOptionLimits> = Object.freeze({
  ...DEFAULT_FILTER_LIMITS,
  defaultTop: 100,
  maxTop: 999,
  maxOrderBy: 3,
});

const SUPPORTED = new Set(['$filter', '$search', '$orderby', '$top', '$skiptoken', '$count', '$select']);
const NOT_SUPPORTED = new Set(['$expand', '$skip', '$format', '$apply', '$compute', '$levels', '$index']);

function badRequest(option: string, message: string): ODataError {
  return new ODataError('BadRequest', message, { option });
}

/** Reads the query-string values that start with `$`, keyed by lower-cased name; rejects unknown ones. */
function collectOptions(query: Record<string, unknown>): Map<string, string> {
  const options = new Map<string, string>();
  for (const [rawName, value] of Object.entries(query)) {
    if (!rawName.startsWith('$')) continue;
    const name = rawName.toLowerCase();
    if (NOT_SUPPORTED.has(name)) {
      throw new ODataError('Request_UnsupportedQuery', `The query option '${rawName}' is not supported.`, {
        option: rawName,
      });
    }
    if (!SUPPORTED.has(name)) throw badRequest(rawName, `Unrecognized query option '${rawName}'.`);
    if (options.has(name) || Array.isArray(value)) {
      throw badRequest(rawName, `The query option '${rawName}' was specified more than once.`);
    }
    if (typeof value !== 'string') throw badRequest(rawName, `The query option '${rawName}' must be text.`);
    options.set(name, value);
  }
  return options;
}

function parseTop(text: string | undefined, limits: QueryOptionLimits): number {
  if (text === undefined) return limits.defaultTop;
  const top = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(top >= 1 && top <= limits.maxTop)) {
    throw badRequest(
      '$top',
      `Invalid page size specified: '${text}'. Must be between 1 and ${limits.maxTop} inclusive.`,
    );
  }
  return top;
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined) return false;
  const value = text.trim().toLowerCase();
  if (value !== 'true' && value !== 'false') {
    throw badRequest('$count', `Invalid value '${text}' for $count: expected true or false.`);
  }
  return value === 'true';
}

/**
 * Resolves an `$orderby` value against a property map; also the way to write a route's default order.
 *
 * @example
 * ```ts
 * const byName = parseOrderBy('displayName', USER_PROPERTIES); // when the request has no $orderby
 * ```
 */
export function parseOrderBy(
  text: string | undefined,
  map: PropertyMap,
  limits: QueryOptionLimits = DEFAULT_QUERY_OPTION_LIMITS,
): OrderKey[] {
  if (text === undefined) return [];
  const clauses = text.split(',').map((clause) => clause.trim());
  if (clauses.length > limits.maxOrderBy) {
    throw badRequest('$orderby', `At most ${limits.maxOrderBy} properties may appear in $orderby.`);
  }
  const keys: OrderKey[] = [];
  for (const clause of clauses) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(clause);
    if (!match?.[1]) throw badRequest('$orderby', `Invalid $orderby clause '${clause}'.`);
    const found = requireProperty(map, match[1], '$orderby');
    if (found.spec.type === 'collection' || !found.spec.sortable) {
      throw unsupportedProperty(map, found.name, '$orderby');
    }
    if (keys.some((key) => key.property === found.name)) {
      throw badRequest('$orderby', `The property '${found.name}' appears more than once in $orderby.`);
    }
    keys.push({
      property: found.name,
      column: found.spec.column,
      type: found.spec.type,
      caseInsensitive: found.spec.caseInsensitive === true && found.spec.type === 'string',
      direction: match[2]?.toLowerCase() === 'desc' ? 'desc' : 'asc',
    });
  }
  return keys;
}

function parseSelect(text: string | undefined, map: PropertyMap): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim());
  const selected: string[] = [];
  for (const name of names) {
    if (name === '') throw badRequest('$select', `Invalid $select '${text}': empty property name.`);
    if (name.includes('/')) {
      throw badRequest('$select', `Invalid $select '${name}': select the whole of '${name.split('/')[0]}'.`);
    }
    const found = requireProperty(map, name, '$select');
    if (!selected.includes(found.name)) selected.push(found.name);
  }
  return selected;
}

/**
 * Validates a list request's Graph query options against a resource's property map. Throws
 * {@link ODataError} (always 400) naming the option, property or position at fault. Options without a
 * `$` are left to the route.
 *
 * @example
 * ```ts
 * const options = parseQueryOptions(request.query as Record<string, unknown>, USER_PROPERTIES);
 * // ?$filter=startswith(displayName,'ad')&$orderby=displayName desc&$top=50&$count=true&$select=id,displayName
 * // → { filter: {…}, orderBy: [{ property: 'displayName', direction: 'desc', … }], top: 50, count: true,
 * //     select: ['id', 'displayName'], … }
 * ```
 */
export function parseQueryOptions(
  query: Record<string, unknown>,
  map: PropertyMap,
  limits: Partial<QueryOptionLimits> = {},
): QueryOptions {
  const bounds = { ...DEFAULT_QUERY_OPTION_LIMITS, ...limits };
  const raw = collectOptions(query);
  const filterText = raw.get('$filter');
  const select = parseSelect(raw.get('$select'), map);
  const skipToken = raw.get('$skiptoken');
  const searchText = raw.get('$search');
  return {
    map,
    ...(filterText === undefined
      ? {}
      : { filter: bindFilter(parseFilter(filterText, bounds), map), filterText }),
    ...(searchText === undefined ? {} : { search: parseSearch(searchText, map, bounds), searchText }),
    orderBy: parseOrderBy(raw.get('$orderby'), map, bounds),
    top: parseTop(raw.get('$top'), bounds),
    ...(skipToken === undefined ? {} : { skipToken }),
    count: parseCount(raw.get('$count')),
    ...(select ? { select } : {}),
  };
}
