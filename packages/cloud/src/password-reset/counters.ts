import { type Kysely, sql } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { RateDecision } from '../sign-in/rate-limit.js';
import type { PasswordResetDatabase } from './schema.js';

/** A fixed-window counter per key, kept in the store so every cloud process counts together. */
export interface StoreRateLimiter {
  /** Counts one for `key`; refused once `limit` were counted in the current window. */
  take(key: string): Promise<RateDecision>;
  /** Whether `key` is still under its limit, without counting. */
  peek(key: string): Promise<RateDecision>;
}

/**
 * A store-backed rate limit (`password_reset_counters`, SQLite and PostgreSQL): one upsert that
 * starts a new window or increments the current one, so racing requests never count less than
 * they did. `name` prefixes the keys; windows that ended are dropped as new ones start.
 * @example
 *   const mails = createStoreRateLimiter({ db, clock, name: 'code-mail', limit: 5, windowMs: 15 * 60_000 });
 *   const d = await mails.take(userId);
 *   if (!d.ok) refuse(`Wait ${d.retryAfterSeconds} seconds.`);
 */
export function createStoreRateLimiter(options: {
  db: Kysely<PasswordResetDatabase>;
  clock: Clock;
  name: string;
  limit: number;
  windowMs: number;
}): StoreRateLimiter {
  const { db, clock, limit, windowMs } = options;
  const keyOf = (key: string) => `${options.name}:${key}`;
  const decide = (row: { window_start: string; count: number | string }, now: number): RateDecision => {
    const end = Date.parse(row.window_start) + windowMs;
    if (end <= now || Number(row.count) <= limit) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
  };
  return {
    async take(key) {
      const now = clock.now();
      const at = now.toISOString();
      const cutoff = new Date(now.getTime() - windowMs).toISOString();
      const ended = sql<boolean>`password_reset_counters.window_start <= ${cutoff}`;
      const row = await db
        .insertInto('password_reset_counters')
        .values({ key: keyOf(key), window_start: at, count: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            // Both right-hand sides read the row as it was (SQL UPDATE semantics on both databases).
            count: sql<number>`case when ${ended} then 1 else password_reset_counters.count + 1 end`,
            window_start: sql<string>`case when ${ended} then ${at} else password_reset_counters.window_start end`,
          }),
        )
        .returning(['window_start', 'count'])
        .executeTakeFirstOrThrow();
      if (row.window_start === at)
        await db
          .deleteFrom('password_reset_counters')
          .where('key', 'like', `${options.name}:%`)
          .where('window_start', '<=', cutoff)
          .execute();
      return decide(row, now.getTime());
    },
    async peek(key) {
      const row = await db
        .selectFrom('password_reset_counters')
        .select(['window_start', 'count'])
        .where('key', '=', keyOf(key))
        .executeTakeFirst();
      if (!row) return { ok: true };
      // One more would be over the limit: refuse it now.
      return decide({ ...row, count: Number(row.count) + 1 }, clock.now().getTime());
    },
  };
}
