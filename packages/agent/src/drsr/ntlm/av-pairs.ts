// AV_PAIR lists ([MS-NLMP] 2.2.2.1): the target information of CHALLENGE and of the NTLMv2 blob.
import { protocolError } from '../errors.js';

export const MSV_AV_EOL = 0;
export const MSV_AV_NB_COMPUTER_NAME = 1;
export const MSV_AV_NB_DOMAIN_NAME = 2;
export const MSV_AV_DNS_COMPUTER_NAME = 3;
export const MSV_AV_DNS_DOMAIN_NAME = 4;
export const MSV_AV_FLAGS = 6;
export const MSV_AV_TIMESTAMP = 7;
export const MSV_AV_TARGET_NAME = 9;
export const MSV_AV_CHANNEL_BINDINGS = 10;

/** The MsvAvFlags bit saying the AUTHENTICATE message carries a MIC. */
export const MSV_AV_FLAG_MIC_PRESENT = 0x2;

export interface AvPair {
  id: number;
  value: Buffer;
}

/** Parses an AV_PAIR list up to MsvAvEOL; throws on a pair that runs past the buffer or no EOL. */
export function parseAvPairs(data: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let off = 0;
  while (off + 4 <= data.length) {
    const id = data.readUInt16LE(off);
    const len = data.readUInt16LE(off + 2);
    off += 4;
    if (id === MSV_AV_EOL) return pairs;
    if (off + len > data.length) throw protocolError('NTLM target info pair runs past its buffer');
    pairs.push({ id, value: Buffer.from(data.subarray(off, off + len)) });
    off += len;
  }
  throw protocolError('NTLM target info has no end-of-list pair');
}

/** Encodes pairs followed by MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    parts.push(head, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}
