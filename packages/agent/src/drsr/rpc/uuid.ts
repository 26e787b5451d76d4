// DCE UUIDs on the wire: the first three fields little-endian, the last eight bytes as they are.
import { protocolError } from '../errors.js';

const UUID_RE = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/** Encodes `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` into its 16 NDR bytes. */
export function uuidToBytes(uuid: string): Buffer {
  const m = UUID_RE.exec(uuid);
  if (!m) throw new RangeError(`not a UUID: ${uuid}`);
  const [, a = '', b = '', c = '', d = '', e = ''] = m;
  const out = Buffer.alloc(16);
  out.writeUInt32LE(Number.parseInt(a, 16), 0);
  out.writeUInt16LE(Number.parseInt(b, 16), 4);
  out.writeUInt16LE(Number.parseInt(c, 16), 6);
  Buffer.from(d + e, 'hex').copy(out, 8);
  return out;
}

/** Decodes 16 NDR bytes into the lowercase string form. */
export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw protocolError('a UUID must be 16 bytes');
  const b = Buffer.from(bytes);
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  const tail = b.subarray(8).toString('hex');
  return `${hex(b.readUInt32LE(0), 8)}-${hex(b.readUInt16LE(4), 4)}-${hex(b.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
