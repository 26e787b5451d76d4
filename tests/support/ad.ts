// Fixtures on the Samba AD DC that `npm test` starts (CLOUDSYNC_TEST_AD): LDAPS clients, OUs,
// users with passwords, groups. Every name is unique per call, so test files can share the DC.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Attribute, Change, Client, Control } from 'ldapts';
import { runCommand } from '../harness/process.js';
import type { AdTestInfo } from '../harness/samba.js';
import { smbConfPath } from '../harness/samba.js';
import { withFileLock } from './file-lock.js';
import { uniqueName } from './unique.js';

export type { AdTestInfo } from '../harness/samba.js';

/** userAccountControl: NORMAL_ACCOUNT (512), | ACCOUNTDISABLE (2) = 514. */
export const UAC_ENABLED = 512;
export const UAC_DISABLED = 514;
const UAC_PASSWD_NOTREQD = 0x20;
const TREE_DELETE_OID = '1.2.840.113556.1.4.805';
/** DS-Replication-Get-Changes and DS-Replication-Get-Changes-All (control access rights). */
export const REPLICATION_RIGHTS = {
  getChanges: '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2',
  getChangesAll: '1131f6ad-9c07-11d1-f79f-00c04fc2dcd2',
} as const;

/** The DC's coordinates from CLOUDSYNC_TEST_AD. */
export function adFromEnv(): AdTestInfo {
  const raw = process.env.CLOUDSYNC_TEST_AD;
  if (!raw) {
    throw new Error(
      'CLOUDSYNC_TEST_AD is not set: run through `npm test` (or `npm test -- <file>`), which starts a Samba AD DC, ' +
        'or export the line printed by `node --import tsx tests/harness/dev-dc.ts 127.0.0.31 /tmp/dc31`',
    );
  }
  // Written by tests/harness/samba.ts (dcInfo); its shape is ours.
  return JSON.parse(raw) as AdTestInfo;
}

/** TLS options that trust the DC's CA (its certificate names the DC's IP, so hostnames verify). */
export function adTlsOptions(ad: AdTestInfo = adFromEnv()): ConnectionOptions {
  return { ca: [readFileSync(ad.caFile)] };
}

/** An unbound LDAPS client to the DC. */
export function ldapsClient(ad: AdTestInfo = adFromEnv()): Client {
  return new Client({
    url: ad.ldapsUrl,
    connectTimeout: 5000,
    // Test files share one DC two at a time; its writes wait behind another file's long transactions
    // (a domain replication, a bulk load), seen stalling past 30 s on the 2-core machine. A fixture's
    // write waits for that rather than failing the test; nothing asserts how long it took.
    timeout: 120_000,
    tlsOptions: adTlsOptions(ad),
  });
}

/** An LDAPS client bound as the domain Administrator. Call `unbind()` when done. */
export async function adminClient(ad: AdTestInfo = adFromEnv()): Promise<Client> {
  const client = ldapsClient(ad);
  await client.bind(ad.adminDn, ad.adminPassword);
  return client;
}

