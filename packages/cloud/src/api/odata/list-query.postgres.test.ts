import { test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createTestDatabase } from '../../../../../tests/support/postgres.js';
import { runListContract } from './testing/list-contract.js';
import type { FixtureDatabase } from './testing/user-fixture.js';

// `npm test` starts PostgreSQL and sets CLOUDSYNC_TEST_PG_URL; a bare `node --test` run has none.
if (process.env.CLOUDSYNC_TEST_PG_URL) {
  runListContract('postgres', async () => {
    const pool = new pg.Pool({ connectionString: await createTestDatabase('odata'), max: 2 });
    const db = new Kysely<FixtureDatabase>({ dialect: new PostgresDialect({ pool }) });
    return { db, close: () => db.destroy() };
  });
} else {
  test('OData list queries on postgres', { skip: 'CLOUDSYNC_TEST_PG_URL is not set' }, () => {});
}
