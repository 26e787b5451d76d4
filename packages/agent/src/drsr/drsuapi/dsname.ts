// DSNAME ([MS-DRSR] 5.50) and NT4SID: how an object's DN, GUID and SID travel together.
import { protocolError } from '../errors.js';
import type { NdrReader } from '../ndr/reader.js';
import type { NdrWriter } from '../ndr/writer.js';
import { NIL_UUID } from '../rpc/uuid.js';

const SID_BYTES = 28;
/** Longest DN accepted from the wire, in characters; far above AD's 64K-byte limit is never legitimate. */
const MAX_DN_CHARS = 1 << 20;

export interface DsName {
  dn: string;
  guid: string;
  /** Binary SID (empty if the object has none). */
  sid: Buffer;
}

/** Writes a DSNAME pointee (conformant: the character count comes first). */
export function writeDsName(w: NdrWriter, name: { dn: string; guid?: string }): void {
  const chars = name.dn.length + 1;
  w.u32(chars);
  w.u32(4 + 4 + 16 + SID_BYTES + 4 + chars * 2); // structLen
  w.u32(0); // SidLen
  w.uuid(name.guid ?? NIL_UUID);
  w.bytes(Buffer.alloc(SID_BYTES));
  w.u32(name.dn.length);
  w.bytes(Buffer.from(`${name.dn}\0`, 'utf16le'));
}

/** Reads a DSNAME pointee. */
export function readDsName(r: NdrReader): DsName {
  const chars = r.count(2, 'DSNAME');
  r.u32(); // structLen: derived from the rest, not trusted
  const sidLen = r.u32();
  const guid = r.uuid();
  const sidBytes = r.bytes(SID_BYTES);
  const nameLen = r.u32();
  if (sidLen > SID_BYTES) throw protocolError('DSNAME SidLen larger than an NT4SID');
  if (nameLen > chars) throw protocolError('DSNAME NameLen exceeds its array');
  if (chars > MAX_DN_CHARS) throw protocolError('DSNAME is unreasonably long');
  const raw = r.bytes(chars * 2);
  return { dn: raw.subarray(0, nameLen * 2).toString('utf16le'), guid, sid: sidBytes.subarray(0, sidLen) };
}

/** `S-1-5-21-…` from a binary SID; throws on a malformed one. */
export function sidToString(sid: Uint8Array): string {
  const b = Buffer.from(sid);
  if (b.length < 8) throw protocolError('SID is too short');
  const count = b[1] ?? 0;
  if (b.length !== 8 + count * 4) throw protocolError('SID length disagrees with its sub-authority count');
  const authority = b.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let n = 0; n < count; n++) subs.push(b.readUInt32LE(8 + n * 4));
  return ['S', b[0], authority, ...subs].join('-');
}

/** The RID: the last sub-authority of a SID. */
export function sidRid(sid: Uint8Array): number | undefined {
  const b = Buffer.from(sid);
  const count = b[1] ?? 0;
  if (count === 0 || b.length !== 8 + count * 4) return undefined;
  return b.readUInt32LE(8 + (count - 1) * 4);
}
