// RC4 (the ARCFOUR stream cipher). NTLM sealing and DRS secret encryption are built on it, and
// Node 20's OpenSSL 3 refuses `rc4` without the legacy provider, so it is written out here.

/** A keyed RC4 keystream whose state carries over between calls, as NTLM sealing requires. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0) throw new RangeError('RC4 key must not be empty');
    const s = this.s;
    for (let n = 0; n < 256; n++) s[n] = n;
    let j = 0;
    for (let n = 0; n < 256; n++) {
      const sn = s[n] ?? 0;
      j = (j + sn + (key[n % key.length] ?? 0)) & 0xff;
      s[n] = s[j] ?? 0;
      s[j] = sn;
    }
  }

  /** XORs the next keystream bytes over `data` and returns the result as a new buffer. */
  update(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    const s = this.s;
    let { i, j } = this;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i] ?? 0;
      j = (j + si) & 0xff;
      const sj = s[j] ?? 0;
      s[i] = sj;
      s[j] = si;
      out[n] = (data[n] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4 of `data` under `key`. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
