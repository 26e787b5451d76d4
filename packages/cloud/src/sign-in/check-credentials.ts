import type { AccountQueries, SignInUser } from './accounts.js';
import { verifyPassword } from './password-hash.js';

/** Why a sign-in was refused. Callers map each to their own wording (page, token error). */
export type SignInRefusal = 'invalid_credentials' | 'disabled' | 'deleted';

export type CredentialCheck = { ok: true; user: SignInUser } | { ok: false; refusal: SignInRefusal };

/** The words the sign-in page and the password grant show for each refusal. */
export const REFUSAL_MESSAGES: Readonly<Record<SignInRefusal, string>> = {
  invalid_credentials: 'Your account or password is incorrect.',
  disabled: 'Your account is disabled. Ask your administrator to enable it, then try again.',
  deleted: 'Your account has been deleted. Ask your administrator to restore it, then try again.',
};

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

/**
 * Checks a user name and password, in named steps that later policies (smart lockout, password
 * expiry) hook between. The account state is told only after the password proved who is asking.
 * @example
 *   const check = await checkCredentials(accounts, 'adele@contoso.cloudsync.test', password);
 *   if (!check.ok) return REFUSAL_MESSAGES[check.refusal];
 */
export async function checkCredentials(
  accounts: AccountQueries,
  username: string,
  password: string,
): Promise<CredentialCheck> {
  const user = await findAccount(accounts, username);
  const passwordOk = await verifyAccountPassword(accounts, user, password);
  if (!user || !passwordOk) return { ok: false, refusal: 'invalid_credentials' };
  const refusal = checkAccountState(user);
  return refusal ? { ok: false, refusal } : { ok: true, user };
}
