import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { runListContract } from './testing/list-contract.js';
import type { FixtureDatabase } from './testing/user-fixture.js';

runListContract('sqlite', async () => {
  const db = new Kysely<FixtureDatabase>({
    dialect: new SqliteDialect({ database: new Database(':memory:') }),
  });
  return { db, close: () => db.destroy() };
});
