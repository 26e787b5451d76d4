import type { Kysely } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { PasswordResetDatabase } from '../password-reset/schema.js';
import { isSet } from '../store/schema.js';
import { createLockout, type Lockout, type LockoutPolicy } from './lockout.js';
import { createRateLimiter, type RateDecision } from './rate-limit.js';

/** Limits on password attempts, beside smart lockout. */
export interface SignInLimits {
  /** Attempts per account (any address) per minute. */
  perAccountPerMinute: number;
  /** Attempts per client address (any account) per minute. */
  perAddressPerMinute: number;
}

export const DEFAULT_SIGN_IN_LIMITS: Readonly<SignInLimits> = Object.freeze({
  perAccountPerMinute: 30,
  perAddressPerMinute: 120,
});

/** Why the guard refuses before the password is looked at. */
export type GuardRefusal = { refusal: 'locked'; until: Date } | { refusal: 'password_sync_off' };

/**
 * The checks that surround a password verification: rate limits (in memory), smart lockout (in
 * the store), and whether a synced user's configuration syncs password hashes at all.
 */
export interface SignInGuard {
  lockout: Lockout;
  /** Counts an attempt for the account name and the client address. */
  admit(username: string, clientAddress: string | undefined): RateDecision;
  /** Refusals that hold whatever password was typed. */
  screen(userId: string): Promise<GuardRefusal | undefined>;
}

export interface SignInGuardOptions {
  db: Kysely<PasswordResetDatabase>;
  clock: Clock;
  lockout?: Partial<LockoutPolicy>;
  limits?: Partial<SignInLimits>;
}

/**
 * Builds the sign-in guard the sign-in page and the password grant share.
 * @example
 *   const guard = createSignInGuard({ db, clock: systemClock });
 *   await checkCredentials(accounts, name, password, { guard, clientAddress: req.ip });
 */
export function createSignInGuard(options: SignInGuardOptions): SignInGuard {
  const { db, clock } = options;
  const limits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.limits };
  const lockout = createLockout({ db, clock, ...(options.lockout ? { policy: options.lockout } : {}) });
  const perAccount = createRateLimiter({ limit: limits.perAccountPerMinute, windowMs: 60_000, clock });
  const perAddress = createRateLimiter({ limit: limits.perAddressPerMinute, windowMs: 60_000, clock });

  async function passwordSyncOff(userId: string): Promise<boolean> {
    const user = await db
      .selectFrom('users')
      .select(['on_premises_sync_enabled', 'on_premises_domain_name'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || !isSet(user.on_premises_sync_enabled) || !user.on_premises_domain_name) return false;
    const config = await db
      .selectFrom('sync_configurations')
      .select('password_hash_sync')
      .where('domain_key', '=', user.on_premises_domain_name.toLowerCase())
      .executeTakeFirst();
    return config !== undefined && !isSet(config.password_hash_sync);
  }

  return {
    lockout,
    admit(username, clientAddress) {
      const byAddress = perAddress.take(clientAddress ?? 'unknown');
      if (!byAddress.ok) return byAddress;
      return perAccount.take(username.trim().toLowerCase());
    },
    async screen(userId) {
      const until = await lockout.lockedUntil(userId);
      if (until) return { refusal: 'locked', until };
      if (await passwordSyncOff(userId)) return { refusal: 'password_sync_off' };
      return undefined;
    },
  };
}
