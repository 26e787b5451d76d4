// Checking an account's rights, and adopting an account an administrator made.
import { sidToString } from '../ad/attributes.js';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import type { ServiceAccount } from './account.js';
import { readDacl } from './dacl.js';
import { storeCredentials } from './password.js';
import {
  type AgentFeatures,
  type AgentRight,
  describe,
  type GrantedRight,
  holds,
  rightsFor,
} from './rights.js';

/** A right and whether the account holds it. */
export interface RightCheck extends GrantedRight {
  held: boolean;
}

/** Result of `checkRights`. */
export interface RightsReport {
  sid: string;
  rights: RightCheck[];
  /** Names of the rights the features need and the account lacks. */
  missing: AgentRight[];
}

/** The account's SID and the SIDs of all its groups (tokenGroups), read on `ad`. */
async function tokenSids(ad: AdConnection, accountDn: string): Promise<{ sid: string; all: Set<string> }> {
  const [entry] = await ad.search(accountDn, {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['objectSid', 'tokenGroups'],
    explicitBufferAttributes: ['objectSid', 'tokenGroups'],
  });
  const own = entry?.objectSid;
  if (!Buffer.isBuffer(own)) throw new AdError('ad.no_such_object', `no objectSid on ${accountDn}`);
  const groups = entry?.tokenGroups;
  const list = Array.isArray(groups) ? groups : groups ? [groups] : [];
  const all = new Set([sidToString(own)]);
  for (const g of list) if (Buffer.isBuffer(g)) all.add(sidToString(g));
  return { sid: sidToString(own), all };
}

/**
 * Which of the rights `features` need the account holds on the domain root, directly or through a
 * group. Reads the DACL, so `ad` may be the account's own connection or an administrator's.
 */
export async function checkRights(
  ad: AdConnection,
  options: { domainRoot: string; accountDn: string; features: AgentFeatures },
): Promise<RightsReport> {
  const { sid, all } = await tokenSids(ad, options.accountDn);
  const sd = await readDacl(ad, options.domainRoot);
  const aces = sd.dacl?.aces ?? [];
  const rights = rightsFor(options.features).map((right) => ({
    ...describe(right, options.domainRoot),
    held: holds(aces, right, all),
  }));
  return { sid, rights, missing: rights.filter((r) => !r.held).map((r) => r.right) };
}

/** The DN of the account a bound connection authenticated as. */
async function whoAmI(ad: AdConnection, domainRoot: string, bindName: string): Promise<string> {
  if (/^(cn|uid|ou)=/i.test(bindName)) return bindName;
  const [entry] = await ad.search(domainRoot, {
    scope: 'sub',
    filter: `(userPrincipalName=${bindName.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)})`,
    attributes: ['distinguishedName'],
  });
  if (!entry) throw new AdError('ad.no_such_object', `no account with userPrincipalName ${bindName}`);
  return entry.dn;
}

/**
 * Adopts an account an administrator made: binds as it (proves the password), checks its rights,
 * and stores the password. Throws `ad.missing_rights` (naming them) unless all are held.
 */
export async function useExistingAccount(options: {
  connection: Omit<AdConnectionOptions, 'bindDn' | 'password'>;
  bindDn: string;
  password: string;
  domainRoot: string;
  features: AgentFeatures;
  stateDir: string;
}): Promise<ServiceAccount> {
  const ad = await connectAd({ ...options.connection, bindDn: options.bindDn, password: options.password });
  try {
    const dn = await whoAmI(ad, options.domainRoot, options.bindDn);
    const report = await checkRights(ad, {
      domainRoot: options.domainRoot,
      accountDn: dn,
      features: options.features,
    });
    if (report.missing.length > 0) {
      throw new AdError(
        'ad.missing_rights',
        `${options.bindDn} lacks ${report.missing.join(', ')} on ${options.domainRoot}: grant them, or let \`cloudsync agent install\` create a service account`,
      );
    }
    const [entry] = await ad.search(dn, {
      scope: 'base',
      attributes: ['sAMAccountName', 'userPrincipalName'],
    });
    const sam = String(entry?.sAMAccountName ?? '');
    const upn = String(entry?.userPrincipalName || options.bindDn);
    const credentialsFile = await storeCredentials(options.stateDir, {
      upn,
      dn,
      sid: report.sid,
      password: options.password,
    });
    return { dn, sid: report.sid, upn, sAMAccountName: sam, credentialsFile, granted: report.rights };
  } finally {
    await ad.close();
  }
}
