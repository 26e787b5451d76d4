import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { compileFilter, valueSql } from './compile-filter.js';
import type { PropertyType } from './property-map.js';
import { columnName } from './property-map.js';
import type { OrderKey, QueryOptions } from './query-options.js';
import { queryContext, type SkipTokenCodec, type SkipTokenValue } from './skip-token.js';

/** One page of a list: the rows, the total when `$count=true`, and the token of the next page if any. */
export interface ListPage<O> {
  rows: O[];
  /** All objects matching `$filter`, across pages; present when `$count=true`. */
  count?: number;
  /** `$skiptoken` of the next page; absent on the last page. Turn it into a link with `buildNextLink`. */
  skipToken?: string;
}

type Sql = RawBuilder<unknown>;

/** A sort key; `nullable` is false only for the map's key column. */
type SortKey = OrderKey & { nullable: boolean };

/** The sort, with the map's key column appended as the tie-breaker that makes it total. */
function sortKeys(options: QueryOptions): SortKey[] {
  const keyColumn = options.map.key;
  const keys = options.orderBy.map((key) => ({ ...key, nullable: key.column !== keyColumn }));
  if (!keys.some((key) => key.column === keyColumn)) {
    const direction = keys.at(-1)?.direction ?? 'asc';
    keys.push({
      property: 'id',
      column: keyColumn,
      type: 'guid',
      caseInsensitive: false,
      direction,
      nullable: false,
    });
  }
  return keys;
}

function keySql(key: OrderKey): Sql {
  return key.caseInsensitive ? sql`lower(${sql.ref(key.column)})` : sql.ref(key.column);
}

function keyValueSql(key: OrderKey, value: string | number | boolean): Sql {
  return key.caseInsensitive ? sql`lower(${sql.val(value)})` : valueSql(value);
}

// Nulls sort first going up and last going down, as OData orders them, and both dialects are told so.
// The key column has no nulls and is left plain, so its primary-key index serves the default order.
function orderSql(key: SortKey): Sql {
  if (!key.nullable) return key.direction === 'asc' ? sql`${keySql(key)} asc` : sql`${keySql(key)} desc`;
  return key.direction === 'asc' ? sql`${keySql(key)} asc nulls first` : sql`${keySql(key)} desc nulls last`;
}

/** Rows strictly after the cursor in the order of `keys`, nulls being the smallest values. */
function keysetSql(keys: readonly SortKey[], cursor: readonly SkipTokenValue[]): RawBuilder<SqlBool> {
  const branches: Sql[] = [];
  const equalSoFar: Sql[] = [];
  keys.forEach((key, index) => {
    const value = cursor[index] ?? null;
    const ref = sql.ref(key.column);
    let after: Sql | undefined;
    if (key.direction === 'asc') {
      after = value === null ? sql`${ref} is not null` : sql`${keySql(key)} > ${keyValueSql(key, value)}`;
    } else if (value !== null) {
      const below = sql`${keySql(key)} < ${keyValueSql(key, value)}`;
      after = key.nullable ? sql`(${below} or ${ref} is null)` : below;
    }
    if (after) branches.push(sql`(${sql.join([...equalSoFar, after], sql` and `)})`);
    equalSoFar.push(value === null ? sql`${ref} is null` : sql`${keySql(key)} = ${keyValueSql(key, value)}`);
  });
  if (branches.length === 0) return sql<SqlBool>`1 = 0`;
  const after = sql`(${sql.join(branches, sql` or `)})`;
  // Implied by the branches, but a plain range the planner can start an index scan at. Going down, the
  // rows after the cursor are "below it, or null", which no single index range expresses: such pages
  // filter the index scan as OFFSET would.
  const [first] = keys;
  const start = cursor[0];
  if (first?.direction === 'asc' && start !== null && start !== undefined) {
    return sql<SqlBool>`${keySql(first)} >= ${keyValueSql(first, start)} and ${after}`;
  }
  return sql<SqlBool>`${after}`;
}

/** A row's sort-key value in a form that survives JSON and binds back to the same column. */
function tokenValue(type: PropertyType, value: unknown): SkipTokenValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (type === 'bool') return value === true || value === 1 || value === 1n;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`A ${type} sort key cannot be carried in a $skiptoken.`);
}

/** A field of a result row, read without knowing the row's type. */
function readField(row: unknown, name: string): { found: boolean; value: unknown } {
  if (typeof row !== 'object' || row === null || !Object.hasOwn(row, name))
    return { found: false, value: undefined };
  return { found: true, value: Object.getOwnPropertyDescriptor(row, name)?.value };
}

function readKey(row: unknown, key: OrderKey): SkipTokenValue {
  const name = columnName(key.column);
  const field = readField(row, name).found ? readField(row, name) : readField(row, key.property);
  if (!field.found) throw new TypeError(`The list query must select '${name}' to page by ${key.property}.`);
  return tokenValue(key.type, field.value);
}

function tokenContext(options: QueryOptions): string {
  const order = options.orderBy.map((key) => [key.property, key.direction]);
  return queryContext([options.map.resource, options.filterText ?? null, options.searchText ?? null, order]);
}

/**
 * Adds `$filter` and `$search` to a query as `where`s. Use it for queries the route runs itself
 * (e.g. `/users/$count`).
 */
export function applyFilter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: QueryOptions,
): SelectQueryBuilder<DB, TB, O> {
  let filtered = options.filter ? query.where(compileFilter(options.filter)) : query;
  if (options.search) filtered = filtered.where(compileFilter(options.search));
  return filtered;
}

/** Counts the rows of a filtered query, whatever it selects. PostgreSQL's bigint count comes back as text. */
export async function countRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = await query
    .clearSelect()
    .clearOrderBy()
    .clearLimit()
    .clearOffset()
    .select(sql<number | string | bigint>`count(*)`.as('count'))
    .executeTakeFirst();
  return Number(readField(row, 'count').value ?? 0);
}

/**
 * Runs one page of a Graph list: `$filter`, `$orderby` (plus the key as tie-breaker), `$top` and keyset
 * paging from `$skiptoken`, and the total when `$count=true`. The query must select the sort columns and
 * the key under their column names (or their Graph names); `selectAll()` does. Any `order by`, `limit` or
 * `offset` already on the query is replaced: keyset paging needs its own.
 *
 * Pages are ordered `<sort expression> asc nulls first` (or `desc nulls last`), then the key in the last
 * key's direction; an index on the same expressions serves both directions, e.g.
 * `create index users_by_name on users (lower(display_name) asc nulls first, id)`.
 */
export async function listPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: QueryOptions,
  tokens: SkipTokenCodec,
): Promise<ListPage<O>> {
  const keys = sortKeys(options);
  const context = tokenContext(options);
  const filtered = applyFilter(query.clearOrderBy().clearLimit().clearOffset(), options);
  let paged = filtered;
  if (options.skipToken !== undefined) {
    paged = paged.where(keysetSql(keys, tokens.decode(options.skipToken, context, keys.length)));
  }
  for (const key of keys) paged = paged.orderBy(orderSql(key));
  const found = await paged.limit(options.top + 1).execute();
  const rows = found.slice(0, options.top);
  const last = rows.at(-1);
  const page: ListPage<O> = { rows };
  if (found.length > options.top && last) {
    page.skipToken = tokens.encode(
      keys.map((key) => readKey(last, key)),
      context,
    );
  }
  if (options.count) page.count = await countRows(filtered);
  return page;
}
