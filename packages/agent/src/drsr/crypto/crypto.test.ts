import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, crc32Portable } from './crc32.js';
import { desEcbDecrypt, desEcbEncrypt, expandDesKey } from './des.js';
import { Rc4, rc4 } from './rc4.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('rc4', () => {
  it('matches the classic test vectors', () => {
    assert.equal(rc4(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex'), 'bbf316e8d940af0ad3');
    assert.equal(rc4(Buffer.from('Wiki'), Buffer.from('pedia')).toString('hex'), '1021bf0420');
    assert.equal(
      rc4(Buffer.from('Secret'), Buffer.from('Attack at dawn')).toString('hex'),
      '45a01f645fc35b383552544b9bf5',
    );
  });

  it('matches RFC 6229 keystream for a 40-bit key', () => {
    const stream = rc4(hex('0102030405'), Buffer.alloc(16));
    assert.equal(stream.toString('hex'), 'b2396305f03dc027ccc3524a0a1118a8');
  });

  it('keeps its state across update calls', () => {
    const key = randomBytes(16);
    const data = randomBytes(100);
    const s = new Rc4(key);
    const split = Buffer.concat([s.update(data.subarray(0, 37)), s.update(data.subarray(37))]);
    assert.deepEqual(split, rc4(key, data));
  });

  it('refuses an empty key', () => {
    assert.throws(() => rc4(Buffer.alloc(0), Buffer.alloc(1)), RangeError);
  });
});

describe('des', () => {
  it('encrypts the textbook vector', () => {
    const c = desEcbEncrypt(hex('133457799bbcdff1'), hex('0123456789abcdef'));
    assert.equal(c.toString('hex'), '85e813540f0ab405');
    assert.equal(desEcbDecrypt(hex('133457799bbcdff1'), c).toString('hex'), '0123456789abcdef');
  });

  it('expands 7 key bytes to 8 with the low bit clear', () => {
    const k = expandDesKey(hex('ffffffffffffff'));
    assert.equal(k.toString('hex'), 'fefefefefefefefe');
    assert.equal(expandDesKey(hex('00000000000000')).toString('hex'), '0000000000000000');
    assert.equal(expandDesKey(hex('4e0400004e0400')).toString('hex'), '4e02000004701000');
  });
});

describe('crc32', () => {
  it('gives the check value of "123456789"', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926);
  });

  it('agrees with the portable version on random data', () => {
    for (let n = 0; n < 20; n++) {
      const d = randomBytes(n * 7);
      assert.equal(crc32(d), crc32Portable(d));
    }
  });
});
