// The attributes the agent reads from AD and how their values decode.
import type { Entry } from 'ldapts';

/** Attributes whose values are binary and stay Buffers. */
export const BINARY_ATTRIBUTES = ['objectGUID', 'mS-DS-ConsistencyGuid', 'objectSid'] as const;

/** Text attributes the default mappings need (lDAPDisplayName spelling). */
export const TEXT_ATTRIBUTES = [
  'objectClass',
  'distinguishedName',
  'name',
  'cn',
  'sAMAccountName',
  'userPrincipalName',
  'displayName',
  'givenName',
  'sn',
  'initials',
  'mail',
  'mailNickname',
  'proxyAddresses',
  'userAccountControl',
  'accountExpires',
  'memberOf',
  'member',
  'groupType',
  'description',
  'title',
  'department',
  'company',
  'manager',
  'physicalDeliveryOfficeName',
  'telephoneNumber',
  'mobile',
  'streetAddress',
  'l',
  'st',
  'postalCode',
  'c',
  'co',
  'employeeID',
  'pwdLastSet',
  'whenCreated',
  'whenChanged',
  'uSNChanged',
  'isDeleted',
] as const;

export type AdBinaryAttribute = (typeof BINARY_ATTRIBUTES)[number];
export type AdTextAttribute = (typeof TEXT_ATTRIBUTES)[number];

/** Every attribute a full import or delta asks for. */
export const SYNC_ATTRIBUTES: readonly string[] = [...BINARY_ATTRIBUTES, ...TEXT_ATTRIBUTES];

/** The kinds of objects the agent synchronises. */
export type AdObjectKind = 'user' | 'group' | 'contact';

/** LDAP filter for the objects in scope: people that are users, groups, contacts. */
export const SYNC_FILTER =
  '(|(&(objectCategory=person)(objectClass=user))(objectClass=group)(objectClass=contact))';

/** One AD object as read: text values by attribute name, binary values as Buffers. */
export interface AdObject {
  kind: AdObjectKind;
  dn: string;
  /** objectGUID, 16 bytes (the anchor falls back to it). */
  objectGuid: Buffer;
  /** objectGUID in its usual string form, e.g. `0f6a...-...`. */
  guid: string;
  text: Partial<Record<AdTextAttribute, string[]>>;
  binary: Partial<Record<AdBinaryAttribute, Buffer[]>>;
  /** True when `member` came back in ranges and was completed with ranged reads. */
  memberRanged?: boolean;
}

const CANONICAL = new Map<string, string>(SYNC_ATTRIBUTES.map((a) => [a.toLowerCase(), a]));
const BINARY = new Set<string>(BINARY_ATTRIBUTES);

