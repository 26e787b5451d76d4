import { type Kysely, sql } from 'kysely';
import { badRequest, notFound, syncMastered } from '../../errors.js';
import type { Database, GroupsTable, MemberType } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { AuditEvent } from '../audit-log.js';
import type { DirectoryServiceDeps } from '../service-deps.js';

/** A member as Graph lists it: a directory object with its type. */
/** The refusal when a group would contain itself, directly or through nested groups. */
export const NESTING_CYCLE = 'Adding this group as a member would create a nesting cycle.';

export interface GroupMember {
  '@odata.type': '#microsoft.graph.user' | '#microsoft.graph.group' | '#microsoft.graph.orgContact';
  id: string;
  displayName: string;
  userPrincipalName?: string;
  mail: string | null;
}

const ODATA_TYPE = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  contact: '#microsoft.graph.orgContact',
} as const;

/** Finds what kind of object an id names (live users only). */
export async function resolveMemberType(db: Kysely<Database>, id: string): Promise<MemberType | undefined> {
  if (
    await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
  )
    return 'user';
  if (await db.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst()) return 'group';
  if (await db.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst()) return 'contact';
  return undefined;
}

/** Whether `target` is `start` or nested somewhere below it (breadth-first over group members). */
async function reaches(db: Kysely<Database>, start: string, target: string): Promise<boolean> {
  const seen = new Set([start]);
  let frontier = [start];
  while (frontier.length > 0) {
    if (frontier.includes(target)) return true;
    const rows = await db
      .selectFrom('group_members')
      .select('member_id')
      .where('group_id', 'in', frontier)
      .where('member_type', '=', 'group')
      .execute();
    frontier = rows.map((r) => r.member_id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
  return false;
}

/** One row of the members query: every kind of member in one shape. */
export interface MemberRow {
  id: string;
  display_name: string;
  user_principal_name: string | null;
  mail: string | null;
  member_type: string;
}

/** Turns a members-query row into Graph's directory object. */
export function toGroupMember(row: MemberRow): GroupMember {
  const type = row.member_type === 'group' ? 'group' : row.member_type === 'contact' ? 'contact' : 'user';
  return {
    '@odata.type': ODATA_TYPE[type],
    id: row.id,
    displayName: row.display_name,
    ...(row.user_principal_name === null ? {} : { userPrincipalName: row.user_principal_name }),
    mail: row.mail,
  };
}

/**
 * The direct members of a group as one query (users, groups, contacts in a union aliased `m`), for
 * OData to filter, order and page like any other list.
 */
export function membersQuery(db: Kysely<Database>, groupId: string) {
  const users = db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.member_id')
    .select([
      'users.id as id',
      'users.display_name as display_name',
      sql<string | null>`users.user_principal_name`.as('user_principal_name'),
      'users.mail as mail',
      sql<string>`'user'`.as('member_type'),
    ])
    .where('group_members.group_id', '=', groupId)
    .where('users.deleted_at', 'is', null);
  const groups = db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.member_id')
    .select([
      'groups.id as id',
      'groups.display_name as display_name',
      sql<string | null>`null`.as('user_principal_name'),
      'groups.mail as mail',
      sql<string>`'group'`.as('member_type'),
    ])
    .where('group_members.group_id', '=', groupId);
  const contacts = db
    .selectFrom('group_members')
    .innerJoin('contacts', 'contacts.id', 'group_members.member_id')
    .select([
      'contacts.id as id',
      'contacts.display_name as display_name',
      sql<string | null>`null`.as('user_principal_name'),
      'contacts.mail as mail',
      sql<string>`'contact'`.as('member_type'),
    ])
    .where('group_members.group_id', '=', groupId);
  return db.selectFrom(users.unionAll(groups).unionAll(contacts).as('m')).selectAll();
}

export function createMembership(
  deps: DirectoryServiceDeps & {
    requireGroup: (db: Kysely<Database>, id: string) => Promise<GroupsTable>;
  },
) {
  const { db, audit, clock, requireGroup } = deps;

  async function listMembers(groupId: string): Promise<GroupMember[]> {
    await requireGroup(db, groupId);
    const users = await db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.member_id')
      .select(['users.id', 'display_name', 'user_principal_name', 'mail'])
      .where('group_id', '=', groupId)
      .where('deleted_at', 'is', null)
      .orderBy('users.id')
      .execute();
    const groups = await db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.member_id')
      .select(['groups.id', 'display_name', 'mail'])
      .where('group_id', '=', groupId)
      .orderBy('groups.id')
      .execute();
    const contacts = await db
      .selectFrom('group_members')
      .innerJoin('contacts', 'contacts.id', 'group_members.member_id')
      .select(['contacts.id', 'display_name', 'mail'])
      .where('group_id', '=', groupId)
      .orderBy('contacts.id')
      .execute();
    return [
      ...users.map((u) => ({
        '@odata.type': ODATA_TYPE.user,
        id: u.id,
        displayName: u.display_name,
        userPrincipalName: u.user_principal_name,
        mail: u.mail,
      })),
      ...groups.map((g) => ({
        '@odata.type': ODATA_TYPE.group,
        id: g.id,
        displayName: g.display_name,
        mail: g.mail,
      })),
      ...contacts.map((c) => ({
        '@odata.type': ODATA_TYPE.contact,
        id: c.id,
        displayName: c.display_name,
        mail: c.mail,
      })),
    ];
  }

  /**
   * An audited change of one membership of `groupId`: the group is the target, `memberId` the
   * `members` value added or removed; a synced group's members change only through the ingest.
   */
  function membershipChange(
    actor: Actor,
    groupId: string,
    memberId: string,
    options: { bySync?: boolean },
    kind: 'add' | 'remove',
    work: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<void> {
    const member = JSON.stringify(memberId);
    const event: AuditEvent =
      kind === 'add'
        ? { category: 'GroupManagement', activity: 'Add member to group', operationType: 'Assign' }
        : { category: 'GroupManagement', activity: 'Remove member from group', operationType: 'Unassign' };
    return audit.audited(actor, event, async (trx, event) => {
      const group = await requireGroup(trx, groupId);
      event.target = { id: groupId, type: 'Group', name: group.display_name };
      event.modifiedProperties = [
        kind === 'add'
          ? { displayName: 'members', oldValue: null, newValue: member }
          : { displayName: 'members', oldValue: member, newValue: null },
      ];
      if (isSet(group.on_premises_sync_enabled) && !options.bySync) throw syncMastered('members');
      await work(trx);
    });
  }

  async function addMember(
    actor: Actor,
    groupId: string,
    memberId: string,
    options: { bySync?: boolean } = {},
  ) {
    await membershipChange(actor, groupId, memberId, options, 'add', async (trx) => {
      const type = await resolveMemberType(trx, memberId);
      if (!type) throw notFound(memberId);
      const existing = await trx
        .selectFrom('group_members')
        .select('member_id')
        .where('group_id', '=', groupId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
      if (existing) {
        throw badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
          'members',
        );
      }
      if (type === 'group' && (await reaches(trx, memberId, groupId))) {
        throw badRequest(NESTING_CYCLE, 'members');
      }
      await trx
        .insertInto('group_members')
        .values({
          group_id: groupId,
          member_id: memberId,
          member_type: type,
          created_at: clock.now().toISOString(),
        })
        .execute();
    });
  }

  async function removeMember(
    actor: Actor,
    groupId: string,
    memberId: string,
    options: { bySync?: boolean } = {},
  ) {
    await membershipChange(actor, groupId, memberId, options, 'remove', async (trx) => {
      const r = await trx
        .deleteFrom('group_members')
        .where('group_id', '=', groupId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw notFound(memberId);
    });
  }

  /** Ids of the groups a directory object is a direct member of. */
  async function memberOf(memberId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('group_members')
      .select('group_id')
      .where('member_id', '=', memberId)
      .execute();
    return rows.map((r) => r.group_id).sort();
  }

  /** The members query of an existing group (404 otherwise), for OData paging. */
  async function members(groupId: string) {
    await requireGroup(db, groupId);
    return membersQuery(db, groupId);
  }

  return { listMembers, addMember, removeMember, memberOf, members };
}
