import type { Kysely, SelectQueryBuilder } from 'kysely';
import { notFound, syncMastered } from '../../errors.js';
import type { Database, GroupsTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { CLOUD_ONLY_COLUMNS } from '../cloud-only.js';
import { objectReads } from '../object-reads.js';
import { objectWrites } from '../object-writes.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import { timeOrderedId } from '../time-ordered-id.js';
import { type DirectoryGroup, SYNC_MASTERED_GROUP_PROPERTIES, toDirectoryGroup } from './group-model.js';
import { createMembership } from './membership.js';

export interface NewGroup {
  displayName: string;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  description?: string | null;
  groupTypes?: string[];
}

export interface GroupPatch {
  displayName?: string;
  description?: string | null;
  mailNickname?: string;
}

export type GroupQuery = SelectQueryBuilder<Database, 'groups', GroupsTable>;

/** Groups and their members (users, groups, contacts), nesting without cycles. */
export function createGroupDirectory({ db, audit, clock }: DirectoryServiceDeps) {
  async function requireRow(trx: Kysely<Database>, id: string): Promise<GroupsTable> {
    const row = await trx.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return row;
  }
  const writes = objectWrites({
    audit,
    requireRow,
    category: 'GroupManagement',
    type: 'Group',
    nameOf: (row) => row.display_name,
  });
  const query = (): GroupQuery => db.selectFrom('groups').selectAll();
  const { get, list } = objectReads({ db, requireRow, query, toModel: toDirectoryGroup });

  async function create(actor: Actor, input: NewGroup): Promise<DirectoryGroup> {
    const id = timeOrderedId();
    return audit.audited(
      actor,
      {
        category: 'GroupManagement',
        activity: 'Add group',
        operationType: 'Add',
        target: { id, type: 'Group', name: input.displayName },
      },
      async (trx) => {
        const row: GroupsTable = {
          id,
          display_name: input.displayName,
          description: input.description ?? null,
          mail_nickname: input.mailNickname,
          mail: null,
          mail_enabled: input.mailEnabled ? 1 : 0,
          security_enabled: input.securityEnabled ? 1 : 0,
          group_types: JSON.stringify(input.groupTypes ?? []),
          ...CLOUD_ONLY_COLUMNS,
          created_at: clock.now().toISOString(),
        };
        await trx.insertInto('groups').values(row).execute();
        return toDirectoryGroup(row);
      },
    );
  }

  async function update(actor: Actor, id: string, patch: GroupPatch): Promise<DirectoryGroup> {
    const what = { activity: 'Update group', operationType: 'Update' } as const;
    return writes.change(actor, id, what, async (trx, row, event) => {
      if (isSet(row.on_premises_sync_enabled)) {
        const mastered = Object.keys(patch).find((p) => SYNC_MASTERED_GROUP_PROPERTIES.has(p));
        if (mastered) throw syncMastered(mastered);
      }
      const values: Partial<GroupsTable> = {};
      if (patch.displayName !== undefined) values.display_name = patch.displayName;
      if (patch.description !== undefined) values.description = patch.description;
      if (patch.mailNickname !== undefined) values.mail_nickname = patch.mailNickname;
      event.modifiedProperties = Object.entries(values).map(([k, v]) => ({
        displayName: k,
        oldValue: JSON.stringify(row[k as keyof GroupsTable] ?? null), // k is a GroupsTable column set just above
        newValue: JSON.stringify(v ?? null),
      }));
      if (Object.keys(values).length > 0)
        await trx.updateTable('groups').set(values).where('id', '=', id).execute();
      return toDirectoryGroup({ ...row, ...values });
    });
  }

  /** Deletes a group. Synced groups are deleted on premises: only the ingest (`bySync`) may. */
  async function remove(actor: Actor, id: string, options: { bySync?: boolean } = {}): Promise<void> {
    const what = { activity: 'Delete group', how: 'delete the group in the on-premises directory' };
    await writes.remove(actor, id, options, what, async (trx) => {
      await trx.deleteFrom('group_members').where('member_id', '=', id).execute();
      await trx.deleteFrom('group_members').where('group_id', '=', id).execute();
      await trx.deleteFrom('groups').where('id', '=', id).execute();
    });
  }

  return {
    query,
    create,
    get,
    list,
    update,
    remove,
    ...createMembership({ db, audit, clock, requireGroup: requireRow }),
  };
}

export type GroupDirectory = ReturnType<typeof createGroupDirectory>;
