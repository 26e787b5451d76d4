import type { ApplyContext, Outcome } from './apply-context.js';

export interface StagedDelete {
  anchor: string;
  objectType: 'user' | 'group' | 'contact';
  op: 'delete' | 'out-of-scope';
  distinguishedName: string | null;
}

/**
 * Removes a synced object from the cloud: users are soft-deleted (restorable for 30 days, and restored
 * by themselves when they come back in scope); groups and contacts are deleted.
 */
export async function applyDelete(ctx: ApplyContext, staged: StagedDelete): Promise<Outcome> {
  const known = await ctx.db
    .selectFrom('sync_objects')
    .selectAll()
    .where('configuration_id', '=', ctx.configurationId)
    .where('anchor', '=', staged.anchor)
    .executeTakeFirst();
  const why = staged.op === 'out-of-scope' ? 'left the scope of the configuration' : 'was deleted in AD';
  if (known?.state !== 'active') {
    return {
      result: 'skipped',
      action: 'Skip',
      modified: [],
      steps: [
        {
          name: 'match',
          status: 'skipped',
          detail: `The object ${why}, and the cloud holds no active copy of it.`,
        },
      ],
    };
  }
  const id = known.cloud_id;
  const gone = async (remove: () => Promise<void>) => {
    try {
      await remove();
    } catch (err) {
      // Already removed by hand (e.g. a purge): the goal is reached.
      if (!(err instanceof Error && /not.?found|does not exist/i.test(err.message))) throw err;
    }
  };
  if (staged.objectType === 'user')
    await gone(() => ctx.directory.deletedUsers.remove(ctx.actor, id, { bySync: true }));
  else if (staged.objectType === 'group')
    await gone(() => ctx.directory.groups.remove(ctx.actor, id, { bySync: true }));
  else await gone(() => ctx.directory.contacts.remove(ctx.actor, id, { bySync: true }));
  await ctx.db
    .updateTable('sync_objects')
    .set({
      state: staged.op === 'out-of-scope' ? 'out-of-scope' : 'deleted',
      last_cycle_id: ctx.cycleId,
      updated_at: ctx.now,
    })
    .where('configuration_id', '=', ctx.configurationId)
    .where('anchor', '=', staged.anchor)
    .execute();
  return {
    result: 'applied',
    action: 'Delete',
    cloudId: id,
    modified: [],
    steps: [
      {
        name: 'action',
        status: 'success',
        detail:
          staged.objectType === 'user'
            ? `The user ${why}: soft-deleted (restorable for 30 days).`
            : `The ${staged.objectType} ${why}: deleted.`,
      },
    ],
  };
}