/** `objectGUID` bytes → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (first three groups little-endian). */
export function guidToString(guid: Buffer): string {
  if (guid.length !== 16) throw new RangeError(`a GUID has 16 bytes, not ${guid.length}`);
  const h = guid.toString('hex');
  const le = (s: string) => s.match(/../g)?.reverse().join('') ?? '';
  return `${le(h.slice(0, 8))}-${le(h.slice(8, 12))}-${le(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Inverse of `guidToString`. */
export function guidFromString(text: string): Buffer {
  const h = text.replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(h)) throw new RangeError(`not a GUID: ${text}`);
  const le = (s: string) => s.match(/../g)?.reverse().join('') ?? '';
  return Buffer.from(le(h.slice(0, 8)) + le(h.slice(8, 12)) + le(h.slice(12, 16)) + h.slice(16), 'hex');
}

/** Binary SID → `S-1-5-21-...`. */
export function sidToString(sid: Buffer): string {
  const revision = sid.readUInt8(0);
  const count = sid.readUInt8(1);
  const authority = sid.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(sid.readUInt32LE(8 + i * 4));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

/** `S-1-5-21-...` → binary SID. */
export function sidFromString(text: string): Buffer {
  const parts = text.split('-');
  if (parts[0] !== 'S' || parts.length < 3) throw new RangeError(`not a SID: ${text}`);
  const subs = parts.slice(3).map(Number);
  const out = Buffer.alloc(8 + subs.length * 4);
  out.writeUInt8(Number(parts[1]), 0);
  out.writeUInt8(subs.length, 1);
  out.writeUIntBE(Number(parts[2]), 2, 6);
  subs.forEach((s, i) => {
    out.writeUInt32LE(s, 8 + i * 4);
  });
  return out;
}

/** A FILETIME count (pwdLastSet, accountExpires) → Date; undefined for 0 and "never". */
export function fileTimeToDate(value: string | undefined): Date | undefined {
  if (!value || value === '0' || value === '9223372036854775807') return undefined;
  const ms = BigInt(value) / 10_000n - 11_644_473_600_000n;
  return new Date(Number(ms));
}

/** `20261125150450.0Z` → Date. */
export function generalizedTimeToDate(value: string | undefined): Date | undefined {
  const m = value?.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)/);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0));
}

/** userAccountControl bit ACCOUNTDISABLE. */
export const UAC_ACCOUNT_DISABLE = 0x2;
/** userAccountControl bit DONT_EXPIRE_PASSWORD. */
export const UAC_DONT_EXPIRE_PASSWORD = 0x10000;
/** userAccountControl bit NORMAL_ACCOUNT. */
export const UAC_NORMAL_ACCOUNT = 0x200;

/** True when the account is disabled. */
export function isDisabled(obj: AdObject): boolean {
  return (Number(obj.text.userAccountControl?.[0] ?? 0) & UAC_ACCOUNT_DISABLE) !== 0;
}

/** The first value of a text attribute. */
export function first(obj: AdObject, attribute: AdTextAttribute): string | undefined {
  return obj.text[attribute]?.[0];
}

/** Kind of object from its objectClass values, or undefined when it is none the agent syncs. */
export function kindOf(objectClasses: readonly string[]): AdObjectKind | undefined {
  const set = new Set(objectClasses.map((c) => c.toLowerCase()));
  if (set.has('group')) return 'group';
  if (set.has('contact')) return 'contact';
  if (set.has('computer')) return undefined;
  if (set.has('user')) return 'user';
  return undefined;
}

/** A `member;range=0-1499` style attribute name, split. */
export interface RangedName {
  attribute: string;
  low: number;
  /** Undefined for `*` (the last range). */
  high: number | undefined;
}

/** Parses `attr;range=low-high`; undefined for an attribute without a range. */
export function parseRangedName(name: string): RangedName | undefined {
  const m = name.match(/^([^;]+);range=(\d+)-(\d+|\*)$/i);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { attribute: m[1], low: Number(m[2]), high: m[3] === '*' ? undefined : Number(m[3]) };
}

function asBuffers(v: Entry[string]): Buffer[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(x, 'utf8')));
}

function asStrings(v: Entry[string]): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : x));
}

/** The decoded attributes of an entry plus any ranged attribute it held. */
export interface DecodedEntry {
  dn: string;
  text: Partial<Record<AdTextAttribute, string[]>>;
  binary: Partial<Record<AdBinaryAttribute, Buffer[]>>;
  ranged: RangedName[];
}

function isText(name: string): name is AdTextAttribute {
  return CANONICAL.has(name.toLowerCase()) && !BINARY.has(name);
}

function isBinary(name: string): name is AdBinaryAttribute {
  return BINARY.has(name);
}

/** Decodes an ldapts entry: canonical attribute names, Buffers for binary, ranged names noted. */
export function decodeEntry(entry: Entry): DecodedEntry {
  const out: DecodedEntry = { dn: entry.dn, text: {}, binary: {}, ranged: [] };
  for (const [rawName, value] of Object.entries(entry)) {
    if (rawName === 'dn') continue;
    const ranged = parseRangedName(rawName);
    const name = CANONICAL.get((ranged?.attribute ?? rawName).toLowerCase());
    if (!name) continue;
    if (ranged) out.ranged.push({ ...ranged, attribute: name });
    if (isBinary(name)) {
      const values = asBuffers(value);
      if (values.length) out.binary[name] = values;
    } else if (isText(name)) {
      const values = asStrings(value);
      if (values.length) out.text[name] = [...(out.text[name] ?? []), ...values];
    }
  }
  return out;
}

/** Attribute names to request as Buffers from ldapts (it matches names case-sensitively). */
export const BUFFER_ATTRIBUTE_NAMES: string[] = [
  ...BINARY_ATTRIBUTES,
  ...BINARY_ATTRIBUTES.map((a) => a.toLowerCase()),
];