/** Runs `fn` with an Administrator LDAPS client and unbinds afterwards. */
export async function withAdmin<T>(
  fn: (client: Client) => Promise<T>,
  ad: AdTestInfo = adFromEnv(),
): Promise<T> {
  const client = await adminClient(ad);
  try {
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Binds as `dn` (or UPN) with `password` over LDAPS; rejects (InvalidCredentialsError) when AD refuses. */
export async function bindAs(dnOrUpn: string, password: string, ad: AdTestInfo = adFromEnv()): Promise<void> {
  const client = ldapsClient(ad);
  try {
    await client.bind(dnOrUpn, password);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Escapes a value for use in a DN's RDN (RFC 4514). */
export function escapeRdn(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** The value AD expects in `unicodePwd`: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/**
 * Creates an OU with a unique name under the domain root (or under `parent`) and returns its DN.
 * @example const ou = await createOu('sync');
 */
export async function createOu(name = 'ou', parent?: string): Promise<string> {
  const ad = adFromEnv();
  const dn = `OU=${escapeRdn(uniqueName(name, 64))},${parent ?? ad.baseDn}`;
  await withAdmin((c) => c.add(dn, { objectClass: ['top', 'organizationalUnit'] }), ad);
  return dn;
}

/** What `createUser` made. */
export interface TestUser {
  dn: string;
  sam: string;
  upn: string;
}

/**
 * Creates a user in `ou`. `sam` is made unique (a suffix is added); the CN is the unique sam.
 * With a password, it is set over LDAPS (`unicodePwd`) in the same add, so AD applies its
 * password policy (a too-short password is refused). Enabled (512) unless `enabled: false` (514).
 * `extra` adds or overrides attributes.
 * @example const u = await createUser({ ou, sam: 'alice', givenName: 'Alice', sn: 'Smith', displayName: 'Alice Smith', password: 'Passw0rd!x' });
 */
export async function createUser(opts: {
  ou: string;
  sam: string;
  givenName?: string;
  sn?: string;
  displayName?: string;
  upn?: string;
  password?: string;
  enabled?: boolean;
  extra?: Record<string, string | string[]>;
}): Promise<TestUser> {
  const ad = adFromEnv();
  const sam = uniqueName(opts.sam);
  const upn = opts.upn ?? `${sam}@${ad.realm.toLowerCase()}`;
  const dn = `CN=${escapeRdn(sam)},${opts.ou}`;
  const enabled = opts.enabled ?? true;
  let uac = enabled ? UAC_ENABLED : UAC_DISABLED;
  // An enabled account without a password needs PASSWD_NOTREQD, or AD refuses to create it.
  if (enabled && opts.password === undefined) uac |= UAC_PASSWD_NOTREQD;
  const values: Record<string, string | string[] | undefined> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    userPrincipalName: upn,
    givenName: opts.givenName,
    sn: opts.sn,
    displayName: opts.displayName,
    userAccountControl: String(uac),
    ...opts.extra,
  };
  const attributes: Attribute[] = [];
  for (const [type, value] of Object.entries(values)) {
    if (value === undefined) continue;
    attributes.push(new Attribute({ type, values: Array.isArray(value) ? value : [value] }));
  }
  if (opts.password !== undefined) {
    attributes.push(new Attribute({ type: 'unicodePwd', values: [unicodePwd(opts.password)] }));
  }
  await withAdmin((c) => c.add(dn, attributes), ad);
  return { dn, sam, upn };
}

/** Resets a password as Administrator (over LDAPS); AD's policy applies. */
export async function setPassword(dn: string, password: string): Promise<void> {
  const change = new Change({
    operation: 'replace',
    modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
  });
  await withAdmin((c) => c.modify(dn, change));
}

/** An AD interval (as msDS-PasswordSettings stores one): negative, in 100 ns units. */
const adInterval = (minutes: number) => String(-BigInt(minutes) * 60n * 10_000_000n);

/**
 * A fine-grained password policy (msDS-PasswordSettings) for `appliesTo` alone: minimum age 0 (a
 * user may change a password set today), no history, complexity, 7 characters, and lockout after
 * `lockoutThreshold` wrong passwords for 30 minutes (0: never). Returns its DN; remove it with
 * `deleteEntry`.
 */
export async function createPasswordSettings(opts: {
  appliesTo: string[];
  lockoutThreshold?: number;
}): Promise<string> {
  const ad = adFromEnv();
  const dn = `CN=${escapeRdn(uniqueName('pso', 60))},CN=Password Settings Container,CN=System,${ad.baseDn}`;
  await withAdmin(
    (c) =>
      c.add(dn, {
        objectClass: ['top', 'msDS-PasswordSettings'],
        'msDS-PasswordSettingsPrecedence': '10',
        'msDS-PasswordReversibleEncryptionEnabled': 'FALSE',
        'msDS-PasswordHistoryLength': '0',
        'msDS-PasswordComplexityEnabled': 'TRUE',
        'msDS-MinimumPasswordLength': '7',
        'msDS-MinimumPasswordAge': '0',
        'msDS-MaximumPasswordAge': adInterval(42 * 24 * 60),
        'msDS-LockoutThreshold': String(opts.lockoutThreshold ?? 0),
        'msDS-LockoutObservationWindow': adInterval(30),
        'msDS-LockoutDuration': adInterval(30),
        'msDS-PSOAppliesTo': opts.appliesTo,
      }),
    ad,
  );
  return dn;
}

/** Global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | ADS_GROUP_TYPE_SECURITY_ENABLED). */
export const GROUP_GLOBAL_SECURITY = -2147483646;

/** Creates a group in `ou` with a unique name (also its sAMAccountName) and returns its DN and name. */
export async function createGroup(opts: {
  ou: string;
  name?: string;
  groupType?: number;
  extra?: Record<string, string | string[]>;
}): Promise<{ dn: string; sam: string }> {
  const sam = uniqueName(opts.name ?? 'grp');
  const dn = `CN=${escapeRdn(sam)},${opts.ou}`;
  await withAdmin((c) =>
    c.add(dn, {
      objectClass: ['top', 'group'],
      sAMAccountName: sam,
      groupType: String(opts.groupType ?? GROUP_GLOBAL_SECURITY),
      ...opts.extra,
    }),
  );
  return { dn, sam };
}

/** Adds members (DNs) to a group. */
export async function addMember(groupDn: string, ...memberDns: string[]): Promise<void> {
  const change = new Change({
    operation: 'add',
    modification: new Attribute({ type: 'member', values: memberDns }),
  });
  await withAdmin((c) => c.modify(groupDn, change));
}

/** Removes members (DNs) from a group. */
export async function removeMember(groupDn: string, ...memberDns: string[]): Promise<void> {
  const change = new Change({
    operation: 'delete',
    modification: new Attribute({ type: 'member', values: memberDns }),
  });
  await withAdmin((c) => c.modify(groupDn, change));
}

/** Deletes an entry and everything under it (tree-delete control). */
export async function deleteEntry(dn: string): Promise<void> {
  await withAdmin((c) => c.del(dn, new Control(TREE_DELETE_OID, { critical: true })));
}

/** Converts a binary objectSid to its S-1-5-21-… form. */
export function sidToString(sid: Buffer): string {
  const revision = sid.readUInt8(0);
  const count = sid.readUInt8(1);
  const authority = sid.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(sid.readUInt32LE(8 + 4 * i));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

/** Reads the objectSid of an entry as a string. */
export async function readSid(dn: string): Promise<string> {
  const entry = await withAdmin(async (c) => {
    const { searchEntries } = await c.search(dn, {
      scope: 'base',
      attributes: ['objectSid'],
      explicitBufferAttributes: ['objectSid'],
    });
    return searchEntries[0];
  });
  const sid = entry?.objectSid;
  if (!Buffer.isBuffer(sid)) throw new Error(`no objectSid on ${dn}`);
  return sidToString(sid);
}

/**
 * Runs `fn` while no other test process edits the domain root's security descriptor. An ACE is
 * added by reading the whole DACL and writing it back, so two test files doing that at once lose
 * one another's ACEs; every test that edits the domain root's DACL (directly, or through code
 * under test such as the agent's service-account set-up) should do it inside this lock.
 * @example await withDomainRootAclLock(() => createServiceAccount(...));
 */
export function withDomainRootAclLock<T>(fn: () => Promise<T>, ad: AdTestInfo = adFromEnv()): Promise<T> {
  return withFileLock(join(ad.dir, 'cloudsync-domain-root-acl.lock'), fn);
}

/**
 * Adds explicit ACEs (SDDL, e.g. `(OA;;CR;<guid>;;<sid>)`) to the domain root's DACL, atomically on
 * the DC's own database (tests/support/add-aces.py) and inside `withDomainRootAclLock`. Needs the
 * DC folder on this machine (true for `npm test` and `dev-dc.ts`).
 */
export async function addDomainRootAces(sddlAces: string): Promise<void> {
  const ad = adFromEnv();
  const script = fileURLToPath(new URL('./add-aces.py', import.meta.url));
  await withDomainRootAclLock(
    () =>
      runCommand('/usr/bin/python3', [
        script,
        smbConfPath(ad.dir),
        `tdb://${ad.dir}/private/sam.ldb`,
        ad.baseDn,
        sddlAces,
      ]),
    ad,
  );
}

/**
 * Grants "Replicating Directory Changes" and "... All" on the domain root to a SID, as an agent's
 * service account needs for MS-DRSR (DCSync).
 */
export async function grantReplicationRights(sid: string): Promise<void> {
  await addDomainRootAces(
    Object.values(REPLICATION_RIGHTS)
      .map((right) => `(OA;;CR;${right};;${sid})`)
      .join(''),
  );
}
