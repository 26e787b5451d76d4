import type { Kysely } from 'kysely';
import { badRequest } from '../errors.js';
import type { Database, Flag } from '../store/schema.js';
import { isSet } from '../store/schema.js';
import type { Actor } from './actor.js';
import type { AuditCategory, AuditEvent, AuditLog } from './audit-log.js';

/**
 * Refuses to delete an on-premises-mastered object unless the sync ingest (`bySync`) asks; `how`
 * tells the admin where to delete it instead.
 */
export function refuseSyncedDelete(
  row: { on_premises_sync_enabled: Flag },
  options: { bySync?: boolean },
  how: string,
): void {
  if (isSet(row.on_premises_sync_enabled) && !options.bySync) {
    throw badRequest(`Unable to delete on-premises mastered Directory Sync objects: ${how}.`, 'id');
  }
}

/**
 * Audited writes on one kind of directory object (users, groups, contacts): each runs in one
 * transaction, loads the object's row (404 when missing) and names it as the audit event's target
 * (its id, and the name `nameOf` gives) before `work`.
 * @example
 *   const writes = objectWrites({ audit, requireRow, category: 'GroupManagement', type: 'Group', nameOf });
 *   await writes.change(actor, id, { activity: 'Update group', operationType: 'Update' }, work);
 */
export function objectWrites<Row extends { id: string; on_premises_sync_enabled: Flag }>({
  audit,
  requireRow,
  category,
  type,
  nameOf,
}: {
  audit: AuditLog;
  requireRow: (trx: Kysely<Database>, id: string) => Promise<Row>;
  category: AuditCategory;
  type: string;
  nameOf: (row: Row) => string;
}) {
  function change<T>(
    actor: Actor,
    /** The id (or, for users, the UPN) `requireRow` finds the object by. */
    id: string,
    what: Pick<AuditEvent, 'activity' | 'operationType'>,
    work: (trx: Kysely<Database>, row: Row, event: AuditEvent) => Promise<T>,
  ): Promise<T> {
    return audit.audited(actor, { category, ...what }, async (trx, event) => {
      const row = await requireRow(trx, id);
      event.target = { id: row.id, type, name: nameOf(row) };
      return work(trx, row, event);
    });
  }

  /** Deletes the object with `deletes`; a synced one only when the ingest asks (`bySync`). */
  async function remove(
    actor: Actor,
    id: string,
    options: { bySync?: boolean },
    { activity, how }: { activity: string; how: string },
    deletes: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<void> {
    await change(actor, id, { activity, operationType: 'Delete' }, async (trx, row) => {
      refuseSyncedDelete(row, options, how);
      await deletes(trx);
    });
  }

  return { change, remove };
}
