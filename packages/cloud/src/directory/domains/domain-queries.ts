import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

/** Whether `domain` is a verified domain of the tenant (the initial domain always is). */
export async function isVerifiedDomain(db: Kysely<Database>, domain: string): Promise<boolean> {
  const row = await db
    .selectFrom('domains')
    .select('id')
    .where('id', '=', domain.toLowerCase())
    .where('is_verified', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The tenant's initial domain, if the tenant exists. */
export async function initialDomain(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('domains').select('id').where('is_initial', '=', 1).executeTakeFirst();
  return row?.id;
}
