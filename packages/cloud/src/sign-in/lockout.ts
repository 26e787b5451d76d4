import { type Kysely, sql } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { PasswordResetDatabase } from '../password-reset/schema.js';

/** Smart lockout: after `threshold` wrong passwords the account is locked, each time twice as long. */
export interface LockoutPolicy {
  threshold: number;
  firstLockoutMs: number;
  maxLockoutMs: number;
}

/** Entra's defaults: 10 wrong passwords, then one minute, growing. */
export const DEFAULT_LOCKOUT_POLICY: Readonly<LockoutPolicy> = Object.freeze({
  threshold: 10,
  firstLockoutMs: 60_000,
  maxLockoutMs: 24 * 60 * 60_000,
});

export interface Lockout {
  /** When the user's lockout ends, or undefined when the user is not locked out now. */
  lockedUntil(userId: string): Promise<Date | undefined>;
  /** Counts a wrong password; returns the end of the lockout when this one locked the account. */
  recordFailure(userId: string): Promise<Date | undefined>;
  /** A correct password outside a lockout clears the count of wrong ones. */
  recordSuccess(userId: string): Promise<void>;
  /** Ends a lockout at once (a password reset does this). */
  unlock(userId: string): Promise<void>;
}

/** How long the n-th lockout (0-based) lasts. */
export function lockoutDuration(policy: LockoutPolicy, lockoutCount: number): number {
  return Math.min(policy.maxLockoutMs, policy.firstLockoutMs * 2 ** Math.min(lockoutCount, 30));
}

/**
 * Lockout state in the store. A failure is one upsert that increments the count, then one
 * conditional update that locks only if the count still reached the threshold: two sign-ins racing
 * lock the account once, on SQLite and PostgreSQL alike.
 * @example
 *   const lockout = createLockout({ db, clock });
 *   if (await lockout.lockedUntil(user.id)) refuse();
 */
export function createLockout(deps: {
  db: Kysely<PasswordResetDatabase>;
  clock: Clock;
  policy?: Partial<LockoutPolicy>;
}): Lockout {
  const { db, clock } = deps;
  const policy: LockoutPolicy = { ...DEFAULT_LOCKOUT_POLICY, ...deps.policy };

  async function lockedUntil(userId: string): Promise<Date | undefined> {
    const row = await db
      .selectFrom('sign_in_lockouts')
      .select('locked_until')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row?.locked_until) return undefined;
    const until = new Date(row.locked_until);
    return until > clock.now() ? until : undefined;
  }

  return {
    lockedUntil,
    async recordFailure(userId) {
      const now = clock.now().toISOString();
      await db
        .insertInto('sign_in_lockouts')
        .values({
          user_id: userId,
          failed_count: 1,
          lockout_count: 0,
          locked_until: null,
          last_failure_at: now,
        })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({
              failed_count: sql<number>`sign_in_lockouts.failed_count + 1`,
              last_failure_at: now,
            })
            // Attempts during a lockout do not count towards the next one.
            .where((eb) =>
              eb.or([
                eb('sign_in_lockouts.locked_until', 'is', null),
                eb('sign_in_lockouts.locked_until', '<=', now),
              ]),
            ),
        )
        .execute();
      const row = await db
        .selectFrom('sign_in_lockouts')
        .select(['failed_count', 'lockout_count'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row || Number(row.failed_count) < policy.threshold) return undefined;
      const count = Number(row.lockout_count);
      const until = new Date(clock.now().getTime() + lockoutDuration(policy, count));
      const r = await db
        .updateTable('sign_in_lockouts')
        .set({ locked_until: until.toISOString(), lockout_count: count + 1, failed_count: 0 })
        .where('user_id', '=', userId)
        .where('lockout_count', '=', count)
        .where('failed_count', '>=', policy.threshold)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? until : lockedUntil(userId);
    },
    async recordSuccess(userId) {
      await db
        .updateTable('sign_in_lockouts')
        .set({ failed_count: 0 })
        .where('user_id', '=', userId)
        .where('failed_count', '>', 0)
        .execute();
    },
    async unlock(userId) {
      await db
        .updateTable('sign_in_lockouts')
        .set({ failed_count: 0, locked_until: null })
        .where('user_id', '=', userId)
        .execute();
    },
  };
}
