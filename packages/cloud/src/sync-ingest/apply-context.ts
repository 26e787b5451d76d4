import type { ErrorCode } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../directory/actor.js';
import type { Directory } from '../directory/index.js';
import type { ModifiedProperty } from './attributes.js';
import type { SyncIngestDatabase } from './schema.js';

/** What applying one change needs: the store, the directory, who acts, and the cycle. */
export interface ApplyContext {
  db: Kysely<SyncIngestDatabase>;
  directory: Directory;
  actor: Actor;
  configurationId: string;
  cycleId: string;
  now: string;
  /** Verified domains of the tenant (lower case) and its initial domain, read once per page. */
  verifiedDomains: ReadonlySet<string>;
  initialDomain: string;
}

/** One step of an object's provisioning (import, scope, match, action), as the log shows it. */
export interface Step {
  name: 'import' | 'scope' | 'match' | 'action' | 'membership';
  status: 'success' | 'warning' | 'failure' | 'skipped';
  detail: string;
}

/** The first step of every upsert's log entry. */
export const importStep = (distinguishedName: string): Step => ({
  name: 'import',
  status: 'success',
  detail: `Read ${distinguishedName} from AD.`,
});

/** What happened to one object, for the page answer and the provisioning log. */
export interface Outcome {
  result: 'applied' | 'skipped' | 'conflict' | 'error';
  action: 'Create' | 'Update' | 'Restore' | 'Delete' | 'Disable' | 'Skip' | 'StagedDelete' | 'Other';
  code?: ErrorCode;
  reason?: string;
  cloudId?: string;
  targetName?: string;
  modified: ModifiedProperty[];
  steps: Step[];
}

/** Records that the object anchored by `anchor` is `cloudId`, mentioned by this cycle. */
export async function rememberObject(
  ctx: ApplyContext,
  object: {
    anchor: string;
    objectType: 'user' | 'group' | 'contact';
    cloudId: string;
    distinguishedName: string | null;
    state?: 'active' | 'out-of-scope' | 'deleted';
  },
): Promise<void> {
  const values = {
    object_type: object.objectType,
    cloud_id: object.cloudId,
    state: object.state ?? ('active' as const),
    distinguished_name: object.distinguishedName,
    last_cycle_id: ctx.cycleId,
    updated_at: ctx.now,
  };
  await ctx.db
    .insertInto('sync_objects')
    .values({ configuration_id: ctx.configurationId, anchor: object.anchor, ...values })
    .onConflict((oc) => oc.columns(['configuration_id', 'anchor']).doUpdateSet(values))
    .execute();
}

/** The object this configuration synced under `anchor`, if any. */
export async function findSyncObject(ctx: ApplyContext, anchor: string) {
  return ctx.db
    .selectFrom('sync_objects')
    .selectAll()
    .where('configuration_id', '=', ctx.configurationId)
    .where('anchor', '=', anchor)
    .executeTakeFirst();
}
