// The agent's own AD account: created by the install wizard with only the rights the chosen
// features need, checked, and removed on uninstall. All over LDAPS, so the agent can run on any host.
import { hostname } from 'node:os';
import { Attribute } from 'ldapts';
import { sidToString, UAC_DONT_EXPIRE_PASSWORD, UAC_NORMAL_ACCOUNT } from '../ad/attributes.js';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { readDacl, writeDacl } from './dacl.js';
import { forgetCredentials, generatePassword, storeCredentials } from './password.js';
import {
  type AgentFeatures,
  type AgentRight,
  aceFor,
  describe,
  type GrantedRight,
  holds,
  rightsFor,
} from './rights.js';
import {
  addAces,
  isInherited,
  removeAcesOf,
  type SecurityDescriptor,
  sameAce,
} from './security-descriptor.js';

/** What the wizard asks for. */
export interface CreateServiceAccountOptions {
  /** Domain root DN (where the rights are granted). */
  domainRoot: string;
  /** DNS name of the domain, for the UPN. */
  dnsDomainName: string;
  features: AgentFeatures;
  /** Agent state directory; the password goes to `<stateDir>/ad-service-account.json` (0600). */
  stateDir: string;
  /** sAMAccountName, at most 20 characters (default `cloudsync-<host>`). */
  name?: string;
  /** Container or OU for the account (default `CN=Managed Service Accounts,<root>`). */
  parentDn?: string;
}

/** What was created. */
export interface ServiceAccount {
  dn: string;
  sid: string;
  upn: string;
  sAMAccountName: string;
  /** Where the password was stored. */
  credentialsFile: string;
  /** The rights granted, for the wizard to print. */
  granted: GrantedRight[];
}

/** `cloudsync-<host>`, cut to AD's 20-character sAMAccountName limit. */
export function defaultAccountName(host = hostname()): string {
  const clean = host.split('.')[0]?.replace(/[^A-Za-z0-9-]/g, '') || 'agent';
  return `cloudsync-${clean}`.slice(0, 20).replace(/-+$/, '');
}

function escapeRdn(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`);
}

/** objectSid of `dn` as `S-1-5-21-...`. */
export async function readSid(ad: AdConnection, dn: string): Promise<string> {
  const [entry] = await ad.search(dn, {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['objectSid'],
    explicitBufferAttributes: ['objectSid'],
  });
  const sid = entry?.objectSid;
  if (!Buffer.isBuffer(sid)) throw new AdError('ad.no_such_object', `no objectSid on ${dn}`);
  return sidToString(sid);
}

/**
 * Applies `edit` to the domain root's DACL and writes it back, then re-reads it until `done` holds.
 * A write is read-modify-write of the whole DACL, so a concurrent writer could undo it; checking
 * and retrying makes ours stick.
 */
async function editDacl(
  ad: AdConnection,
  dn: string,
  edit: (sd: SecurityDescriptor) => number,
  done: (sd: SecurityDescriptor) => boolean,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const sd = await readDacl(ad, dn);
    if (edit(sd) > 0) await writeDacl(ad, dn, sd);
    if (done(await readDacl(ad, dn))) return;
    if (attempt >= 5)
      throw new AdError('ad.protocol', `the DACL of ${dn} did not keep the change after ${attempt} writes`);
  }
}

/** Grants `rights` to `sid` on the domain root (read DACL, add ACEs, write back). */
export async function grantRights(
  ad: AdConnection,
  domainRoot: string,
  sid: string,
  rights: readonly AgentRight[],
): Promise<GrantedRight[]> {
  if (rights.length === 0) return [];
  const aces = rights.map((r) => aceFor(r, sid));
  await editDacl(
    ad,
    domainRoot,
    (sd) => addAces(sd, aces),
    (sd) => aces.every((a) => sd.dacl?.aces.some((b) => !isInherited(b) && sameAce(a, b))),
  );
  return rights.map((r) => describe(r, domainRoot));
}

/** Removes every explicit ACE of `sid` from the domain root; returns how many there were. */
export async function revokeAll(ad: AdConnection, domainRoot: string, sid: string): Promise<number> {
  let removed = 0;
  await editDacl(
    ad,
    domainRoot,
    (sd) => {
      const n = removeAcesOf(sd, sid);
      removed += n;
      return n;
    },
    (sd) => !sd.dacl?.aces.some((a) => !isInherited(a) && a.sid === sid),
  );
  return removed;
}

/**
 * Creates the service account (random 64-character password, never expires), grants what
 * `features` need on the domain root, and stores the password. Run it on an administrator's
 * connection (LDAPS: AD only accepts passwords over an encrypted connection).
 *
 * @example
 * const account = await createServiceAccount(adminAd, { domainRoot, dnsDomainName, stateDir,
 *   features: { passwordHashSync: true, writeback: false } });
 * for (const g of account.granted) console.log(`${g.right} on ${g.on}`);
 */
export async function createServiceAccount(
  ad: AdConnection,
  options: CreateServiceAccountOptions,
): Promise<ServiceAccount> {
  const sam = options.name ?? defaultAccountName();
  if (sam.length > 20)
    throw new AdError('ad.constraint', `sAMAccountName ${sam} is longer than 20 characters`);
  const parent = options.parentDn ?? `CN=Managed Service Accounts,${options.domainRoot}`;
  const dn = `CN=${escapeRdn(sam)},${parent}`;
  const upn = `${sam}@${options.dnsDomainName.toLowerCase()}`;
  const password = generatePassword(64);
  const values: Record<string, string[]> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: [sam],
    userPrincipalName: [upn],
    displayName: [`cloudsync agent (${sam})`],
    description: ['Service account of the cloudsync agent. Created by `cloudsync agent install`.'],
    userAccountControl: [String(UAC_NORMAL_ACCOUNT | UAC_DONT_EXPIRE_PASSWORD)],
  };
  // The password goes in the same add: AD refuses an enabled account without one.
  await ad.add(dn, [
    ...Object.entries(values).map(([type, v]) => new Attribute({ type, values: v })),
    new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password}"`, 'utf16le')] }),
  ]);
  try {
    const sid = await readSid(ad, dn);
    const credentialsFile = await storeCredentials(options.stateDir, { upn, dn, sid, password });
    const granted = await grantRights(ad, options.domainRoot, sid, rightsFor(options.features));
    return { dn, sid, upn, sAMAccountName: sam, credentialsFile, granted };
  } catch (err) {
    // Leave nothing half-made behind: no account without its stored password.
    await ad.del(dn).catch(() => undefined);
    await forgetCredentials(options.stateDir).catch(() => undefined);
    throw err;
  }
}

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

/**
 * Uninstall: removes every explicit ACE of the account from the domain root, deletes the account,
 * and forgets its password. Run it on an administrator's connection.
 */
export async function removeServiceAccount(
  ad: AdConnection,
  options: { domainRoot: string; accountDn: string; stateDir?: string },
): Promise<{ acesRemoved: number }> {
  const sid = await readSid(ad, options.accountDn);
  const acesRemoved = await revokeAll(ad, options.domainRoot, sid);
  await ad.del(options.accountDn);
  if (options.stateDir) await forgetCredentials(options.stateDir);
  return { acesRemoved };
}
