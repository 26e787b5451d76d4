// The agent's own AD account: created by the install wizard with only the rights the chosen
// features need, and removed on uninstall. All over LDAPS, so the agent can run on any host.
import { hostname } from 'node:os';
import { Attribute, Change } from 'ldapts';
import { sidToString, UAC_NORMAL_ACCOUNT } from '../ad/attributes.js';
import type { AdConnection } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { revokeAll, setExactRights } from './grants.js';
import { forgetCredentials, generatePassword, storeCredentials, unicodePwd } from './password.js';
import { type AgentFeatures, type GrantedRight, rightsFor } from './rights.js';

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
  /**
   * When the account exists already (install run again): give it a new password and exactly the
   * rights `features` need (default), or fail with `ad.constraint` (`false`).
   */
  repair?: boolean;
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
  /** True when an existing account was repaired rather than created. */
  repaired?: boolean;
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
 * Creates the service account (random 64-character password; the agent keeps it fresh), grants what
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
    // No DONT_EXPIRE_PASSWORD: the agent changes its own password before the policy expires it
    // (session.ts), so the account follows the domain's password policy like any other.
    userAccountControl: [String(UAC_NORMAL_ACCOUNT)],
  };
  const pwd = unicodePwd(password);
  const repaired = await repairExisting(ad, dn, sam, pwd, options.repair ?? true);
  if (!repaired) {
    // The password goes in the same add: AD refuses an enabled account without one.
    await ad.add(dn, [
      ...Object.entries(values).map(([type, v]) => new Attribute({ type, values: v })),
      new Attribute({ type: 'unicodePwd', values: [pwd] }),
    ]);
  }
  try {
    const sid = await readSid(ad, dn);
    const credentialsFile = await storeCredentials(options.stateDir, { upn, dn, sid, password });
    const granted = await setExactRights(ad, options.domainRoot, sid, rightsFor(options.features));
    return { dn, sid, upn, sAMAccountName: sam, credentialsFile, granted, repaired };
  } catch (err) {
    // Leave nothing half-made behind: no new account without its stored password.
    if (!repaired) {
      await ad.del(dn).catch(() => undefined);
      await forgetCredentials(options.stateDir).catch(() => undefined);
    }
    throw err;
  }
}

/**
 * When the account already exists (install run again), gives it a new password, enables it and
 * returns true; the caller then re-grants exactly the rights needed. False when there is none.
 */
async function repairExisting(
  ad: AdConnection,
  dn: string,
  sam: string,
  pwd: Buffer,
  allowed: boolean,
): Promise<boolean> {
  let existing: Record<string, unknown> | undefined;
  try {
    [existing] = await ad.search(dn, {
      scope: 'base',
      filter: '(objectClass=user)',
      attributes: ['sAMAccountName'],
    });
  } catch (err) {
    if (err instanceof AdError && err.code === 'ad.no_such_object') return false;
    throw err;
  }
  if (!existing) return false;
  if (!allowed || String(existing.sAMAccountName).toLowerCase() !== sam.toLowerCase()) {
    throw new AdError('ad.constraint', `${dn} already exists: remove it, or choose another account name`);
  }
  await ad.modify(dn, [
    new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'unicodePwd', values: [pwd] }),
    }),
    new Change({
      operation: 'replace',
      modification: new Attribute({
        type: 'userAccountControl',
        values: [String(UAC_NORMAL_ACCOUNT)],
      }),
    }),
  ]);
  return true;
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
