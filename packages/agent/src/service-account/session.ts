// The running agent's side of its service account: binds with the stored password (read again at
// each connection, so a repair by `cloudsync agent install` is picked up without a restart), turns
// AD's refusals into errors that say what to do, and keeps the password fresh before AD's policy
// expires it.
//
// Changing the password never loses the only working one. The order is:
//   1. write the file with the current password and the new one as `pendingPassword`;
//   2. ask AD to change it (bound as the account: delete old, add new);
//   3. write the file with the new password alone.
// A crash between 1 and 3 leaves both in the file; the next bind tries the pending one first (AD
// took the change) and then the current one (it did not), and keeps whichever AD accepts.
import type { Logger } from 'pino';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { bindDataCode, explainBindRefusal } from './bind-refusal.js';
import { generatePassword, readCredentials, type StoredCredentials, storeCredentials } from './password.js';
import { changeOwnPassword, type PasswordExpiry, readPasswordExpiry, rotationTime } from './rotation.js';

export interface ServiceAccountSessionOptions {
  stateDir: string;
  /** Where to bind (URL, TLS, timeouts); the account and its password come from the state directory. */
  connection: Omit<AdConnectionOptions, 'bindDn' | 'password'>;
  log: Logger;
  /** The clock expiry is judged by (tests move it). */
  now?: () => Date;
  /** Least time between two expiry checks (default 1 hour). */
  checkEveryMs?: number;
  /**
   * Change the password when due (default true). False for an account an administrator adopted
   * (`--service-account`): its password is theirs, so the agent only warns before it expires.
   */
  rotate?: boolean;
  /** Told after each expiry check (the service keeps it for `cloudsync agent status`). */
  onCheck?: (check: PasswordCheck) => void;
}

/** The result of an expiry check, as `cloudsync agent status` shows it (ISO 8601 times). */
export interface PasswordCheck {
  checkedAt: string;
  /** `never`, `now` (must change), or when it expires. */
  expiresAt?: string;
  /** When the agent changes it (undefined when it never expires). */
  rotateAt?: string;
  /** When the agent last changed it. */
  changedAt?: string;
  /** Why the last check or change failed. */
  error?: string;
  /** What an administrator should do (an adopted account's password near its expiry). */
  warning?: string;
}

/** What `keepFresh` did. */
export type RotationOutcome =
  | { state: 'skipped' }
  | { state: 'fresh'; rotateAt: Date | undefined; expiry: PasswordExpiry }
  | { state: 'due'; rotateAt: Date; expiry: PasswordExpiry; warning: string }
  | { state: 'rotated'; before: PasswordExpiry }
  | { state: 'failed'; error: unknown };

