// Secret attribute decryption ([MS-DRSR] 4.1.10.6.17 / 4.1.10.2.20, [MS-SAMR] 2.2.11.1.3):
// ENCRYPTED_PAYLOAD = salt(16) ‖ RC4(MD5(sessionKey ‖ salt), crc32(data) ‖ data), and for
// password hashes a further DES-ECB layer keyed by the account's RID.
import { createHash } from 'node:crypto';
import { crc32 } from '../crypto/crc32.js';
import { desEcbDecrypt, expandDesKey } from '../crypto/des.js';
import { rc4 } from '../crypto/rc4.js';
import { DrsrError } from '../errors.js';

const SALT_LENGTH = 16;

/** Removes the session-key layer: MD5(key ‖ salt) → RC4 → CRC-32 check. */
export function decryptPayload(sessionKey: Uint8Array, blob: Uint8Array): Buffer {
  if (blob.length < SALT_LENGTH + 4) {
    throw new DrsrError(
      'drsr.decrypt_failed',
      'an encrypted attribute is shorter than its salt and checksum',
    );
  }
  const key = createHash('md5').update(sessionKey).update(blob.subarray(0, SALT_LENGTH)).digest();
  const plain = rc4(key, blob.subarray(SALT_LENGTH));
  key.fill(0);
  const data = Buffer.from(plain.subarray(4));
  const ok = crc32(data) === plain.readUInt32LE(0);
  plain.fill(0);
  if (!ok) {
    data.fill(0);
    throw new DrsrError(
      'drsr.decrypt_failed',
      'a secret attribute failed its CRC check: the session key is wrong or the data was damaged',
    );
  }
  return data;
}

/** The two DES keys derived from a RID ([MS-SAMR] 2.2.11.1.3). */
function ridKeys(rid: number): [Buffer, Buffer] {
  const r = Buffer.alloc(4);
  r.writeUInt32LE(rid >>> 0);
  const [a = 0, b = 0, c = 0, d = 0] = r;
  return [expandDesKey(Buffer.from([a, b, c, d, a, b, c])), expandDesKey(Buffer.from([d, a, b, c, d, a, b]))];
}

/** Removes the RID-keyed DES layer from one or more 16-byte hashes. */
export function decryptWithRid(rid: number, data: Uint8Array): Buffer {
  if (data.length % 16 !== 0) {
    throw new DrsrError('drsr.decrypt_failed', 'an RID-encrypted hash is not a multiple of 16 bytes');
  }
  const [k1, k2] = ridKeys(rid);
  const out = Buffer.alloc(data.length);
  for (let off = 0; off < data.length; off += 16) {
    desEcbDecrypt(k1, data.subarray(off, off + 8)).copy(out, off);
    desEcbDecrypt(k2, data.subarray(off + 8, off + 16)).copy(out, off + 8);
  }
  return out;
}

/** The NT hash from an encrypted `unicodePwd` value (16 bytes; the caller zeroes it after use). */
export function decryptNtHash(sessionKey: Uint8Array, rid: number, blob: Uint8Array): Buffer {
  const inner = decryptPayload(sessionKey, blob);
  try {
    if (inner.length !== 16) {
      throw new DrsrError(
        'drsr.decrypt_failed',
        `unicodePwd decrypted to ${inner.length} bytes, expected 16`,
      );
    }
    return decryptWithRid(rid, inner);
  } finally {
    inner.fill(0);
  }
}
