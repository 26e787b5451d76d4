import type { Kysely } from 'kysely';
import type { Counts } from './apply-context.js';
import type { SyncIngestDatabase } from './schema.js';

/** Failed cycles in a row before a configuration goes into quarantine. */
export const QUARANTINE_AFTER = 3;
const FIRST_BACKOFF_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 24 * 60 * 60_000;

/** The backoff after `failures` consecutive failed cycles: 5 min, doubling, at most a day. */
export function backoffMs(failures: number): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, failures - QUARANTINE_AFTER), MAX_BACKOFF_MS);
}

/** Objects a cycle handled: every change and implied deletion with an outcome. */
const handled = (c: Counts) => c.applied + c.skipped + c.conflicts + c.errors;

/**
 * Why a cycle counts as failed for quarantine, or null. As Microsoft's provisioning quarantines only
 * when most or all calls fail, a cycle fails when more than half of the objects it handled failed; a
 * cycle with a few failed objects is not a failed cycle (see {@link objectErrors}).
 * @example cycleFailure({ applied: 9, skipped: 0, conflicts: 0, errors: 1, pendingDeletes: 0 }) // null
 */
export function cycleFailure(counts: Counts): string | null {
  // Objects the agent only sent again because they failed before are left out of the ratio.
  const retried = counts.retriedErrors ?? 0;
  const fresh = counts.errors - retried;
  if (fresh === 0 || fresh * 2 <= handled(counts) - retried) return null;
  return `${counts.errors} of ${handled(counts)} objects could not be written; see the provisioning logs`;
}

/** The configuration's error reason for a cycle whose failed objects did not fail the cycle, or null. */
export function objectErrors(counts: Counts): string | null {
  if (counts.errors === 0) return null;
  return `${counts.errors} of ${handled(counts)} objects could not be written; see the provisioning logs. Everything else synced, and the failed objects are retried next cycle.`;
}

export interface Health {
  consecutiveFailures: number;
  quarantinedUntil: Date | null;
  reason: string | null;
}

export async function readHealth(db: Kysely<SyncIngestDatabase>, configurationId: string): Promise<Health> {
  const row = await db
    .selectFrom('sync_health')
    .selectAll()
    .where('configuration_id', '=', configurationId)
    .executeTakeFirst();
  return {
    consecutiveFailures: Number(row?.consecutive_failures ?? 0),
    quarantinedUntil: row?.quarantined_until ? new Date(row.quarantined_until) : null,
    reason: row?.reason ?? null,
  };
}

/**
 * Records a cycle's outcome: a cycle that did not fail ({@link cycleFailure}) clears the failure count
 * and any quarantine; a failed one counts, and from the third in a row puts the configuration in
 * quarantine until the backoff has passed.
 */
export async function recordCycleOutcome(
  db: Kysely<SyncIngestDatabase>,
  configurationId: string,
  now: Date,
  failure: string | null,
): Promise<Health> {
  const previous = await readHealth(db, configurationId);
  const failures = failure ? previous.consecutiveFailures + 1 : 0;
  const quarantinedUntil =
    failure && failures >= QUARANTINE_AFTER ? new Date(now.getTime() + backoffMs(failures)) : null;
  const values = {
    consecutive_failures: failures,
    quarantined_until: quarantinedUntil?.toISOString() ?? null,
    reason: failure,
  };
  await db
    .insertInto('sync_health')
    .values({ configuration_id: configurationId, ...values })
    .onConflict((oc) => oc.column('configuration_id').doUpdateSet(values))
    .execute();
  return { consecutiveFailures: failures, quarantinedUntil, reason: failure };
}

/** Lifts a quarantine at once (restart, or an admin's "retry now"). */
export async function clearQuarantine(
  db: Kysely<SyncIngestDatabase>,
  configurationId: string,
): Promise<void> {
  await db.deleteFrom('sync_health').where('configuration_id', '=', configurationId).execute();
}
