import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { isSet } from '../store/schema.js';

/** Graph's `organization` (the tenant). */
export interface Organization {
  id: string;
  displayName: string;
  tenantType: 'AAD';
  createdDateTime: string;
  verifiedDomains: {
    capabilities: string;
    isDefault: boolean;
    isInitial: boolean;
    name: string;
    type: string;
  }[];
}

/** Reads the tenant with its verified domains; undefined before `cloudsync cloud init`. */
export async function readOrganization(db: Kysely<Database>): Promise<Organization | undefined> {
  const tenant = await db.selectFrom('tenant').selectAll().executeTakeFirst();
  if (!tenant) return undefined;
  const domains = await db
    .selectFrom('domains')
    .selectAll()
    .where('is_verified', '=', 1)
    .orderBy('id')
    .execute();
  return {
    id: tenant.id,
    displayName: tenant.display_name,
    tenantType: 'AAD',
    createdDateTime: tenant.created_at,
    verifiedDomains: domains.map((d) => ({
      capabilities: 'Email',
      isDefault: isSet(d.is_default),
      isInitial: isSet(d.is_initial),
      name: d.id,
      type: d.authentication_type,
    })),
  };
}
