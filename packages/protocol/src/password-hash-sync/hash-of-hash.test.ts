import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { test } from 'node:test';
import { hashOfHash, ntHash, parseHashOfHash, verifyHashOfHash } from './hash-of-hash.js';
import { md4 } from './md4.js';

test('md4 matches the RFC 1320 test suite', () => {
  const vectors: Array<[string, string]> = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      'e33b4ddc9c38f2199c3e7b164fcc0536',
    ],
  ];
  for (const [input, digest] of vectors) assert.equal(md4(Buffer.from(input)).toString('hex'), digest, input);
});

test('NT hash of the captured user matches the DRSR capture and a well-known vector', () => {
  assert.equal(ntHash('Bobby!Pass123').toString('hex'), 'c40949eb63cdd8474de110be7a4ab510');
  assert.equal(ntHash('password').toString('hex'), '8846f7eaee8fb117ad06bdd830b7586c');
});

test('hash-of-hash is PBKDF2-HMAC-SHA256 x1000 over the UTF-16LE uppercase hex of the NT hash', async () => {
  const salt = Buffer.from('00112233445566778899', 'hex');
  const envelope = await hashOfHash(ntHash('Bobby!Pass123'), salt);
  const expected = pbkdf2Sync(
    Buffer.from('C40949EB63CDD8474DE110BE7A4AB510', 'utf16le'),
    salt,
    1000,
    32,
    'sha256',
  ).toString('base64');
  assert.equal(envelope, `$pbkdf2-sha256-nt$i=1000$${salt.toString('base64')}$${expected}`);
  const parsed = parseHashOfHash(envelope);
  assert.equal(parsed?.iterations, 1000);
  assert.equal(parsed?.salt.length, 10);
});

test('verification accepts the password and refuses others and malformed envelopes', async () => {
  const envelope = await hashOfHash(ntHash('Bobby!Pass123'));
  assert.equal(await verifyHashOfHash('Bobby!Pass123', envelope), true);
  assert.equal(await verifyHashOfHash('bobby!Pass123', envelope), false);
  assert.equal(await verifyHashOfHash('Bobby!Pass123', '$scrypt$whatever'), false);
  assert.equal(await verifyHashOfHash('Bobby!Pass123', '$pbkdf2-sha256-nt$i=0$AA==$AA=='), false);
});

test('two envelopes of one password differ by their random salt', async () => {
  const nt = ntHash('same');
  assert.notEqual(await hashOfHash(nt), await hashOfHash(nt));
});
