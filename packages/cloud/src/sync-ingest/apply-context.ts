import type { ErrorCode } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../directory/actor.js';
import type { Directory, DirectoryServices } from '../directory/index.js';
import type { Database } from '../store/schema.js';
import type { ModifiedProperty } from './attributes.js';
import type { SyncIngestDatabase, SyncIngestTables } from './schema.js';

/** What applying one change needs: the store, the directory, who acts, and the cycle. */
export interface ApplyContext {
  db: Kysely<SyncIngestDatabase>;
  directory: DirectoryServices;
  actor: Actor;
  configurationId: string;
  cycleId: string;
  now: string;
  /** Verified domains of the tenant (lower case) and its initial domain, read once per page. */
  verifiedDomains: ReadonlySet<string>;
  initialDomain: string;
}

/**
 * The same context over a caller's transaction: the ingest's queries and the directory's writes join
 * it (a page, or a cycle end, is applied as one transaction).
 */
export function withinTransaction(
  ctx: ApplyContext,
  trx: Kysely<Database>,
  directory: Pick<Directory, 'within'>,
): ApplyContext {
  return { ...ctx, db: trx.withTables<SyncIngestTables>(), directory: directory.within(trx) };
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

/** A cycle's running counts, as its page and end answers carry them. */
export interface Counts {
  applied: number;
  skipped: number;
  conflicts: number;
  errors: number;
  pendingDeletes: number;
  /** Errors of objects sent again only because they failed before (see `cycleFailure`). */
  retriedErrors?: number;
}
export const zeroCounts = (): Counts => ({
  applied: 0,
  skipped: 0,
  conflicts: 0,
  errors: 0,
  pendingDeletes: 0,
});

/** Counts one object's outcome. */
export function tally(counts: Counts, result: Outcome['result']): void {
  if (result === 'applied') counts.applied++;
  else if (result === 'skipped') counts.skipped++;
  else if (result === 'conflict') counts.conflicts++;
  else counts.errors++;
}

/** An error's message for a log entry or an answer, bounded; never a stack. */
export const safeMessage = (err: unknown): string =>
  err instanceof Error ? err.message.slice(0, 500) : 'the change could not be applied';
