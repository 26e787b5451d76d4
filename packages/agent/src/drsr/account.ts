// Turns a replicated object (ATTRTYPs and raw values) into the typed account the agent uses,
// decrypting unicodePwd on the way.
import { ATTR, type AttributeName, attributeName, CLASS } from './drsuapi/attributes.js';
import { sidRid, sidToString } from './drsuapi/dsname.js';
import type { ReplicaObject } from './drsuapi/get-nc-changes-reply.js';
import { oidFromAttid, type PrefixEntry } from './drsuapi/prefix-table.js';
import { decryptNtHash } from './secrets/decrypt.js';

/** One account as replication saw it. In incremental runs only what changed is present. */
export interface ReplicatedAccount {
  /** objectGUID, lowercase `xxxxxxxx-…`; the stable anchor. */
  objectGuid: string;
  distinguishedName: string;
  /** `S-1-5-21-…`, when the object has a SID. */
  sid?: string;
  rid?: number;
  sAMAccountName?: string;
  userPrincipalName?: string;
  userAccountControl?: number;
  /**
   * The 16-byte NT hash. The caller owns this buffer and must zero it (`ntHash.fill(0)`) as soon
   * as it has derived what it needs.
   */
  ntHash?: Buffer;
  /** pwdLastSet; the FILETIME epoch (1601-01-01) means "must change at next logon". */
  pwdLastSet?: Date;
  isDeleted: boolean;
  /** Object class OIDs, when the reply carried objectClass (full runs; not unchanged objects). */
  objectClass?: string[];
}

const FILETIME_EPOCH_OFFSET_MS = 11644473600000n;

function fileTimeToDate(raw: Buffer): Date | undefined {
  if (raw.length !== 8) return undefined;
  return new Date(Number(raw.readBigUInt64LE(0) / 10000n - FILETIME_EPOCH_OFFSET_MS));
}

/** An AD Boolean value (4 bytes); anything else counts as false. */
function isTrue(value: Buffer | undefined): boolean {
  return value?.length === 4 && value.readUInt32LE(0) !== 0;
}

function attributeMap(
  obj: ReplicaObject,
  table: readonly PrefixEntry[],
): Map<AttributeName | string, Buffer[]> {
  const map = new Map<AttributeName | string, Buffer[]>();
  for (const a of obj.attributes) {
    const oid = oidFromAttid(table, a.attid);
    if (oid) map.set(attributeName(oid) ?? oid, a.values);
  }
  return map;
}

/** Converts one object; `sessionKey` decrypts its unicodePwd. */
export function toAccount(
  obj: ReplicaObject,
  table: readonly PrefixEntry[],
  sessionKey: Buffer,
): ReplicatedAccount {
  const attrs = attributeMap(obj, table);
  const first = (name: AttributeName): Buffer | undefined => attrs.get(name)?.[0];
  const sidBytes = obj.name.sid.length > 0 ? obj.name.sid : first('objectSid');
  const rid = sidBytes ? sidRid(sidBytes) : undefined;
  const account: ReplicatedAccount = {
    objectGuid: obj.name.guid,
    distinguishedName: obj.name.dn,
    isDeleted: isTrue(first('isDeleted')),
  };
  if (sidBytes && rid !== undefined) {
    account.sid = sidToString(sidBytes);
    account.rid = rid;
  }
  const text = (name: AttributeName): string | undefined => first(name)?.toString('utf16le');
  const sam = text('sAMAccountName');
  if (sam !== undefined) account.sAMAccountName = sam;
  const upn = text('userPrincipalName');
  if (upn !== undefined) account.userPrincipalName = upn;
  const uac = first('userAccountControl');
  if (uac?.length === 4) account.userAccountControl = uac.readUInt32LE(0);
  const pls = first('pwdLastSet');
  const plsDate = pls ? fileTimeToDate(pls) : undefined;
  if (plsDate) account.pwdLastSet = plsDate;
  const classes = attrs.get('objectClass');
  if (classes) {
    account.objectClass = classes
      .filter((v) => v.length === 4)
      .map((v) => oidFromAttid(table, v.readUInt32LE(0)) ?? `attid:${v.readUInt32LE(0)}`);
  }
  const pwd = first('unicodePwd');
  if (pwd && rid !== undefined) account.ntHash = decryptNtHash(sessionKey, rid, pwd);
  return account;
}

/**
 * Whether a replicated object is an account the agent syncs: a user (not a computer unless
 * asked). Objects whose class the reply did not carry (an incremental change) pass when they
 * have a SID, and the caller matches them on objectGUID.
 */
export function isWantedAccount(
  obj: ReplicaObject,
  table: readonly PrefixEntry[],
  includeComputers: boolean,
): boolean {
  const classAttr = obj.attributes.find((a) => oidFromAttid(table, a.attid) === ATTR.objectClass);
  if (!classAttr)
    return (
      obj.name.sid.length > 0 || obj.attributes.some((a) => oidFromAttid(table, a.attid) === ATTR.isDeleted)
    );
  const classes = new Set(
    classAttr.values.filter((v) => v.length === 4).map((v) => oidFromAttid(table, v.readUInt32LE(0))),
  );
  if (!classes.has(CLASS.user)) return false;
  return includeComputers || !classes.has(CLASS.computer);
}
