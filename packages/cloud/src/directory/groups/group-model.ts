import type { GroupsTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';

/** A group as Graph shows it. */
export interface DirectoryGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesDomainName: string | null;
  onPremisesSecurityIdentifier: string | null;
  onPremisesLastSyncDateTime: string | null;
  createdDateTime: string;
}

/** Graph property → column, for `$filter`/`$orderby` on groups. */
export const GROUP_COLUMNS = {
  id: 'id',
  displayName: 'display_name',
  description: 'description',
  mailNickname: 'mail_nickname',
  mail: 'mail',
  mailEnabled: 'mail_enabled',
  securityEnabled: 'security_enabled',
  onPremisesSyncEnabled: 'on_premises_sync_enabled',
  createdDateTime: 'created_at',
} as const satisfies Record<string, keyof GroupsTable>;

/** Attributes of a synced group mastered on premises (and its membership). */
export const SYNC_MASTERED_GROUP_PROPERTIES: ReadonlySet<string> = new Set([
  'displayName',
  'description',
  'mailNickname',
  'mail',
  'mailEnabled',
  'securityEnabled',
  'members',
]);

export function toDirectoryGroup(row: GroupsTable): DirectoryGroup {
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mailNickname: row.mail_nickname,
    mail: row.mail,
    mailEnabled: isSet(row.mail_enabled),
    securityEnabled: isSet(row.security_enabled),
    // Written by the group directory from a string[].
    groupTypes: JSON.parse(row.group_types) as string[],
    onPremisesSyncEnabled: isSet(row.on_premises_sync_enabled) ? true : null,
    onPremisesImmutableId: row.on_premises_immutable_id,
    onPremisesSamAccountName: row.on_premises_sam_account_name,
    onPremisesDomainName: row.on_premises_domain_name,
    onPremisesSecurityIdentifier: row.on_premises_security_identifier,
    onPremisesLastSyncDateTime: row.on_premises_last_sync_at,
    createdDateTime: row.created_at,
  };
}
