// MD4 (RFC 1320). Node 20's OpenSSL 3 refuses md4 without the legacy provider, and the NT hash
// that password hash sync is built on is MD4 of the UTF-16LE password, so it is written out here.

const S1 = [3, 7, 11, 19] as const;
const S2 = [3, 5, 9, 13] as const;
const S3 = [3, 9, 11, 15] as const;
const ORDER3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

const rotl = (v: number, s: number): number => ((v << s) | (v >>> (32 - s))) >>> 0;

function pad(data: Uint8Array): Buffer {
  const bitLength = BigInt(data.length) * 8n;
  const total = (((data.length + 8) >> 6) + 1) << 6;
  const out = Buffer.alloc(total);
  out.set(data);
  out[data.length] = 0x80;
  out.writeBigUInt64LE(bitLength, total - 8);
  return out;
}

/** MD4 digest of `data` (16 bytes). */
export function md4(data: Uint8Array): Buffer {
  const msg = pad(data);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Uint32Array(16);
  for (let off = 0; off < msg.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = msg.readUInt32LE(off + i * 4);
    let [aa, bb, cc, dd] = [a, b, c, d];
    const word = (k: number): number => x[k] ?? 0;
    for (let i = 0; i < 16; i++) {
      const f = (bb & cc) | (~bb & dd);
      [aa, bb, cc, dd] = [dd, rotl((aa + f + word(i)) >>> 0, S1[i % 4] ?? 0), bb, cc];
    }
    for (let i = 0; i < 16; i++) {
      const g = (bb & cc) | (bb & dd) | (cc & dd);
      const k = (i % 4) * 4 + (i >> 2);
      [aa, bb, cc, dd] = [dd, rotl((aa + g + word(k) + 0x5a827999) >>> 0, S2[i % 4] ?? 0), bb, cc];
    }
    for (let i = 0; i < 16; i++) {
      const h = bb ^ cc ^ dd;
      [aa, bb, cc, dd] = [
        dd,
        rotl((aa + h + word(ORDER3[i] ?? 0) + 0x6ed9eba1) >>> 0, S3[i % 4] ?? 0),
        bb,
        cc,
      ];
    }
    a = (a + aa) >>> 0;
    b = (b + bb) >>> 0;
    c = (c + cc) >>> 0;
    d = (d + dd) >>> 0;
  }
  const out = Buffer.alloc(16);
  out.writeUInt32LE(a, 0);
  out.writeUInt32LE(b, 4);
  out.writeUInt32LE(c, 8);
  out.writeUInt32LE(d, 12);
  return out;
}
