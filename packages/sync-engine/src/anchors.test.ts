import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AdValueError } from './ad-values/ad-value-error.js';
import { anchorFromGuid, anchorOf, guidFromAnchor } from './anchors.js';

const guid = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
const consistency = new Uint8Array(Buffer.from('f0e0d0c0b0a090807060504030201000', 'hex'));

test('anchor comes from objectGUID bytes, base64, with the GUID string beside it', () => {
  const a = anchorOf({ objectGUID: guid });
  assert.deepEqual(a, {
    anchor: 'AAECAwQFBgcICQoLDA0ODw==',
    source: 'objectGUID',
    objectGuid: '03020100-0504-0706-0809-0a0b0c0d0e0f',
  });
});

test('a pair computed independently (Python uuid.UUID(bytes_le=…), the Windows GUID layout)', () => {
  const bytes = new Uint8Array(Buffer.from('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex'));
  const a = anchorOf({ objectGUID: bytes });
  assert.equal(a.objectGuid, 'd4c3b2a1-f6e5-1807-293a-4b5c6d7e8f90');
  assert.equal(a.anchor, 'obLD1OX2BxgpOktcbX6PkA==');
  assert.equal(anchorFromGuid('D4C3B2A1-F6E5-1807-293A-4B5C6D7E8F90'), 'obLD1OX2BxgpOktcbX6PkA==');
});

test('ms-DS-ConsistencyGuid wins when it holds 16 bytes, looked up case-insensitively', () => {
  const a = anchorOf({ objectguid: guid, 'mS-DS-ConsistencyGuid': consistency });
  assert.equal(a.anchor, Buffer.from(consistency).toString('base64'));
  assert.equal(a.source, 'ms-DS-ConsistencyGuid');
  assert.equal(a.objectGuid, '03020100-0504-0706-0809-0a0b0c0d0e0f');
});

test('a malformed ms-DS-ConsistencyGuid falls back to objectGUID', () => {
  for (const bad of [new Uint8Array(0), new Uint8Array(8), 'text', []]) {
    assert.equal(anchorOf({ objectGUID: guid, 'ms-DS-ConsistencyGuid': bad }).source, 'objectGUID');
  }
});

test('a missing or malformed objectGUID is a typed error', () => {
  for (const attrs of [
    {},
    { objectGUID: new Uint8Array(15) },
    { objectGUID: '03020100-0504-0706-0809-0a0b0c0d0e0f' },
  ]) {
    assert.throws(
      () => anchorOf(attrs),
      (e: unknown) => e instanceof AdValueError && e.code === 'MALFORMED_GUID',
    );
  }
});

test('anchor ↔ GUID string round-trips (property)', () => {
  for (let i = 0; i < 500; i++) {
    const bytes = new Uint8Array(randomBytes(16));
    const { anchor, objectGuid } = anchorOf({ objectGUID: bytes });
    assert.equal(guidFromAnchor(anchor), objectGuid);
    assert.equal(anchorFromGuid(objectGuid), anchor);
  }
  assert.throws(() => guidFromAnchor('AAEC'), AdValueError);
});
