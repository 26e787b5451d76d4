// `cloudsync agent install` run again: when AD no longer accepts the stored password of the service
// account (expired, "must change at next logon", reset by someone), an administrator's connection
// gives the account a new random password. Same crash-safe order as the agent's own change
// (session.ts): the new password is written as pending before AD is asked.
import { Attribute, Change } from 'ldapts';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { type BindRefusal, explainBindRefusal, ServiceAccountBindError } from './bind-refusal.js';
import { generatePassword, readCredentials, storeCredentials, unicodePwd } from './password.js';

/**
 * Binds as the stored account (pending password first, as the agent does); when AD refuses it for
 * its password, sets a new one on `admin` and stores it. Returns what was repaired, or undefined
 * when the stored password works (a pending one that works is kept).
 * @example
 *   const repaired = await repairPassword(adminAd, { stateDir, connection: { url, tls } });
 *   if (repaired) console.log(`new password set (AD had refused the old one: ${repaired})`);
 */
export async function repairPassword(
  admin: AdConnection,
  options: { stateDir: string; connection: Omit<AdConnectionOptions, 'bindDn' | 'password'> },
): Promise<BindRefusal | undefined> {
  const stored = await readCredentials(options.stateDir);
  if (!stored) return undefined;
  const { pendingPassword, pendingSince: _since, ...base } = stored;
  let refusal: BindRefusal = 'unknown';
  for (const password of [pendingPassword, stored.password]) {
    if (!password) continue;
    try {
      const ad = await connectAd({ ...options.connection, bindDn: stored.upn, password });
      await ad.close();
      if (pendingPassword) await storeCredentials(options.stateDir, { ...base, password });
      return undefined;
    } catch (err) {
      const explained = explainBindRefusal(err, stored.upn);
      if (!(explained instanceof ServiceAccountBindError)) throw explained;
      refusal = explained.reason;
      // Disabled, locked or expired accounts are not a password problem: a new password would not help.
      if (!['wrong_password', 'password_expired', 'must_change_password'].includes(refusal)) throw explained;
    }
  }
  const next = generatePassword(64);
  await storeCredentials(options.stateDir, { ...base, password: stored.password, pendingPassword: next });
  try {
    await admin.modify(stored.dn, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(next)] }),
      }),
    ]);
  } catch (err) {
    if (err instanceof AdError && err.ldapCode !== undefined)
      await storeCredentials(options.stateDir, { ...base, password: stored.password });
    throw err;
  }
  await storeCredentials(options.stateDir, { ...base, password: next });
  return refusal;
}
