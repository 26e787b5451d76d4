import type { Members } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import { NESTING_CYCLE } from '../directory/groups/membership.js';
import type { Directory } from '../directory/index.js';
import { CloudError } from '../errors.js';
import type { Database } from '../store/schema.js';
import {
  type ApplyContext,
  findSyncObject,
  type Outcome,
  type Step,
  withinTransaction,
} from './apply-context.js';
import type { ModifiedProperty } from './attributes.js';
import { writeLog } from './provisioning-log.js';
import type { SyncPendingMembersTable } from './schema.js';

/** Anchors looked up in one query (bound parameters stay far below SQLite's and PostgreSQL's limits). */
const ANCHORS_PER_QUERY = 500;

/** The cloud ids of the anchors this configuration holds as active objects. */
async function activeCloudIds(ctx: ApplyContext, anchors: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unique = [...new Set(anchors)];
  for (let i = 0; i < unique.length; i += ANCHORS_PER_QUERY) {
    const rows = await ctx.db
      .selectFrom('sync_objects')
      .select(['anchor', 'cloud_id'])
      .where('configuration_id', '=', ctx.configurationId)
      .where('state', '=', 'active')
      .where('anchor', 'in', unique.slice(i, i + ANCHORS_PER_QUERY))
      .execute();
    for (const r of rows) ids.set(r.anchor, r.cloud_id);
  }
  return ids;
}

/** Ids of a group's members as its member list shows them (soft-deleted users keep their rows, unseen). */
async function currentMemberIds(ctx: ApplyContext, groupId: string): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom('group_members')
    .leftJoin('users', 'users.id', 'group_members.member_id')
    .select('group_members.member_id')
    .where('group_members.group_id', '=', groupId)
    .where((eb) => eb.or([eb('users.id', 'is', null), eb('users.deleted_at', 'is', null)]))
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

/** Brings one group's members in step with what the cycle carried; undefined when nothing is worth a log entry. */
async function applyGroupMembers(
  ctx: ApplyContext,
  row: SyncPendingMembersTable,
): Promise<Outcome | undefined> {
  const group = await findSyncObject(ctx, row.group_anchor);
  if (group?.state !== 'active') return undefined;
  // Written by applyGroupUpsert from the change's validated `members`.
  const members: Members = JSON.parse(row.members);
  const add = members.mode === 'complete' ? members.anchors : members.add;
  const remove = members.mode === 'complete' ? [] : members.remove;
  const ids = await activeCloudIds(ctx, [...add, ...remove]);
  const current = await currentMemberIds(ctx, group.cloud_id);
  const wanted = new Set<string>();
  const unresolved: string[] = [];
  for (const anchor of add) {
    const id = ids.get(anchor);
    if (id) wanted.add(id);
    else unresolved.push(anchor);
  }
  const toRemove =
    members.mode === 'complete'
      ? [...current].filter((id) => !wanted.has(id))
      : remove.flatMap((anchor) => ids.get(anchor) ?? []);
  const modified: ModifiedProperty[] = [];
  const cyclic: string[] = [];
  for (const id of wanted) {
    if (current.has(id)) continue;
    try {
      await ctx.directory.groups.addMember(ctx.actor, group.cloud_id, id, { bySync: true });
    } catch (err) {
      // AD allows A ∈ B ∈ A, the cloud does not: the member closing the cycle is left out and
      // logged, and the cycle goes on (a refusal here would fail every retry of the end marker).
      if (!(err instanceof CloudError && err.message === NESTING_CYCLE)) throw err;
      cyclic.push(id);
      continue;
    }
    modified.push({ name: 'members', oldValue: null, newValue: id });
  }
  for (const id of toRemove) {
    if (!current.has(id)) continue;
    await ctx.directory.groups.removeMember(ctx.actor, group.cloud_id, id, { bySync: true });
    modified.push({ name: 'members', oldValue: id, newValue: null });
  }
  if (!modified.length && !unresolved.length && !cyclic.length) return undefined;
  const leftOut = [
    unresolved.length
      ? `${unresolved.length} member(s) are not synced by this configuration (out of scope or not yet imported) and were left out.`
      : '',
    cyclic.length
      ? `${cyclic.length} member group(s) were left out: they contain this group (directly or through nested groups), and the cloud does not nest groups in a cycle.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const steps: Step[] = [
    {
      name: 'membership',
      status: leftOut ? 'warning' : 'success',
      detail: leftOut || `Membership in step: ${wanted.size} member(s).`,
    },
  ];
  return {
    result: 'applied',
    action: 'Update',
    cloudId: group.cloud_id,
    modified,
    steps,
    ...(leftOut ? { reason: leftOut } : {}),
  };
}

/**
 * Applies the memberships groups carried in this cycle, now that every page is in, with one
 * provisioning-log entry per group whose members changed or could not all be resolved — all in one
 * transaction, so an end marker that fails half-way leaves no membership applied without its entry,
 * and the agent's retry of the end marker applies them whole.
 * @example
 *   await applyMembers(deps.db, deps.directory, ctx);
 */
export async function applyMembers(
  root: Kysely<Database>,
  directory: Pick<Directory, 'within'>,
  base: ApplyContext,
): Promise<void> {
  await root.transaction().execute(async (trx) => {
    const ctx = withinTransaction(base, trx, directory);
    const pending = await ctx.db
      .selectFrom('sync_pending_members')
      .selectAll()
      .where('cycle_id', '=', ctx.cycleId)
      .execute();
    for (const row of pending) {
      const outcome = await applyGroupMembers(ctx, row);
      if (!outcome) continue;
      await writeLog(
        ctx.db,
        ctx.now,
        {
          configurationId: ctx.configurationId,
          cycleId: ctx.cycleId,
          objectType: 'group',
          anchor: row.group_anchor,
          distinguishedName: null,
        },
        outcome,
      );
    }
  });
}
