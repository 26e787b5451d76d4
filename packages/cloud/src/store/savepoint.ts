import { type Kysely, sql } from 'kysely';

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Runs `work` inside a savepoint of the caller's transaction `trx` (SQLite and PostgreSQL): when
 * `work` throws, what it wrote is rolled back and the error rethrown, and the transaction stays usable
 * (on PostgreSQL a failed statement otherwise aborts the whole transaction).
 * Savepoints nest; an inner one may reuse an outer one's name.
 * @example
 *   await db.transaction().execute(async (trx) => {
 *     for (const change of changes) await withSavepoint(trx, 'change', () => apply(trx, change)).catch(log);
 *   });
 */
export async function withSavepoint<DB, T>(
  trx: Kysely<DB>,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!NAME.test(name)) throw new Error(`invalid savepoint name ${name}`);
  await sql.raw(`savepoint ${name}`).execute(trx);
  let value: T;
  try {
    value = await work();
  } catch (err) {
    await sql.raw(`rollback to savepoint ${name}`).execute(trx);
    await sql.raw(`release savepoint ${name}`).execute(trx);
    throw err;
  }
  await sql.raw(`release savepoint ${name}`).execute(trx);
  return value;
}
