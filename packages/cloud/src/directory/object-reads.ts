import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * `get` (404 when missing) and `list` (the query refined by OData: filter, order, page) of one kind
 * of directory object, each row turned into its Graph shape by `toModel`.
 * @example
 *   const { get, list } = objectReads({ db, requireRow, query, toModel: toContact });
 */
export function objectReads<Row, Model, Query extends { execute(): Promise<Row[]> }>(deps: {
  db: Kysely<Database>;
  requireRow: (db: Kysely<Database>, id: string) => Promise<Row>;
  query: () => Query;
  toModel: (row: Row) => Model;
}) {
  return {
    get: async (id: string): Promise<Model> => deps.toModel(await deps.requireRow(deps.db, id)),
    list: async (refine: (q: Query) => Query): Promise<Model[]> =>
      (await refine(deps.query()).execute()).map(deps.toModel),
  };
}
