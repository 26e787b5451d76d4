import type { Kysely } from 'kysely';
import type { Database, GroupsTable } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { AuditLog } from '../audit-log.js';
import type { Clock } from '../clock.js';
import { timeOrderedId } from '../time-ordered-id.js';
import { type DirectoryGroup, toDirectoryGroup } from './group-model.js';

/** A group as the sync ingest hands it over, anchored by its immutable id. */
export interface SyncedGroupInput {
  onPremisesImmutableId: string;
  displayName: string;
  mailNickname: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
  description?: string | null;
  mail?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesDistinguishedName?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
}

/**
 * The sync ingest's entry to groups: creates or updates the group anchored by `onPremisesImmutableId`,
 * bypassing the admin guard. Members go through `groups.addMember/removeMember(..., { bySync: true })`.
 */
export function createSyncedGroups({
  audit,
  clock,
}: {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
}) {
  async function upsertSyncedGroup(
    actor: Actor,
    input: SyncedGroupInput,
  ): Promise<{ group: DirectoryGroup; created: boolean }> {
    return audit.audited(
      actor,
      { category: 'GroupManagement', activity: 'Synchronize group', operationType: 'Update' },
      async (trx, event) => {
        const existing = await trx
          .selectFrom('groups')
          .selectAll()
          .where('on_premises_immutable_id', '=', input.onPremisesImmutableId)
          .executeTakeFirst();
        const now = clock.now().toISOString();
        const row: GroupsTable = {
          id: existing?.id ?? timeOrderedId(),
          created_at: existing?.created_at ?? now,
          group_types: existing?.group_types ?? '[]',
          display_name: input.displayName,
          description: input.description ?? null,
          mail_nickname: input.mailNickname,
          mail: input.mail ?? null,
          mail_enabled: input.mailEnabled ? 1 : 0,
          security_enabled: input.securityEnabled ? 1 : 0,
          on_premises_sync_enabled: 1,
          on_premises_immutable_id: input.onPremisesImmutableId,
          on_premises_sam_account_name: input.onPremisesSamAccountName ?? null,
          on_premises_distinguished_name: input.onPremisesDistinguishedName ?? null,
          on_premises_domain_name: input.onPremisesDomainName ?? null,
          on_premises_security_identifier: input.onPremisesSecurityIdentifier ?? null,
          on_premises_last_sync_at: now,
        };
        event.target = { id: row.id, type: 'Group', name: row.display_name };
        event.operationType = existing ? 'Update' : 'Add';
        if (existing) await trx.updateTable('groups').set(row).where('id', '=', row.id).execute();
        else await trx.insertInto('groups').values(row).execute();
        return { group: toDirectoryGroup(row), created: !existing };
      },
    );
  }

  return { upsertSyncedGroup };
}

export type SyncedGroups = ReturnType<typeof createSyncedGroups>;
