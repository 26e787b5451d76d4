// The service account's password expiry, as AD computes it (msDS-UserPasswordExpiryTimeComputed,
// which folds in the domain's maxPwdAge or a fine-grained password policy), when to change it, and
// the change itself: an LDAP modify that deletes the old value and adds the new one, bound as the
// account — the form AD allows any account for its own password, with no extra right.
import { Attribute, Change } from 'ldapts';
import type { AdConnection } from '../ad/connection.js';
import { unicodePwd } from './password.js';

/** The most time before expiry at which the agent changes its password (14 days, like Windows' logon prompt). */
export const ROTATION_WINDOW_MAX_MS = 14 * 24 * 60 * 60 * 1000;

/** When the password was set and when it expires (`never`; `now` when AD demands a change at next logon). */
export interface PasswordExpiry {
  lastSetAt: Date | undefined;
  expiresAt: Date | 'never' | 'now';
}

const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
const FILETIME_NEVER = 0x7fff_ffff_ffff_ffffn;

/** A FILETIME (100 ns since 1601) as a Date; `never` for the maximum, `now` for 0. */
export function fromFileTime(value: string): Date | 'never' | 'now' {
  const ft = BigInt(value);
  if (ft === 0n) return 'now';
  if (ft >= FILETIME_NEVER || ft < 0n) return 'never';
  return new Date(Number(ft / 10_000n - FILETIME_EPOCH_OFFSET_MS));
}

/** Reads the account's pwdLastSet and computed expiry (the account may read both on itself). */
export async function readPasswordExpiry(ad: AdConnection, dn: string): Promise<PasswordExpiry> {
  const [entry] = await ad.search(dn, {
    scope: 'base',
    filter: '(objectClass=user)',
    attributes: ['pwdLastSet', 'msDS-UserPasswordExpiryTimeComputed'],
  });
  const computed = String(entry?.['msDS-UserPasswordExpiryTimeComputed'] ?? '');
  const lastSet = fromFileTime(String(entry?.pwdLastSet ?? '0'));
  return {
    lastSetAt: lastSet instanceof Date ? lastSet : undefined,
    // Without the computed attribute (a DC older than 2008), the agent cannot tell: treat as never.
    expiresAt: /^\d+$/.test(computed) ? fromFileTime(computed) : 'never',
  };
}

/**
 * When to change the password: half-way through its lifetime, but no earlier than 14 days before
 * it expires (42-day policy: at day 28; 2-day policy: after a day). Undefined when it never expires.
 * @example
 *   const at = rotationTime(await readPasswordExpiry(ad, dn));
 *   if (at && at <= new Date()) await changeOwnPassword(ad, dn, old, next);
 */
export function rotationTime(expiry: PasswordExpiry): Date | undefined {
  const { expiresAt, lastSetAt } = expiry;
  if (expiresAt === 'never') return undefined;
  if (expiresAt === 'now') return new Date(0);
  const lifetime = lastSetAt ? expiresAt.getTime() - lastSetAt.getTime() : Number.POSITIVE_INFINITY;
  const window = Math.min(ROTATION_WINDOW_MAX_MS, Math.max(0, lifetime / 2));
  return new Date(expiresAt.getTime() - window);
}

/**
 * Changes the bound account's own password (delete old, add new, in one modify). AD checks the old
 * one and its policy (minimum age, history, complexity); a refusal is an `AdError` (`ad.constraint`).
 * Needs an encrypted connection (LDAPS or StartTLS), as every unicodePwd write.
 */
export async function changeOwnPassword(
  ad: AdConnection,
  dn: string,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  await ad.modify(dn, [
    new Change({
      operation: 'delete',
      modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(oldPassword)] }),
    }),
    new Change({
      operation: 'add',
      modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(newPassword)] }),
    }),
  ]);
}
