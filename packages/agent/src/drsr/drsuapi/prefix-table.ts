// ATTRTYP ↔ OID through a schema prefix table ([MS-DRSR] 5.16.4): the upper 16 bits of an
// ATTRTYP index a BER-encoded OID prefix, the lower 16 bits encode the last arc.
import { protocolError } from '../errors.js';

export interface PrefixEntry {
  index: number;
  /** BER encoding of the OID prefix, without tag and length. */
  prefix: Buffer;
}

/** Dotted OID from its BER content octets. */
export function berToOid(ber: Uint8Array): string {
  if (ber.length === 0) throw protocolError('empty OID');
  const first = ber[0] ?? 0;
  const arcs: number[] = [
    Math.min(2, Math.floor(first / 40)),
    first - Math.min(2, Math.floor(first / 40)) * 40,
  ];
  let v = 0;
  for (let n = 1; n < ber.length; n++) {
    const b = ber[n] ?? 0;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw protocolError('OID arc too large');
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** BER content octets of a dotted OID. */
export function oidToBer(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => Number.parseInt(a, 10));
  const [a = 0, b = 0, ...rest] = arcs;
  const out = [a * 40 + b];
  for (const arc of rest) {
    const bytes = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return Buffer.from(out);
}

/** OidFromAttid: the OID an ATTRTYP stands for under `table`, or undefined if its prefix is missing. */
export function oidFromAttid(table: readonly PrefixEntry[], attid: number): string | undefined {
  const upper = attid >>> 16;
  let lower = attid & 0xffff;
  const entry = table.find((e) => e.index === upper);
  if (!entry) return undefined;
  if (lower >= 0x8000) lower -= 0x8000;
  const tail = lower < 128 ? [lower] : [((lower >> 7) & 0x7f) | 0x80, lower & 0x7f];
  return berToOid(Buffer.concat([entry.prefix, Buffer.from(tail)]));
}

const prefix = (index: number, oid: string): PrefixEntry => ({ index, prefix: oidToBer(oid) });

/**
 * The part of the default prefix table ([MS-DRSR] 5.16.4) this client needs for the ATTRTYPs it
 * sends; a DC interprets request ATTRTYPs against this table when the request carries none.
 */
export const DEFAULT_PREFIXES: readonly PrefixEntry[] = [
  prefix(0, '2.5.4'),
  prefix(1, '2.5.6'),
  prefix(2, '1.2.840.113556.1.2'),
  prefix(3, '1.2.840.113556.1.3'),
  prefix(9, '1.2.840.113556.1.4'),
  prefix(10, '1.2.840.113556.1.5'),
];

/** MakeAttid against the default table, for OIDs whose last arc is below 16384. */
export function attidFromOid(oid: string): number {
  const dot = oid.lastIndexOf('.');
  const head = oidToBer(oid.slice(0, dot));
  const last = Number.parseInt(oid.slice(dot + 1), 10);
  const entry = DEFAULT_PREFIXES.find((e) => e.prefix.equals(head));
  if (!entry || !(last >= 0 && last < 16384)) throw new RangeError(`no default ATTRTYP for ${oid}`);
  return ((entry.index << 16) | last) >>> 0;
}
