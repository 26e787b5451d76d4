// The lab's own LDAP calls to its DC: read the domain SID, create or reset Bobby, bind as him.
// Everything goes over LDAPS, verified against the DC folder's CA.
import { readFileSync } from 'node:fs';
import { Attribute, Change, Client } from 'ldapts';
import type { AdTestInfo } from './samba/samba.js';

function client(info: AdTestInfo): Client {
  return new Client({
    url: info.ldapsUrl,
    connectTimeout: 5000,
    timeout: 15_000,
    tlsOptions: { ca: [readFileSync(info.caFile)] },
  });
}

/** Runs `fn` bound as the domain's Administrator. */
export async function withAdmin<T>(info: AdTestInfo, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = client(info);
  try {
    await c.bind(info.adminUpn, info.adminPassword);
    return await fn(c);
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

/** True when AD accepts `password` for `upn` (a simple bind over LDAPS). */
export async function canBind(info: AdTestInfo, upn: string, password: string): Promise<boolean> {
  const c = client(info);
  try {
    await c.bind(upn, password);
    return true;
  } catch {
    return false;
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

/** A binary SID as its string form (`S-1-5-21-…`), as [MS-DTYP] 2.4.2.2 lays it out. */
export function sidToString(sid: Buffer): string {
  const revision = sid.readUInt8(0);
  const count = sid.readUInt8(1);
  const authority = sid.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(sid.readUInt32LE(8 + 4 * i));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

/** The domain's DNS name, NetBIOS name and SID, as a sync configuration names them. */
export async function readDomain(
  info: AdTestInfo,
): Promise<{ dnsName: string; netbiosName: string; sid: string }> {
  return withAdmin(info, async (c) => {
    const { searchEntries } = await c.search(info.baseDn, {
      scope: 'base',
      attributes: ['objectSid'],
      explicitBufferAttributes: ['objectSid'],
    });
    const sid = searchEntries[0]?.objectSid;
    if (!Buffer.isBuffer(sid)) throw new Error(`no objectSid on ${info.baseDn}`);
    return { dnsName: info.realm.toLowerCase(), netbiosName: info.netbiosDomain, sid: sidToString(sid) };
  });
}

const unicodePwd = (password: string) => Buffer.from(`"${password}"`, 'utf16le');

/** A user the lab creates: enabled, in `CN=Users`, with a password. */
export interface LabUserInput {
  sam: string;
  givenName: string;
  sn: string;
  displayName: string;
  password: string;
}

/**
 * Creates the user, or (when one with that sAMAccountName exists) gives it `password` as an
 * administrator's reset. Returns its DN and UPN, and whether it was created.
 */
export async function ensureUser(
  info: AdTestInfo,
  user: LabUserInput,
): Promise<{ dn: string; upn: string; created: boolean }> {
  const upn = `${user.sam}@${info.realm.toLowerCase()}`;
  return withAdmin(info, async (c) => {
    const { searchEntries } = await c.search(info.baseDn, {
      scope: 'sub',
      filter: `(&(objectCategory=person)(sAMAccountName=${user.sam}))`,
      attributes: ['userPrincipalName'],
    });
    const existing = searchEntries[0];
    if (existing) {
      await c.modify(existing.dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(user.password)] }),
        }),
      ]);
      return { dn: existing.dn, upn: String(existing.userPrincipalName || upn), created: false };
    }
    const dn = `CN=${user.displayName},CN=Users,${info.baseDn}`;
    const text: Record<string, string | string[]> = {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: user.sam,
      userPrincipalName: upn,
      givenName: user.givenName,
      sn: user.sn,
      displayName: user.displayName,
      userAccountControl: '512',
    };
    await c.add(dn, [
      ...Object.entries(text).map(([type, v]) => new Attribute({ type, values: Array.isArray(v) ? v : [v] })),
      new Attribute({ type: 'unicodePwd', values: [unicodePwd(user.password)] }),
    ]);
    return { dn, upn, created: true };
  });
}
