import type { AccountQueries, SignInUser } from './accounts.js';
import { verifyPassword } from './password-hash.js';
import type { SignInGuard } from './sign-in-guard.js';

/** Why a sign-in was refused. Callers map each to their own wording (page, token error). */
export type SignInRefusal =
  | 'invalid_credentials'
  | 'disabled'
  | 'deleted'
  | 'locked'
  | 'password_sync_off'
  | 'rate_limited';

export type CredentialCheck =
  | { ok: true; user: SignInUser }
  | { ok: false; refusal: SignInRefusal; lockedUntil?: Date; retryAfterSeconds?: number };

/** The words the sign-in page and the password grant show for each refusal. */
export const REFUSAL_MESSAGES: Readonly<Record<SignInRefusal, string>> = {
  invalid_credentials: 'Your account or password is incorrect.',
  disabled: 'Your account is disabled. Ask your administrator to enable it, then try again.',
  deleted: 'Your account has been deleted. Ask your administrator to restore it, then try again.',
  locked:
    'Your account is locked for a while because of too many wrong passwords. Wait, or reset your password.',
  password_sync_off:
    'Your organisation does not sync your on-premises password to the cloud, so you cannot sign in here with a password. Ask your administrator.',
  rate_limited: 'Too many sign-in attempts. Wait a moment, then try again.',
};

/** The refusal in words, with when a lockout ends or how long to wait. */
export function refusalMessage(check: Extract<CredentialCheck, { ok: false }>): string {
  const base = REFUSAL_MESSAGES[check.refusal];
  if (check.lockedUntil) return `${base} The lock ends at ${check.lockedUntil.toISOString()}.`;
  if (check.retryAfterSeconds) return `${base} Try again in ${check.retryAfterSeconds} seconds.`;
  return base;
}

// Verified against when the user does not exist, so an unknown name costs the same time as a known one.
const DUMMY_HASH =
  '$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Step 1: find the account the name points to. */
export async function findAccount(
  accounts: AccountQueries,
  username: string,
): Promise<SignInUser | undefined> {
  const name = username.trim();
  return name ? accounts.findByUpn(name) : undefined;
}

/** Step 2: verify the password against the stored hash (scrypt, or the synced hash-of-hash). */
export async function verifyAccountPassword(
  accounts: AccountQueries,
  user: SignInUser | undefined,
  password: string,
): Promise<boolean> {
  const stored = user ? await accounts.passwordHashOf(user.id) : null;
  const ok = await verifyPassword(password, stored ?? DUMMY_HASH);
  return ok && stored !== null;
}

/** Step 3: an account with the right password may still be refused (disabled, soft-deleted). */
export function checkAccountState(user: SignInUser): SignInRefusal | undefined {
  if (user.deleted) return 'deleted';
  if (!user.accountEnabled) return 'disabled';
  return undefined;
}

/** The sign-in guard and who is asking, when the caller applies lockout and rate limits. */
export interface GuardContext {
  guard: SignInGuard;
  clientAddress: string | undefined;
}

/**
 * Checks a user name and password, in named steps: rate limits → find → lockout and password-sync
 * screen → verify (a wrong password counts towards lockout) → account state. The account state is
 * told only after the password proved who is asking; a correct password during a lockout still fails.
 * @example
 *   const check = await checkCredentials(accounts, 'adele@contoso.cloudsync.test', password, { guard, clientAddress });
 *   if (!check.ok) return refusalMessage(check);
 */
export async function checkCredentials(
  accounts: AccountQueries,
  username: string,
  password: string,
  context?: GuardContext,
): Promise<CredentialCheck> {
  const guard = context?.guard;
  const admitted = guard?.admit(username, context?.clientAddress);
  if (admitted && !admitted.ok)
    return { ok: false, refusal: 'rate_limited', retryAfterSeconds: admitted.retryAfterSeconds };
  const user = await findAccount(accounts, username);
  const screened = user && guard ? await guard.screen(user.id) : undefined;
  if (screened?.refusal === 'locked') return { ok: false, refusal: 'locked', lockedUntil: screened.until };
  if (screened) return { ok: false, refusal: screened.refusal };
  const passwordOk = await verifyAccountPassword(accounts, user, password);
  if (!user || !passwordOk) {
    const lockedUntil = user && guard ? await guard.lockout.recordFailure(user.id) : undefined;
    return lockedUntil
      ? { ok: false, refusal: 'locked', lockedUntil }
      : { ok: false, refusal: 'invalid_credentials' };
  }
  const refusal = checkAccountState(user);
  if (refusal) return { ok: false, refusal };
  await guard?.lockout.recordSuccess(user.id);
  return { ok: true, user };
}
