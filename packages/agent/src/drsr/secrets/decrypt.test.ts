import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ntHash } from '@cloudsync/protocol';
import { crc32 } from '../crypto/crc32.js';
import { desEcbEncrypt, expandDesKey } from '../crypto/des.js';
import { rc4 } from '../crypto/rc4.js';
import { DrsrError } from '../errors.js';
import { decryptNtHash, decryptPayload, decryptWithRid } from './decrypt.js';

/** What a DC does ([MS-DRSR] 4.1.10.6.16, [MS-SAMR] 2.2.11.1.3), written independently for the test. */
function encryptLikeADc(sessionKey: Buffer, rid: number, nt: Buffer): Buffer {
  const r = Buffer.alloc(4);
  r.writeUInt32LE(rid);
  const k1 = expandDesKey(
    Buffer.from([r[0] ?? 0, r[1] ?? 0, r[2] ?? 0, r[3] ?? 0, r[0] ?? 0, r[1] ?? 0, r[2] ?? 0]),
  );
  const k2 = expandDesKey(
    Buffer.from([r[3] ?? 0, r[0] ?? 0, r[1] ?? 0, r[2] ?? 0, r[3] ?? 0, r[0] ?? 0, r[1] ?? 0]),
  );
  const obfuscated = Buffer.concat([desEcbEncrypt(k1, nt.subarray(0, 8)), desEcbEncrypt(k2, nt.subarray(8))]);
  const salt = randomBytes(16);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(obfuscated));
  const key = createHash('md5').update(sessionKey).update(salt).digest();
  return Buffer.concat([salt, rc4(key, Buffer.concat([crc, obfuscated]))]);
}

const isCode = (code: string) => (e: unknown) => e instanceof DrsrError && e.code === code;

describe('secret attribute decryption', () => {
  it('undoes what a DC does, for many RIDs', () => {
    const sessionKey = randomBytes(16);
    for (const rid of [500, 1102, 0x7fffffff, 0x12345678, 1]) {
      const nt = ntHash(`Pass-${rid}!`);
      assert.deepEqual(decryptNtHash(sessionKey, rid, encryptLikeADc(sessionKey, rid, nt)), nt);
    }
  });

  it('checks the CRC, so a wrong key or RID layer input is caught', () => {
    const sessionKey = randomBytes(16);
    const blob = encryptLikeADc(sessionKey, 1102, ntHash('x'));
    assert.throws(() => decryptPayload(randomBytes(16), blob), isCode('drsr.decrypt_failed'));
    const flipped = Buffer.from(blob);
    flipped[20] = (flipped[20] ?? 0) ^ 0x80;
    assert.throws(() => decryptPayload(sessionKey, flipped), isCode('drsr.decrypt_failed'));
  });

  it('refuses short payloads and hashes of the wrong size', () => {
    assert.throws(() => decryptPayload(randomBytes(16), Buffer.alloc(19)), isCode('drsr.decrypt_failed'));
    assert.throws(() => decryptWithRid(500, Buffer.alloc(15)), isCode('drsr.decrypt_failed'));
    const sessionKey = randomBytes(16);
    const salt = randomBytes(16);
    const data = Buffer.alloc(20);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(data));
    const key = createHash('md5').update(sessionKey).update(salt).digest();
    const blob = Buffer.concat([salt, rc4(key, Buffer.concat([crc, data]))]);
    assert.throws(() => decryptNtHash(sessionKey, 500, blob), isCode('drsr.decrypt_failed'));
  });
});
