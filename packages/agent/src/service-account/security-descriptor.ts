// Self-relative SECURITY_DESCRIPTOR, ACL and ACE encoding ([MS-DTYP] 2.4.6, 2.4.5, 2.4.4): enough to
// read a DACL from nTSecurityDescriptor, add or remove explicit ACEs, and write it back.
import { guidFromString, guidToString, sidFromString, sidToString } from '../ad/attributes.js';

/** ACE types used here. Other types are carried through untouched. */
export const ACE_TYPE = {
  accessAllowed: 0x00,
  accessDenied: 0x01,
  accessAllowedObject: 0x05,
  accessDeniedObject: 0x06,
} as const;

/** ACE header flags. */
export const ACE_FLAG = {
  objectInherit: 0x01,
  containerInherit: 0x02,
  noPropagateInherit: 0x04,
  inheritOnly: 0x08,
  inherited: 0x10,
} as const;

/** Directory-service access mask bits ([MS-ADTS] 5.1.3.2). */
export const ADS_RIGHT = {
  readProperty: 0x10,
  writeProperty: 0x20,
  controlAccess: 0x100,
  genericAll: 0x10000000,
  genericWrite: 0x40000000,
  fullControl: 0xf01ff,
} as const;

/** One ACE. `raw` keeps the bytes of types this module does not interpret. */
export interface Ace {
  type: number;
  flags: number;
  mask: number;
  sid: string;
  /** Object ACEs: the right, property or property set (GUID string). */
  objectType?: string;
  /** Object ACEs: the class of descendants the ACE applies to (GUID string). */
  inheritedObjectType?: string;
  raw?: Buffer;
}

/** A parsed self-relative security descriptor. Owner, group and SACL stay opaque. */
export interface SecurityDescriptor {
  revision: number;
  control: number;
  owner?: Buffer;
  group?: Buffer;
  sacl?: Buffer;
  dacl?: { revision: number; aces: Ace[] };
}

const SE_SELF_RELATIVE = 0x8000;
const SE_DACL_PRESENT = 0x0004;
const OBJECT_TYPE_PRESENT = 0x1;
const INHERITED_OBJECT_TYPE_PRESENT = 0x2;

function isObjectAce(type: number): boolean {
  return type === ACE_TYPE.accessAllowedObject || type === ACE_TYPE.accessDeniedObject;
}

function sidLength(buf: Buffer, offset: number): number {
  return 8 + 4 * buf.readUInt8(offset + 1);
}

function parseAce(buf: Buffer, offset: number): { ace: Ace; size: number } {
  const type = buf.readUInt8(offset);
  const flags = buf.readUInt8(offset + 1);
  const size = buf.readUInt16LE(offset + 2);
  const body = buf.subarray(offset, offset + size);
  if (type !== ACE_TYPE.accessAllowed && type !== ACE_TYPE.accessDenied && !isObjectAce(type)) {
    return { ace: { type, flags, mask: 0, sid: '', raw: Buffer.from(body) }, size };
  }
  const mask = buf.readUInt32LE(offset + 4);
  let p = offset + 8;
  const ace: Ace = { type, flags, mask, sid: '' };
  if (isObjectAce(type)) {
    const objFlags = buf.readUInt32LE(p);
    p += 4;
    if (objFlags & OBJECT_TYPE_PRESENT) {
      ace.objectType = guidToString(buf.subarray(p, p + 16));
      p += 16;
    }
    if (objFlags & INHERITED_OBJECT_TYPE_PRESENT) {
      ace.inheritedObjectType = guidToString(buf.subarray(p, p + 16));
      p += 16;
    }
  }
  ace.sid = sidToString(buf.subarray(p, p + sidLength(buf, p)));
  return { ace, size };
}

function encodeAce(ace: Ace): Buffer {
  if (ace.raw) return ace.raw;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeUInt8(ace.type, 0);
  head.writeUInt8(ace.flags, 1);
  head.writeUInt32LE(ace.mask >>> 0, 4);
  parts.push(head);
  if (isObjectAce(ace.type)) {
    const objFlags =
      (ace.objectType ? OBJECT_TYPE_PRESENT : 0) |
      (ace.inheritedObjectType ? INHERITED_OBJECT_TYPE_PRESENT : 0);
    const f = Buffer.alloc(4);
    f.writeUInt32LE(objFlags, 0);
    parts.push(f);
    if (ace.objectType) parts.push(guidFromString(ace.objectType));
    if (ace.inheritedObjectType) parts.push(guidFromString(ace.inheritedObjectType));
  }
  parts.push(sidFromString(ace.sid));
  const out = Buffer.concat(parts);
  out.writeUInt16LE(out.length, 2);
  return out;
}

function parseAcl(buf: Buffer, offset: number): { revision: number; aces: Ace[] } {
  const revision = buf.readUInt8(offset);
  const count = buf.readUInt16LE(offset + 4);
  const aces: Ace[] = [];
  let p = offset + 8;
  for (let i = 0; i < count; i++) {
    const { ace, size } = parseAce(buf, p);
    aces.push(ace);
    p += size;
  }
  return { revision, aces };
}

function encodeAcl(acl: { revision: number; aces: Ace[] }): Buffer {
  const body = Buffer.concat(acl.aces.map(encodeAce));
  const head = Buffer.alloc(8);
  // Object ACEs need ACL_REVISION_DS (4).
  head.writeUInt8(acl.aces.some((a) => isObjectAce(a.type)) ? 4 : acl.revision, 0);
  head.writeUInt16LE(8 + body.length, 2);
  head.writeUInt16LE(acl.aces.length, 4);
  return Buffer.concat([head, body]);
}

