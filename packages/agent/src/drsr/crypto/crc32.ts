// CRC-32 (IEEE 802.3, the zlib one). `zlib.crc32` exists from Node 20.15; the fallback keeps the
// client working on older 20.x patch releases.
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 written out, used where `zlib.crc32` is missing. */
export function crc32Portable(data: Uint8Array): number {
  const t = crc32Table();
  let c = 0xffffffff;
  for (const byte of data) c = (t[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native: ((data: Uint8Array) => number) | undefined =
  'crc32' in zlib && typeof zlib.crc32 === 'function' ? (data) => zlib.crc32(data) >>> 0 : undefined;

/** CRC-32 of `data` as an unsigned 32-bit number. */
export function crc32(data: Uint8Array): number {
  return native ? native(data) : crc32Portable(data);
}
