import type { Kysely } from 'kysely';
import { CloudError } from '../errors.js';
import { withSavepoint } from '../store/savepoint.js';
import type { Database, DirectoryAuditsTable } from '../store/schema.js';
import type { Actor } from './actor.js';
import type { Clock } from './clock.js';
import { timeOrderedId } from './time-ordered-id.js';

export type AuditCategory =
  | 'UserManagement'
  | 'GroupManagement'
  | 'DirectoryManagement'
  | 'RoleManagement'
  | 'Other';

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

/** What a write is about; the target and the changes are filled in while the write runs. */
export interface AuditEvent {
  category: AuditCategory;
  activity: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Restore' | 'Verify';
  target?: { id: string; type: string; name?: string | null };
  modifiedProperties?: ModifiedProperty[];
}

/** One entry of the directory audit log, in Graph's `directoryAudit` shape. */
export interface DirectoryAudit {
  id: string;
  category: string;
  activityDateTime: string;
  activityDisplayName: string;
  operationType: string;
  result: 'success' | 'failure';
  resultReason: string;
  loggedByService: 'Core Directory';
  initiatedBy: {
    user: { id: string; userPrincipalName: string | null } | null;
    app: { appId: string; displayName: string | null } | null;
  };
  targetResources: {
    id: string | null;
    displayName: string | null;
    type: string | null;
    modifiedProperties: ModifiedProperty[];
  }[];
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/**
 * The directory audit log: every write records who did what to which object, and how it ended.
 * `record` takes the executor so a success is written in the write's own transaction.
 */
export function createAuditLog({ db, clock }: { db: Kysely<Database>; clock: Clock }) {
  async function record(
    executor: Kysely<Database>,
    actor: Actor,
    event: AuditEvent,
    result: 'success' | 'failure',
    reason = '',
  ): Promise<void> {
    await executor
      .insertInto('directory_audits')
      .values({
        id: timeOrderedId(),
        activity_date_time: clock.now().toISOString(),
        category: event.category,
        activity_display_name: event.activity,
        operation_type: event.operationType,
        result,
        result_reason: reason,
        initiated_by_kind: actor.kind,
        initiated_by_id: actor.id,
        initiated_by_name: actor.userPrincipalName ?? null,
        target_id: event.target?.id ?? null,
        target_type: event.target?.type ?? null,
        target_name: event.target?.name ?? null,
        modified_properties: JSON.stringify(event.modifiedProperties ?? []),
      })
      .execute();
  }

  /**
   * Runs `work` in one transaction and audits it: success inside the transaction, failure after the
   * rollback (so a refused write leaves only its audit entry behind). Over a caller's transaction
   * (a directory built on `trx`, as the sync ingest batches a page), a savepoint stands in for the
   * write's own transaction, and both entries go to the caller's transaction.
   */
  async function audited<T>(
    actor: Actor,
    event: AuditEvent,
    work: (trx: Kysely<Database>, event: AuditEvent) => Promise<T>,
  ): Promise<T> {
    const inTransaction = <V>(fn: (trx: Kysely<Database>) => Promise<V>): Promise<V> =>
      db.isTransaction ? withSavepoint(db, 'audited', () => fn(db)) : db.transaction().execute(fn);
    try {
      return await inTransaction(async (trx) => {
        const value = await work(trx, event);
        await record(trx, actor, event, 'success');
        return value;
      });
    } catch (err) {
      const reason = err instanceof CloudError && err.expose ? err.message : 'internal error';
      await record(db, actor, event, 'failure', reason).catch(() => undefined);
      throw err;
    }
  }

  /** Newest first, keyset-paged on (activityDateTime, id). */
  async function list(options: {
    top: number;
    after?: { at: string; id: string };
  }): Promise<DirectoryAudit[]> {
    let q = db.selectFrom('directory_audits').selectAll();
    const after = options.after;
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('activity_date_time', '<', after.at),
          eb.and([eb('activity_date_time', '=', after.at), eb('id', '<', after.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('activity_date_time', 'desc')
      .orderBy('id', 'desc')
      .limit(options.top)
      .execute();
    return rows.map(toDirectoryAudit);
  }

  /** The audit query for OData to refine and run; turn rows into entries with {@link toDirectoryAudit}. */
  const query = () => db.selectFrom('directory_audits').selectAll();

  return { record, audited, list, query };
}

export function toDirectoryAudit(row: DirectoryAuditsTable): DirectoryAudit {
  const isUser = row.initiated_by_kind === 'user';
  return {
    id: row.id,
    category: row.category,
    activityDateTime: row.activity_date_time,
    activityDisplayName: row.activity_display_name,
    operationType: row.operation_type,
    result: row.result,
    resultReason: row.result_reason,
    loggedByService: 'Core Directory',
    initiatedBy: {
      user: isUser ? { id: row.initiated_by_id, userPrincipalName: row.initiated_by_name } : null,
      app: isUser
        ? null
        : { appId: row.initiated_by_id, displayName: row.initiated_by_name ?? row.initiated_by_kind },
    },
    targetResources: row.target_id
      ? [
          {
            id: row.target_id,
            displayName: row.target_name,
            type: row.target_type,
            // Written by record() above from ModifiedProperty[], so the shape is known.
            modifiedProperties: JSON.parse(row.modified_properties) as ModifiedProperty[],
          },
        ]
      : [],
  };
}
