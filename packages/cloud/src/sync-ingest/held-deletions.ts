// The accidental-delete guard's memory of an administrator's decision. A rejection is remembered on
// the objects themselves, without a table of its own: each kept object's `last_cycle_id` names the
// rejected cycle, whose staged deletions list it. The mark lasts until the object is mentioned again
// (an upsert moves `last_cycle_id` on: it is back in AD or in scope).
import type { Kysely } from 'kysely';
import type { Actor } from '../directory/actor.js';
import type { ApplyContext, Counts, Outcome } from './apply-context.js';
import { tally } from './apply-context.js';
import type { StagedDelete } from './apply-delete.js';
import { writeLog } from './provisioning-log.js';
import type { SyncIngestDatabase } from './schema.js';

/** A staged deletion of an object whose deletion an administrator rejected: the object stays. */
export interface KeptDelete {
  staged: StagedDelete;
  cloudId: string;
  /** The rejected cycle, which the object's mark names. */
  cycleId: string;
  /** The rejected cycle's reason, naming who rejected ("Deletions rejected by …"). */
  rejection: string;
}

/** A cycle's staged deletions as the guard counts them. */
export interface SortedDeletes {
  /** Deletions that would remove an active object: what the threshold counts and approval applies. */
  toApply: StagedDelete[];
  /** Deletions an administrator rejected before: not applied, not asked about again. */
  kept: KeptDelete[];
}

const CHUNK = 500;

/** The configuration's active objects, each with its rejection when its deletion was rejected. */
function activeObjects(db: Kysely<SyncIngestDatabase>, configurationId: string) {
  return db
    .selectFrom('sync_objects as o')
    .leftJoin('sync_cycles as c', (j) =>
      j.onRef('c.id', '=', 'o.last_cycle_id').on('c.state', '=', 'rejected'),
    )
    .leftJoin('sync_pending_deletes as d', (j) =>
      j.onRef('d.cycle_id', '=', 'o.last_cycle_id').onRef('d.anchor', '=', 'o.anchor'),
    )
    .select([
      'o.anchor',
      'o.object_type',
      'o.cloud_id',
      'o.distinguished_name',
      'o.last_cycle_id',
      'c.reason as rejection',
      'd.anchor as rejected_anchor',
      'd.op',
    ])
    .where('o.configuration_id', '=', configurationId)
    .where('o.state', '=', 'active');
}

/**
 * The objects an administrator kept by rejecting their deletion, still active and not seen since: what
 * `…/rejectedDeletions` lists and its approval deletes.
 */
export async function keptObjects(
  db: Kysely<SyncIngestDatabase>,
  configurationId: string,
): Promise<KeptDelete[]> {
  const rows = await activeObjects(db, configurationId)
    .where('c.id', 'is not', null)
    .where('d.anchor', 'is not', null)
    .orderBy('o.anchor')
    .execute();
  return rows.map((r) => ({
    staged: {
      anchor: r.anchor,
      objectType: r.object_type,
      op: r.op ?? 'delete',
      distinguishedName: r.distinguished_name,
    },
    cloudId: r.cloud_id,
    cycleId: r.last_cycle_id,
    rejection: r.rejection ?? '',
  }));
}

/**
 * Sorts staged deletions: those of active objects are `toApply`, unless an administrator rejected
 * that object's deletion (`kept`); deletions of objects already gone or never synced change nothing
 * and are left out (a deletion re-sent after an approval is one of those). A deletion without a DN
 * gets the one the object was last synced with.
 * @example
 *   const { toApply, kept } = await sortStagedDeletes(db, configurationId, await stagedDeletes(ctx, cycle));
 */
