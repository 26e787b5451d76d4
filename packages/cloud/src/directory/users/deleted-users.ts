import { notFound } from '../../errors.js';
import type { Actor } from '../actor.js';
import { refuseSyncedDelete } from '../object-writes.js';
import { assertNotLastGlobalAdmin } from '../roles/role-directory.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import type { UserQuery } from './user-directory.js';
import type { DirectoryUser } from './user-model.js';
import { assertUpnFree, requireUserRow, userWrites, withLicenses } from './user-queries.js';

/** How long a deleted user can be restored. */
export const RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Soft deletion of users: delete keeps the user (and its UPN, memberships, licences) for
 * {@link RETENTION_DAYS} days, restore brings it back, purge removes it for good.
 */
export function createDeletedUsers({ db, audit, clock }: DirectoryServiceDeps) {
  function cutoff(): string {
    return new Date(clock.now().getTime() - RETENTION_DAYS * DAY_MS).toISOString();
  }

  /** Soft-deletes a user. Synced users are deleted on premises: only the ingest (`bySync`) may. */
  async function remove(actor: Actor, idOrUpn: string, options: { bySync?: boolean } = {}): Promise<void> {
    await userWrites(audit).change(
      actor,
      idOrUpn,
      { activity: 'Delete user', operationType: 'Delete' },
      async (trx, row) => {
        await assertNotLastGlobalAdmin(trx, row.id);
        refuseSyncedDelete(row, options, 'delete the user in the on-premises directory');
        await trx
          .updateTable('users')
          .set({ deleted_at: clock.now().toISOString() })
          .where('id', '=', row.id)
          .execute();
      },
    );
  }

  /** Deleted users still within retention; `refine` pages them like live ones. */
  async function list(refine: (q: UserQuery) => UserQuery): Promise<DirectoryUser[]> {
    const rows = await refine(
      db
        .selectFrom('users')
        .selectAll()
        .where('deleted_at', 'is not', null)
        .where('deleted_at', '>=', cutoff()),
    ).execute();
    return withLicenses(db, rows);
  }

  async function get(id: string): Promise<DirectoryUser> {
    const row = await requireUserRow(db, id, true);
    if (row.deleted_at !== null && row.deleted_at < cutoff()) throw notFound(id);
    const [user] = await withLicenses(db, [row]);
    if (!user) throw notFound(id);
    return user;
  }

  async function restore(actor: Actor, id: string): Promise<DirectoryUser> {
    return audit.audited(
      actor,
      { category: 'UserManagement', activity: 'Restore user', operationType: 'Restore' },
      async (trx, event) => {
        const row = await requireUserRow(trx, id, true);
        if (row.deleted_at !== null && row.deleted_at < cutoff()) throw notFound(id);
        event.target = { id: row.id, type: 'User', name: row.user_principal_name };
        await assertUpnFree(trx, row.user_principal_name, row.id);
        await trx.updateTable('users').set({ deleted_at: null }).where('id', '=', row.id).execute();
        const [user] = await withLicenses(trx, [{ ...row, deleted_at: null }]);
        if (!user) throw notFound(id);
        return user;
      },
    );
  }

  /** Removes one user for good: its licences free their seats, its memberships and roles go. */
  async function hardDelete(actor: Actor, id: string, onlyExpired = false): Promise<void> {
    await audit.audited(
      actor,
      { category: 'UserManagement', activity: 'Hard delete user', operationType: 'Delete' },
      async (trx, event) => {
        const row = await requireUserRow(trx, id, true);
        if (onlyExpired && row.deleted_at !== null && row.deleted_at >= cutoff()) return;
        event.target = { id: row.id, type: 'User', name: row.user_principal_name };
        const skus = await trx
          .selectFrom('license_assignments')
          .select('sku_id')
          .where('user_id', '=', row.id)
          .execute();
        for (const { sku_id } of skus) {
          await trx
            .updateTable('subscribed_skus')
            .set((eb) => ({ consumed_units: eb('consumed_units', '-', 1) }))
            .where('sku_id', '=', sku_id)
            .execute();
        }
        await trx.deleteFrom('license_assignments').where('user_id', '=', row.id).execute();
        await trx.deleteFrom('group_members').where('member_id', '=', row.id).execute();
        await trx.deleteFrom('directory_role_assignments').where('principal_id', '=', row.id).execute();
        await trx.deleteFrom('users').where('id', '=', row.id).execute();
      },
    );
  }

  /** Purges users deleted more than {@link RETENTION_DAYS} days ago; returns how many went. */
  async function purgeExpired(actor: Actor): Promise<number> {
    const expired = await db
      .selectFrom('users')
      .select('id')
      .where('deleted_at', 'is not', null)
      .where('deleted_at', '<', cutoff())
      .execute();
    for (const { id } of expired) await hardDelete(actor, id, true);
    return expired.length;
  }

  /** The deleted-users query (within retention) for OData to refine and run. */
  function query(): UserQuery {
    return db
      .selectFrom('users')
      .selectAll()
      .where('deleted_at', 'is not', null)
      .where('deleted_at', '>=', cutoff());
  }

  return { remove, list, get, restore, hardDelete, purgeExpired, query };
}

export type DeletedUsers = ReturnType<typeof createDeletedUsers>;