export interface ServiceAccountSession {
  /** The account's UPN. */
  readonly upn: string;
  /** The current password (read at each use: MS-DRSR binds with it). */
  readonly password: string;
  /** LDAPS options with the current password, read at each use (the change watcher reconnects with them). */
  readonly connection: AdConnectionOptions;
  /** A connection bound as the account; a refused bind throws `ServiceAccountBindError`. */
  connect(): Promise<AdConnection>;
  /** Changes the password when its expiry is near (checked at most every `checkEveryMs`); never throws. */
  keepFresh(): Promise<RotationOutcome>;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Opens the session on the stored credentials; undefined when there are none (not installed).
 * @example
 *   const account = await openServiceAccountSession({ stateDir, connection: { url, tls }, log });
 *   if (!account) throw new Error('not installed');
 *   await account.keepFresh(); // before each cycle
 *   const ad = await account.connect();
 */
export async function openServiceAccountSession(
  options: ServiceAccountSessionOptions,
): Promise<ServiceAccountSession | undefined> {
  const first = await readCredentials(options.stateDir);
  if (!first) return undefined;
  let creds: StoredCredentials = first;
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ part: 'service-account' });
  let lastCheck: number | undefined;
  let changedAt: string | undefined;
  // Every change of the credentials file goes through this chain, one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
  const optionsWith = (password: string): AdConnectionOptions => ({
    ...options.connection,
    bindDn: creds.upn,
    password,
  });
  const save = async (password: string, pending?: { password: string; since: Date }) => {
    const { pendingPassword: _p, pendingSince: _s, ...base } = creds;
    creds = {
      ...base,
      password,
      ...(pending ? { pendingPassword: pending.password, pendingSince: pending.since.toISOString() } : {}),
    };
    await storeCredentials(options.stateDir, creds);
  };

  /** Binds with the pending password, else the current one, and keeps the one AD accepts. */
  async function settlePending(pending: string): Promise<AdConnection> {
    try {
      const ad = await connectAd(optionsWith(pending));
      await save(pending);
      log.warn('a password change was interrupted after AD took it: the new password is kept');
      return ad;
    } catch (err) {
      // Only "wrong password" means AD never took the change; anything else is decided later.
      if (!(err instanceof AdError && err.code === 'ad.bind_refused' && bindDataCode(err) === '52e'))
        throw explainBindRefusal(err, creds.upn);
    }
    try {
      const ad = await connectAd(optionsWith(creds.password));
      await save(creds.password);
      log.warn('a password change was interrupted before AD took it: the current password is kept');
      return ad;
    } catch (err) {
      throw explainBindRefusal(err, creds.upn);
    }
  }

  async function connect(): Promise<AdConnection> {
    creds = (await readCredentials(options.stateDir)) ?? creds;
    if (creds.pendingPassword) return settlePending(creds.pendingPassword);
    try {
      return await connectAd(optionsWith(creds.password));
    } catch (err) {
      throw explainBindRefusal(err, creds.upn);
    }
  }

  /** Steps 1–3 of the header; AD's refusal (policy) drops the pending password, a lost line keeps it. */
  async function rotate(ad: AdConnection, expiry: PasswordExpiry, at: Date): Promise<RotationOutcome> {
    const current = creds.password;
    const next = generatePassword(64);
    await save(current, { password: next, since: now() });
    try {
      await changeOwnPassword(ad, creds.dn, current, next);
    } catch (err) {
      if (err instanceof AdError && err.ldapCode !== undefined) await save(current);
      log.warn(
        { code: err instanceof AdError ? err.code : undefined, message: String(err) },
        'AD did not change the service account password; the current one is kept, the agent tries again later',
      );
      return { state: 'failed', error: err };
    }
    await save(next);
    log.info(
      { account: creds.upn, expiresAt: expiry.expiresAt, rotateAt: at },
      'changed the service account password before it expires',
    );
    return { state: 'rotated', before: expiry };
  }

  async function keepFresh(): Promise<RotationOutcome> {
    const t = now();
    if (lastCheck !== undefined && t.getTime() - lastCheck < (options.checkEveryMs ?? HOUR_MS))
      return { state: 'skipped' };
    lastCheck = t.getTime();
    const outcome = await serial(() => check(t));
    options.onCheck?.(describe(t, outcome));
    return outcome;
  }

  async function check(t: Date): Promise<RotationOutcome> {
    let ad: AdConnection | undefined;
    try {
      ad = await connect();
      const expiry = await readPasswordExpiry(ad, creds.dn);
      const at = rotationTime(expiry);
      if (!at || at > t) return { state: 'fresh', rotateAt: at, expiry };
      if (options.rotate === false) return adoptedDue(expiry, at);
      return await rotate(ad, expiry, at);
    } catch (err) {
      log.warn({ message: String(err) }, 'could not check the service account password expiry');
      return { state: 'failed', error: err };
    } finally {
      await ad?.close().catch(() => undefined);
    }
  }

  function adoptedDue(expiry: PasswordExpiry, at: Date): RotationOutcome {
    const when = expiry.expiresAt instanceof Date ? expiry.expiresAt.toISOString() : expiry.expiresAt;
    const warning = `the password of ${creds.upn} (an adopted account, left to you) expires ${when}: change it in AD, then run \`cloudsync agent install --service-account ${creds.upn}\` again with the new one`;
    log.warn({ account: creds.upn, expiresAt: when }, warning);
    return { state: 'due', rotateAt: at, expiry, warning };
  }

  function describe(t: Date, outcome: RotationOutcome): PasswordCheck {
    const iso = (d: Date | 'never' | 'now') => (d instanceof Date ? d.toISOString() : d);
    if (outcome.state === 'rotated') changedAt = t.toISOString();
    const known = outcome.state === 'fresh' || outcome.state === 'due' ? outcome : undefined;
    return {
      checkedAt: t.toISOString(),
      ...(known ? { expiresAt: iso(known.expiry.expiresAt) } : {}),
      ...(known?.rotateAt ? { rotateAt: known.rotateAt.toISOString() } : {}),
      ...(changedAt ? { changedAt } : {}),
      ...(outcome.state === 'failed' ? { error: String(outcome.error).slice(0, 500) } : {}),
      ...(outcome.state === 'due' ? { warning: outcome.warning } : {}),
    };
  }

  const connection = {
    ...options.connection,
    get bindDn() {
      return creds.upn;
    },
    get password() {
      return creds.password;
    },
  };
  return {
    get upn() {
      return creds.upn;
    },
    get password() {
      return creds.password;
    },
    connection,
    connect: () => serial(connect),
    keepFresh,
  };
}
