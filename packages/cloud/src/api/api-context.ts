import type { FastifyRequest } from 'fastify';
import type { SelectQueryBuilder } from 'kysely';
import type { Directory } from '../directory/index.js';
import type { OData, OrderKey, PropertyMap } from './odata/index.js';
import { buildNextLink } from './odata/index.js';
import type { AccessControl } from './route.js';

/** What the admin API's routes are built from (wired in the composition root). */
export interface ApiDeps {
  directory: Directory;
  odata: OData;
  access: AccessControl;
  /** Public base URL (no trailing slash), for `@odata.context` and `@odata.nextLink`. */
  publicUrl: string;
}

/** `<public URL>/v1.0/$metadata#<path>`. */
export function contextUrl(deps: ApiDeps, path: string): string {
  return `${deps.publicUrl}/v1.0/$metadata#${path}`;
}

function pick<T extends object>(item: T, select: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => select.includes(key))) as Partial<T>; // a subset of T's own entries
}

/**
 * Runs one page of a Graph list with the request's OData options and builds the collection body:
 * `@odata.context`, `@odata.count` (whenever `$count=true`, no `ConsistencyLevel` header needed),
 * `value` and `@odata.nextLink`.
 */
export async function listCollection<DB, TB extends keyof DB, Row, Out extends object>(
  deps: ApiDeps,
  request: FastifyRequest,
  spec: {
    map: PropertyMap;
    query: SelectQueryBuilder<DB, TB, Row>;
    hydrate: (rows: Row[]) => Promise<Out[]> | Out[];
    context: string;
    /** Order when the request has no `$orderby` (the key column always breaks ties). */
    defaultOrder?: OrderKey[];
  },
) {
  const parsed = deps.odata.parse(request.query, spec.map);
  const options =
    parsed.orderBy.length === 0 && spec.defaultOrder ? { ...parsed, orderBy: spec.defaultOrder } : parsed;
  const page = await deps.odata.list(spec.query, options);
  const items = await spec.hydrate(page.rows);
  const select = options.select;
  return {
    '@odata.context': contextUrl(deps, select ? `${spec.context}(${select.join(',')})` : spec.context),
    ...(page.count === undefined ? {} : { '@odata.count': page.count }),
    value: select ? items.map((item) => pick(item, select)) : items,
    ...(page.skipToken
      ? { '@odata.nextLink': buildNextLink(`${deps.publicUrl}${request.url}`, page.skipToken) }
      : {}),
  };
}
