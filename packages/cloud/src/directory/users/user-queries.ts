import type { Kysely } from 'kysely';
import { duplicateValue, notFound } from '../../errors.js';
import { isUniqueViolation } from '../../store/open-store.js';
import type { Database, UsersTable } from '../../store/schema.js';
import type { AuditLog } from '../audit-log.js';
import { objectWrites } from '../object-writes.js';
import { type AssignedLicense, type DirectoryUser, toDirectoryUser } from './user-model.js';

/** Loads the licences of several users in one query. */
export async function loadLicenses(
  db: Kysely<Database>,
  userIds: string[],
): Promise<Map<string, AssignedLicense[]>> {
  const byUser = new Map<string, AssignedLicense[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('license_assignments')
    .select(['user_id', 'sku_id', 'disabled_plans'])
    .where('user_id', 'in', userIds)
    .orderBy('assigned_at')
    .execute();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    // Written by the licence directory from a string[].
    list.push({ skuId: row.sku_id, disabledPlans: JSON.parse(row.disabled_plans) as string[] });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Maps rows to users with their licences. */
export async function withLicenses(db: Kysely<Database>, rows: UsersTable[]): Promise<DirectoryUser[]> {
  const licenses = await loadLicenses(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toDirectoryUser(r, licenses.get(r.id) ?? []));
}

/** Finds a user row by id or UPN (case-insensitive); `deleted` selects live or soft-deleted users. */
export async function findUserRow(
  db: Kysely<Database>,
  idOrUpn: string,
  deleted = false,
): Promise<UsersTable | undefined> {
  let q = db.selectFrom('users').selectAll();
  q = idOrUpn.includes('@') ? q.where('upn_key', '=', idOrUpn.toLowerCase()) : q.where('id', '=', idOrUpn);
  q = deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null);
  return q.executeTakeFirst();
}

export async function requireUserRow(
  db: Kysely<Database>,
  idOrUpn: string,
  deleted = false,
): Promise<UsersTable> {
  const row = await findUserRow(db, idOrUpn, deleted);
  if (!row) throw notFound(idOrUpn);
  return row;
}

/** Throws Graph's duplicate error when another user (live or deleted) holds the UPN. */
export async function assertUpnFree(db: Kysely<Database>, upn: string, exceptId?: string): Promise<void> {
  const holder = await db
    .selectFrom('users')
    .select('id')
    .where('upn_key', '=', upn.toLowerCase())
    .executeTakeFirst();
  if (holder && holder.id !== exceptId) throw duplicateValue('userPrincipalName');
}

/** Re-throws a unique violation on the UPN as Graph's 400 (two writers raced past the check). */
export function mapUniqueViolation(err: unknown, property: string): never {
  if (isUniqueViolation(err)) throw duplicateValue(property);
  throw err;
}

/**
 * Audited writes on a live user found by id or UPN, the user (id, UPN) named as the event's target.
 * @example
 *   await userWrites(audit).change(actor, idOrUpn, { activity: 'Update user', operationType: 'Update' }, work);
 */
export function userWrites(audit: AuditLog) {
  return objectWrites({
    audit,
    requireRow: (trx, idOrUpn) => requireUserRow(trx, idOrUpn),
    category: 'UserManagement',
    type: 'User',
    nameOf: (row) => row.user_principal_name,
  });
}
