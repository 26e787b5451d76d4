// Why AD refused the service account's bind, read from the `data` code of AD's diagnostic message
// ("80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 773, v1db1"),
// turned into an error that says what happened and what to do.
import { AdError } from '../ad/errors.js';

/** What AD's `data` code says about a refused bind. */
export type BindRefusal =
  | 'wrong_password'
  | 'password_expired'
  | 'must_change_password'
  | 'account_disabled'
  | 'account_locked'
  | 'account_expired'
  | 'no_such_account'
  | 'logon_restricted'
  | 'unknown';

const DATA_CODES: Readonly<Record<string, BindRefusal>> = {
  '52e': 'wrong_password',
  '532': 'password_expired',
  '773': 'must_change_password',
  '533': 'account_disabled',
  '775': 'account_locked',
  '701': 'account_expired',
  '525': 'no_such_account',
  '530': 'logon_restricted',
  '531': 'logon_restricted',
};

const REPAIR =
  'Run `cloudsync agent install` again on the agent host (with the same --state-dir): it gives the account a new password, and the agent recovers by itself at its next cycle.';

function explain(reason: BindRefusal, account: string, data: string): string {
  const ad = `AD refused the service account ${account} (data ${data})`;
  switch (reason) {
    case 'password_expired':
      return `${ad}: its password has expired. The agent changes it before it expires; it could not in time (stopped for long, or AD refused the change — see its log). ${REPAIR}`;
    case 'must_change_password':
      return `${ad}: AD demands a password change at next logon (pwdLastSet was set to 0, "User must change password"). ${REPAIR}`;
    case 'wrong_password':
      return `${ad}: the stored password is no longer its password (it was reset in AD, or the password file was replaced). ${REPAIR}`;
    case 'account_disabled':
      return `${ad}: the account is disabled. Enable it in AD; the next cycle recovers by itself.`;
    case 'account_locked':
      return `${ad}: the account is locked out. Unlock it in AD (or wait for the lockout to end); the next cycle recovers by itself.`;
    case 'account_expired':
      return `${ad}: the account has expired (accountExpires). Clear its expiry date in AD; the next cycle recovers by itself.`;
    case 'no_such_account':
      return `${ad}: AD does not know the account. ${REPAIR}`;
    case 'logon_restricted':
      return `${ad}: logon hours or workstation restrictions forbid it. Lift them for this account.`;
    default:
      return `${ad}. ${REPAIR}`;
  }
}

/** A refused bind of the service account, with the reason AD gave (`reason`) and the next step. */
export class ServiceAccountBindError extends AdError {
  readonly reason: BindRefusal;
  /** AD's `data` code (hex), when it gave one. */
  readonly data: string | undefined;

  constructor(reason: BindRefusal, account: string, data: string | undefined, cause: unknown) {
    super('ad.bind_refused', explain(reason, account, data ?? 'none'), { ldapCode: 49, cause });
    this.reason = reason;
    this.data = data;
  }
}

/** AD's `data` code in a refused bind's message, lower-case hex; undefined when there is none. */
export function bindDataCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const m = /\bdata ([0-9a-f]{1,8})\b/i.exec(e.message);
    if (m?.[1]) return m[1].toLowerCase();
  }
  return undefined;
}

/**
 * The typed error for a bind of `account` AD refused (`ad.bind_refused`); any other error as is.
 * @example
 *   try { await connectAd(options) } catch (err) { throw explainBindRefusal(err, options.bindDn) }
 */
export function explainBindRefusal(err: unknown, account: string): unknown {
  if (!(err instanceof AdError) || err.code !== 'ad.bind_refused' || err instanceof ServiceAccountBindError)
    return err;
  const data = bindDataCode(err);
  return new ServiceAccountBindError((data && DATA_CODES[data]) || 'unknown', account, data, err);
}
