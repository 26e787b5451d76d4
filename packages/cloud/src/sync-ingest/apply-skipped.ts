import type { Change } from '@cloudsync/protocol';
import { type ApplyContext, findSyncObject, importStep, type Outcome } from './apply-context.js';

type SkippedChange = Extract<Change, { op: 'skipped' }>;

/**
 * An object the agent read but could not map: a failure for the provisioning log, and nothing else
 * changes in the cloud. A synced object is marked as seen by this cycle, so a `full` cycle does not
 * take it for gone and delete it.
 */
export async function applySkipped(ctx: ApplyContext, change: SkippedChange): Promise<Outcome> {
  const known = await findSyncObject(ctx, change.anchor);
  if (known) {
    await ctx.db
      .updateTable('sync_objects')
      .set({ last_cycle_id: ctx.cycleId })
      .where('configuration_id', '=', ctx.configurationId)
      .where('anchor', '=', change.anchor)
      .execute();
  }
  const kept =
    known?.state === 'active'
      ? `The cloud ${change.objectType} was left as it was; it is retried next cycle.`
      : `Nothing was created in the cloud; the ${change.objectType} is retried next cycle.`;
  return {
    result: 'error',
    action: 'Skip',
    code: change.code,
    reason: `The agent could not map ${change.distinguishedName}: ${change.reason}`,
    ...(known?.state === 'active' ? { cloudId: known.cloud_id } : {}),
    modified: [],
    steps: [
      importStep(change.distinguishedName),
      { name: 'action', status: 'failure', detail: `${change.reason} ${kept}` },
    ],
  };
}
