/**
 * The OData query layer of the Graph-shaped admin API: `$filter`, `$search`, `$orderby`, `$top`,
 * `$skiptoken`, `$count` and `$select` checked against a per-resource property map and compiled to Kysely.
 *
 * @example
 * ```ts
 * // composition root
 * const odata = createOData({ skipTokenSecret: config.skipTokenSecret });
 *
 * // GET /v1.0/users
 * const options = odata.parse(request.query, USER_PROPERTIES); // throws ODataError (400)
 * const page = await odata.list(db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId), options);
 * return {
 *   '@odata.context': `${base}/$metadata#users`,
 *   ...(page.count === undefined ? {} : { '@odata.count': page.count }),
 *   value: page.rows.map((row) => toGraphUser(row, options.select)),
 *   ...(page.skipToken ? { '@odata.nextLink': buildNextLink(requestUrl, page.skipToken) } : {}),
 * };
 * ```
 */
import type { SelectQueryBuilder } from 'kysely';
import { applyFilter, countRows, type ListPage, listPage } from './list-query.js';
import type { PropertyMap } from './property-map.js';
import { parseQueryOptions, type QueryOptionLimits, type QueryOptions } from './query-options.js';
import { createSkipTokenCodec } from './skip-token.js';

export { bindFilter } from './bind-filter.js';
export type { BoundFilter, ColumnTarget, FilterValue } from './bound-filter.js';
export { compileFilter, escapeLike } from './compile-filter.js';
export { ODataError, type ODataErrorCode, type ODataErrorDetails } from './errors.js';
export type { FilterLiteral, FilterNode, FilterPath } from './filter-ast.js';
export { DEFAULT_FILTER_LIMITS, type FilterLimits, parseFilter } from './filter-parser.js';
export { applyFilter, countRows, type ListPage, listPage } from './list-query.js';
export { buildNextLink } from './next-link.js';
export {
  type CollectionProperty,
  definePropertyMap,
  findProperty,
  type PropertyMap,
  type PropertySpec,
  type PropertyType,
  type ScalarProperty,
} from './property-map.js';
export {
  DEFAULT_QUERY_OPTION_LIMITS,
  type OrderKey,
  parseOrderBy,
  parseQueryOptions,
  type QueryOptionLimits,
  type QueryOptions,
} from './query-options.js';
export { parseSearch } from './search.js';
export { createSkipTokenCodec, type SkipTokenCodec, type SkipTokenValue } from './skip-token.js';

export interface ODataConfig {
  /** Signs `$skiptoken`s; at least 16 bytes. Keep it stable across restarts and instances, or links break. */
  skipTokenSecret: string | Uint8Array;
  /** Overrides of `$top` and `$filter` limits (defaults: Graph's 100 / 999 and {@link DEFAULT_FILTER_LIMITS}). */
  limits?: Partial<QueryOptionLimits>;
}

/** The OData layer bound to its secret and limits: what list routes use. */
export interface OData {
  /** Validates the request's `$` options for one resource; throws {@link ODataError} (400). */
  parse(query: unknown, map: PropertyMap): QueryOptions;
  /** Runs one page of the list (filter, order, page, count); throws {@link ODataError} for a bad `$skiptoken`. */
  list<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
    options: QueryOptions,
  ): Promise<ListPage<O>>;
  /** The number of objects matching `$filter`, for `GET /users/$count`. */
  count<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
    options: QueryOptions,
  ): Promise<number>;
}

function asRecord(query: unknown): Record<string, unknown> {
  if (typeof query !== 'object' || query === null) return {};
  return Object.fromEntries(Object.entries(query));
}

/** Creates the OData layer; see the module example above. */
export function createOData(config: ODataConfig): OData {
  const tokens = createSkipTokenCodec(config.skipTokenSecret);
  const limits = config.limits ?? {};
  return {
    parse: (query, map) => parseQueryOptions(asRecord(query), map, limits),
    list: (query, options) => listPage(query, options, tokens),
    count: (query, options) => countRows(applyFilter(query, options)),
  };
}
