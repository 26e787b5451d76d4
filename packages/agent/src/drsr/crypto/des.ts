// Single DES in ECB mode. OpenSSL 3 hides `des-ecb` in the legacy provider, but 3DES-EDE with the
// same 8-byte key three times is exactly single DES (E_k(D_k(E_k(x))) = E_k(x)), and that cipher
// is still in the default provider.
import { createCipheriv, createDecipheriv } from 'node:crypto';

function tripled(key8: Uint8Array): Buffer {
  if (key8.length !== 8) throw new RangeError('DES key must be 8 bytes');
  return Buffer.concat([key8, key8, key8]);
}

/** DES-ECB encryption of one or more 8-byte blocks (no padding). */
export function desEcbEncrypt(key8: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('des-ede3-ecb', tripled(key8), null).setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** DES-ECB decryption of one or more 8-byte blocks (no padding). */
export function desEcbDecrypt(key8: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv('des-ede3-ecb', tripled(key8), null).setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/**
 * Spreads 7 key bytes over 8 (7 bits each, low bit left for parity), the "str_to_key" step of
 * LM and of the RID-keyed DES in [MS-SAMR] 2.2.11.1.3.
 */
export function expandDesKey(k7: Uint8Array): Buffer {
  if (k7.length !== 7) throw new RangeError('expandDesKey needs 7 bytes');
  const b = (n: number): number => k7[n] ?? 0;
  const k = [
    b(0) >> 1,
    ((b(0) & 0x01) << 6) | (b(1) >> 2),
    ((b(1) & 0x03) << 5) | (b(2) >> 3),
    ((b(2) & 0x07) << 4) | (b(3) >> 4),
    ((b(3) & 0x0f) << 3) | (b(4) >> 5),
    ((b(4) & 0x1f) << 2) | (b(5) >> 6),
    ((b(5) & 0x3f) << 1) | (b(6) >> 7),
    b(6) & 0x7f,
  ];
  return Buffer.from(k.map((x) => (x << 1) & 0xff));
}
