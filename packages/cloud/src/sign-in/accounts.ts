import type { Kysely } from 'kysely';
import { ROLES, type Role } from '../auth/principal.js';
import { type Database, type Flag, isSet } from '../store/schema.js';

/** What sign-in needs to know about a directory user. Never carries the password hash. */
export interface SignInUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  accountEnabled: boolean;
  deleted: boolean;
}

/** Reads the directory's users and role assignments for sign-in and token checks. */
export interface AccountQueries {
  /** Finds a user (soft-deleted ones included, so the caller can say why sign-in is refused). */
  findByUpn(userPrincipalName: string): Promise<SignInUser | undefined>;
  findById(id: string): Promise<SignInUser | undefined>;
  /** The stored password hash of a user, for `verifyPassword` only. */
  passwordHashOf(id: string): Promise<string | null>;
  /** Directory roles currently assigned to a user or an app registration. */
  rolesOf(principalId: string): Promise<Role[]>;
  /** The tenant's id (one tenant per store). */
  tenantId(): Promise<string>;
}

const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

/**
 * Account queries over the directory store.
 * @example
 *   const accounts = createAccountQueries(db);
 *   const user = await accounts.findByUpn('adele@contoso.cloudsync.test');
 */
export function createAccountQueries(db: Kysely<Database>): AccountQueries {
  const columns = [
    'id',
    'user_principal_name',
    'display_name',
    'mail',
    'account_enabled',
    'deleted_at',
  ] as const;
  const toUser = (
    row: { id: string; user_principal_name: string; display_name: string; mail: string | null } & {
      account_enabled: Flag;
      deleted_at: string | null;
    },
  ): SignInUser => ({
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    mail: row.mail,
    accountEnabled: isSet(row.account_enabled),
    deleted: row.deleted_at !== null,
  });
  let tenant: string | undefined;

  return {
    async findByUpn(userPrincipalName) {
      const row = await db
        .selectFrom('users')
        .select(columns)
        .where('upn_key', '=', userPrincipalName.trim().toLowerCase())
        .executeTakeFirst();
      return row && toUser(row);
    },
    async findById(id) {
      const row = await db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async passwordHashOf(id) {
      const row = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.password_hash ?? null;
    },
    async rolesOf(principalId) {
      const rows = await db
        .selectFrom('directory_role_assignments')
        .select('role_name')
        .where('principal_id', '=', principalId)
        .execute();
      return rows.map((r) => r.role_name).filter(isRole);
    },
    async tenantId() {
      if (tenant) return tenant;
      const row = await db.selectFrom('tenant').select('id').executeTakeFirst();
      if (!row) throw new Error('the store has no tenant yet: initialise the tenant first');
      tenant = row.id;
      return tenant;
    },
  };
}