export async function sortStagedDeletes(
  db: Kysely<SyncIngestDatabase>,
  configurationId: string,
  deletes: readonly StagedDelete[],
): Promise<SortedDeletes> {
  const out: SortedDeletes = { toApply: [], kept: [] };
  for (let i = 0; i < deletes.length; i += CHUNK) {
    const chunk = deletes.slice(i, i + CHUNK);
    const rows = await activeObjects(db, configurationId)
      .where(
        'o.anchor',
        'in',
        chunk.map((d) => d.anchor),
      )
      .execute();
    const active = new Map(rows.map((r) => [r.anchor, r]));
    for (const change of chunk) {
      const row = active.get(change.anchor);
      if (!row) continue;
      // A deletion found by the agent's reconcile scan has no DN any more: the one synced last says what it was.
      const staged = { ...change, distinguishedName: change.distinguishedName ?? row.distinguished_name };
      if (row.rejected_anchor !== null && row.rejection !== null)
        out.kept.push({
          staged,
          cloudId: row.cloud_id,
          cycleId: row.last_cycle_id,
          rejection: row.rejection,
        });
      else out.toApply.push(staged);
    }
  }
  return out;
}

/** Who decided, as the log and the status name them. */
export const deciderName = (admin: Actor): string => admin.userPrincipalName ?? `${admin.kind} ${admin.id}`;

const subject = (ctx: ApplyContext, staged: StagedDelete) => ({
  configurationId: ctx.configurationId,
  cycleId: ctx.cycleId,
  objectType: staged.objectType,
  anchor: staged.anchor,
  distinguishedName: staged.distinguishedName,
});

const why = (staged: StagedDelete) =>
  staged.op === 'out-of-scope' ? 'left the scope of the configuration' : 'was deleted in AD';

/**
 * Rejects the held cycle's deletions (`ctx.cycleId` is the held cycle): each object is marked as
 * kept (its last cycle is the held one, which lists it among its staged deletions) and logged as
 * "deletion rejected by <admin>". The caller then closes the cycle as `rejected`, which makes the
 * marks count.
 */
export async function rejectDeletes(
  ctx: ApplyContext,
  deletes: readonly StagedDelete[],
  admin: Actor,
): Promise<void> {
  const { toApply } = await sortStagedDeletes(ctx.db, ctx.configurationId, deletes);
  const who = deciderName(admin);
  for (const staged of toApply) {
    await ctx.db
      .insertInto('sync_pending_deletes')
      .values({
        cycle_id: ctx.cycleId,
        configuration_id: ctx.configurationId,
        anchor: staged.anchor,
        object_type: staged.objectType,
        op: staged.op,
        distinguished_name: staged.distinguishedName,
      })
      .onConflict((oc) => oc.columns(['cycle_id', 'anchor']).doNothing())
      .execute();
    const marked = await ctx.db
      .updateTable('sync_objects')
      .set({ last_cycle_id: ctx.cycleId, updated_at: ctx.now })
      .where('configuration_id', '=', ctx.configurationId)
      .where('anchor', '=', staged.anchor)
      .returning('cloud_id')
      .executeTakeFirst();
    const outcome: Outcome = {
      result: 'skipped',
      action: 'StagedDelete',
      reason: `Deletion rejected by ${who}: the ${staged.objectType} stays in the cloud.`,
      ...(marked ? { cloudId: marked.cloud_id } : {}),
      modified: [],
      steps: [
        {
          name: 'action',
          status: 'skipped',
          detail: `The ${staged.objectType} ${why(staged)}; ${who} rejected its deletion. It stays in the cloud until it is seen in AD again; later cycles do not ask about it again.`,
        },
      ],
    };
    await writeLog(ctx.db, ctx.now, subject(ctx, staged), outcome);
  }
}

/** Logs the deletions a cycle asked for again although an administrator rejected them (skipped). */
export async function logKept(ctx: ApplyContext, kept: readonly KeptDelete[], counts: Counts): Promise<void> {
  for (const k of kept) {
    const outcome: Outcome = {
      result: 'skipped',
      action: 'Skip',
      reason: `${k.rejection} The ${k.staged.objectType} stays in the cloud.`,
      cloudId: k.cloudId,
      modified: [],
      steps: [
        {
          name: 'action',
          status: 'skipped',
          detail: `The ${k.staged.objectType} ${why(k.staged)}, but its deletion was rejected before (${k.rejection}): not deleted.`,
        },
      ],
    };
    tally(counts, outcome.result);
    await writeLog(ctx.db, ctx.now, subject(ctx, k.staged), outcome);
  }
}