function opaqueAcl(buf: Buffer, offset: number): Buffer {
  return Buffer.from(buf.subarray(offset, offset + buf.readUInt16LE(offset + 2)));
}

/** Parses a self-relative security descriptor (as nTSecurityDescriptor returns it). */
export function parseSecurityDescriptor(buf: Buffer): SecurityDescriptor {
  if (buf.length < 20) throw new RangeError('security descriptor shorter than its header');
  const control = buf.readUInt16LE(2);
  const at = (o: number) => buf.readUInt32LE(o);
  const sd: SecurityDescriptor = { revision: buf.readUInt8(0), control };
  const [owner, group, sacl, dacl] = [at(4), at(8), at(12), at(16)];
  if (owner) sd.owner = Buffer.from(buf.subarray(owner, owner + sidLength(buf, owner)));
  if (group) sd.group = Buffer.from(buf.subarray(group, group + sidLength(buf, group)));
  if (sacl) sd.sacl = opaqueAcl(buf, sacl);
  if (dacl) sd.dacl = parseAcl(buf, dacl);
  return sd;
}

/** Encodes a security descriptor in self-relative form. */
export function encodeSecurityDescriptor(sd: SecurityDescriptor): Buffer {
  const header = Buffer.alloc(20);
  const chunks: Buffer[] = [];
  let offset = 20;
  const place = (field: number, data: Buffer | undefined) => {
    if (!data) return;
    header.writeUInt32LE(offset, field);
    chunks.push(data);
    offset += data.length;
  };
  place(12, sd.sacl);
  place(16, sd.dacl ? encodeAcl(sd.dacl) : undefined);
  place(4, sd.owner);
  place(8, sd.group);
  header.writeUInt8(sd.revision, 0);
  header.writeUInt16LE(sd.control | SE_SELF_RELATIVE | (sd.dacl ? SE_DACL_PRESENT : 0), 2);
  return Buffer.concat([header, ...chunks]);
}

/** True for ACEs that came from a parent rather than being set on the object itself. */
export function isInherited(ace: Ace): boolean {
  return (ace.flags & ACE_FLAG.inherited) !== 0;
}

/** Same grant: type, flags, mask, SID and object types all equal. */
export function sameAce(a: Ace, b: Ace): boolean {
  return (
    a.type === b.type &&
    (a.flags & ~ACE_FLAG.inherited) === (b.flags & ~ACE_FLAG.inherited) &&
    a.mask === b.mask &&
    a.sid === b.sid &&
    (a.objectType ?? '').toLowerCase() === (b.objectType ?? '').toLowerCase() &&
    (a.inheritedObjectType ?? '').toLowerCase() === (b.inheritedObjectType ?? '').toLowerCase()
  );
}

/**
 * Adds explicit allow ACEs to a DACL in canonical order (after the explicit ones, before the
 * inherited ones), skipping those already present. Returns how many were added.
 */
export function addAces(sd: SecurityDescriptor, aces: readonly Ace[]): number {
  sd.dacl ??= { revision: 4, aces: [] };
  const list = sd.dacl.aces;
  let added = 0;
  for (const ace of aces) {
    if (list.some((a) => !isInherited(a) && sameAce(a, ace))) continue;
    const firstInherited = list.findIndex(isInherited);
    list.splice(firstInherited === -1 ? list.length : firstInherited, 0, ace);
    added++;
  }
  return added;
}

/** Removes the explicit ACEs of `sid`; returns how many were removed. */
export function removeAcesOf(sd: SecurityDescriptor, sid: string): number {
  if (!sd.dacl) return 0;
  const before = sd.dacl.aces.length;
  sd.dacl.aces = sd.dacl.aces.filter((a) => isInherited(a) || a.sid !== sid);
  return before - sd.dacl.aces.length;
}

const SDDL_RIGHTS: [number, string][] = [
  [ADS_RIGHT.controlAccess, 'CR'],
  [ADS_RIGHT.writeProperty, 'WP'],
  [ADS_RIGHT.readProperty, 'RP'],
];

/** One ACE in SDDL form, for display: `(OA;CIIO;CR;<right>;<class>;S-1-5-21-...)`. */
export function aceToSddl(ace: Ace): string {
  const type =
    { 0: 'A', 1: 'D', 5: 'OA', 6: 'OD' }[ace.type] ?? `0x${ace.type.toString(16).padStart(2, '0')}`;
  let flags = '';
  if (ace.flags & ACE_FLAG.containerInherit) flags += 'CI';
  if (ace.flags & ACE_FLAG.objectInherit) flags += 'OI';
  if (ace.flags & ACE_FLAG.noPropagateInherit) flags += 'NP';
  if (ace.flags & ACE_FLAG.inheritOnly) flags += 'IO';
  if (ace.flags & ACE_FLAG.inherited) flags += 'ID';
  let rest = ace.mask;
  let rights = '';
  for (const [bit, name] of SDDL_RIGHTS) {
    if ((rest & bit) === bit) {
      rights += name;
      rest &= ~bit;
    }
  }
  if (rest) rights += `0x${rest.toString(16)}`;
  return `(${type};${flags};${rights};${ace.objectType ?? ''};${ace.inheritedObjectType ?? ''};${ace.sid})`;
}
