import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  anchorSchema,
  distinguishedNameSchema,
  dnsNameSchema,
  netbiosNameSchema,
  sidSchema,
} from './common.js';

test('anchor: base64 of any 16 bytes is accepted', () => {
  for (let i = 0; i < 500; i++) {
    assert.ok(anchorSchema.safeParse(randomBytes(16).toString('base64')).success);
  }
});

test('anchor: other lengths, base64url and non-canonical padding bits are refused', () => {
  for (const bad of [
    randomBytes(15).toString('base64'),
    randomBytes(17).toString('base64'),
    'AAECAwQFBgcICQoLDA0ODw',
    '-_ECAwQFBgcICQoLDA0ODw==',
    'AAECAwQFBgcICQoLDA0OD/==',
    '',
  ]) {
    assert.equal(anchorSchema.safeParse(bad).success, false, bad);
  }
});

test('DN, DNS, NetBIOS and SID bounds', () => {
  assert.ok(distinguishedNameSchema.safeParse('CN=Zoë Ørsted,OU=Ünïcode,DC=corp,DC=test').success);
  assert.equal(distinguishedNameSchema.safeParse(`CN=${'a'.repeat(5000)}`).success, false);
  assert.equal(distinguishedNameSchema.safeParse('CN=a\u0000b').success, false);
  assert.equal(distinguishedNameSchema.safeParse('nothing').success, false);
  assert.ok(dnsNameSchema.safeParse('corp.contoso.com').success);
  assert.equal(dnsNameSchema.safeParse('corp..com').success, false);
  assert.equal(dnsNameSchema.safeParse(`${'a'.repeat(64)}.com`).success, false);
  assert.ok(netbiosNameSchema.safeParse('CORP').success);
  assert.equal(netbiosNameSchema.safeParse('WAYTOOLONGNETBIOS').success, false);
  assert.ok(sidSchema.safeParse('S-1-5-21-1004336348-1177238915-682003330-512').success);
  assert.ok(sidSchema.safeParse('S-1-5-32-544').success);
  assert.equal(sidSchema.safeParse('S-1-5-21-abc').success, false);
  assert.equal(sidSchema.safeParse('s-1-5').success, false);
});
