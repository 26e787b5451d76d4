// Per-test PostgreSQL databases on the server that `npm test` starts (CLOUDSYNC_TEST_PG_URL).
import pg from 'pg';
import { uniqueName } from './unique.js';

/** The superuser URL of the test PostgreSQL (to the `postgres` database). */
export function pgUrlFromEnv(): string {
  const url = process.env.CLOUDSYNC_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'CLOUDSYNC_TEST_PG_URL is not set: run through `npm test` (or `npm test -- <file>`), which starts PostgreSQL',
    );
  }
  return url;
}

/**
 * Creates a fresh, uniquely named database and returns its URL (same superuser). Nothing shared is
 * dropped; the whole server goes away at the end of the run.
 * @example const url = await createTestDatabase(); const db = new pg.Client(url);
 */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const admin = pgUrlFromEnv();
  const name = uniqueName(prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_'), 63).replace(/-/g, '_');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
