import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AdValueError } from './ad-value-error.js';
import { parseGroupType } from './group-type.js';
import { guidBytesToString, guidStringToBytes } from './guid.js';
import { ridOf, sidBytesToString, sidStringToBytes } from './sid.js';
import { dateToFileTime, fileTimeToDate, generalizedTimeToDate } from './time.js';
import { isAccountDisabled, parseUserAccountControl } from './user-account-control.js';

const hex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

function assertAdError(fn: () => unknown, code: string) {
  assert.throws(fn, (err: unknown) => err instanceof AdValueError && err.code === code);
}

test('GUID: AD byte order is Data1..3 little-endian (known pairs)', () => {
  assert.equal(
    guidBytesToString(hex('00112233 4455 6677 8899 aabbccddeeff')),
    '33221100-5544-7766-8899-aabbccddeeff',
  );
  assert.equal(
    guidBytesToString(hex('000102030405060708090a0b0c0d0e0f')),
    '03020100-0504-0706-0809-0a0b0c0d0e0f',
  );
  assert.deepEqual(
    guidStringToBytes('{33221100-5544-7766-8899-AABBCCDDEEFF}'),
    hex('00112233445566778899aabbccddeeff'),
  );
});

test('GUID: bytes → string → bytes is the identity (property)', () => {
  for (let i = 0; i < 1000; i++) {
    const bytes = new Uint8Array(randomBytes(16));
    assert.deepEqual(guidStringToBytes(guidBytesToString(bytes)), bytes);
  }
});

test('GUID: malformed values give MALFORMED_GUID, never a TypeError', () => {
  assertAdError(() => guidBytesToString(new Uint8Array(15)), 'MALFORMED_GUID');
  assertAdError(() => guidBytesToString(new Uint8Array(0)), 'MALFORMED_GUID');
  // @ts-expect-error a wrong type from an untyped caller
  assertAdError(() => guidBytesToString('not bytes'), 'MALFORMED_GUID');
  assertAdError(() => guidStringToBytes('33221100-5544-7766-8899-aabbccddeef'), 'MALFORMED_GUID');
  assertAdError(() => guidStringToBytes('g3221100-5544-7766-8899-aabbccddeeff'), 'MALFORMED_GUID');
  // @ts-expect-error a wrong type from an untyped caller
  assertAdError(() => guidStringToBytes(undefined), 'MALFORMED_GUID');
});

test('SID: BUILTIN\\Administrators and a domain SID (known pairs)', () => {
  assert.equal(sidBytesToString(hex('0102000000000005 20000000 20020000')), 'S-1-5-32-544');
  assert.deepEqual(sidStringToBytes('S-1-5-32-544'), hex('01020000000000052000000020020000'));
  const domainSid = 'S-1-5-21-1004336348-1177238915-682003330-512';
  assert.equal(
    Buffer.from(sidStringToBytes(domainSid)).toString('hex'),
    '010500000000000515000000dcf4dc3b833d2b46828ba62800020000',
  );
  assert.equal(ridOf(domainSid), 512);
  assert.equal(sidBytesToString(hex('010000000000000 1'.replace(' ', ''))), 'S-1-1');
});

test('SID: string → bytes → string is the identity (property)', () => {
  for (let i = 0; i < 500; i++) {
    const subs = Array.from({ length: i % 16 }, () => randomBytes(4).readUInt32LE(0));
    const sid = ['S-1', String(randomBytes(2).readUInt16LE(0)), ...subs.map(String)].join('-');
    assert.equal(sidBytesToString(sidStringToBytes(sid)), sid);
  }
});

test('SID: malformed values give MALFORMED_SID', () => {
  assertAdError(() => sidBytesToString(new Uint8Array(4)), 'MALFORMED_SID');
  assertAdError(() => sidBytesToString(hex('0205000000000005')), 'MALFORMED_SID'); // revision 2
  assertAdError(() => sidBytesToString(hex('0102000000000005 20000000')), 'MALFORMED_SID'); // truncated
  assertAdError(() => sidBytesToString(hex('0110000000000005')), 'MALFORMED_SID'); // 16 sub-authorities
  assertAdError(() => sidStringToBytes('S-1-5-21-99999999999'), 'MALFORMED_SID');
  assertAdError(() => sidStringToBytes('S-2-5'), 'MALFORMED_SID');
  assertAdError(() => ridOf('S-1-5'), 'MALFORMED_SID');
});

test('userAccountControl: disabled bit, strings and numbers, malformed values', () => {
  assert.equal(isAccountDisabled('512'), false);
  assert.equal(isAccountDisabled('514'), true);
  assert.equal(isAccountDisabled(66050), true);
  assert.equal(parseUserAccountControl('4294967295'), 0xffffffff);
  for (const bad of ['', 'abc', '5.5', '99999999999', null, undefined, new Uint8Array(4)]) {
    assertAdError(() => parseUserAccountControl(bad), 'MALFORMED_UAC');
  }
});

test('groupType: security flag from the negative LDAP value', () => {
  assert.deepEqual(parseGroupType('-2147483646'), { securityEnabled: true, scope: 'global' });
  assert.deepEqual(parseGroupType('-2147483640'), { securityEnabled: true, scope: 'universal' });
  assert.deepEqual(parseGroupType('8'), { securityEnabled: false, scope: 'universal' });
  assert.deepEqual(parseGroupType('-2147483644'), { securityEnabled: true, scope: 'domainLocal' });
  assertAdError(() => parseGroupType('global'), 'MALFORMED_INTEGER');
});

test('FILETIME: the documented example, never, and malformed values', () => {
  assert.equal(fileTimeToDate('129699324000000000')?.toISOString(), '2012-01-01T23:00:00.000Z');
  assert.equal(fileTimeToDate('0'), null);
  assert.equal(fileTimeToDate('9223372036854775807'), null);
  assert.equal(fileTimeToDate(116444736000000000n)?.toISOString(), '1970-01-01T00:00:00.000Z');
  const d = new Date('2026-11-25T15:04:04.123Z');
  assert.equal(fileTimeToDate(dateToFileTime(d))?.toISOString(), d.toISOString());
  for (const bad of ['', 'x', '-5', '1.5', '99999999999999999999']) {
    assertAdError(() => fileTimeToDate(bad), 'MALFORMED_FILETIME');
  }
});

test('Generalized Time: Z, offsets, fractions; malformed values', () => {
  assert.equal(generalizedTimeToDate('20261125150404.0Z').toISOString(), '2026-11-25T15:04:04.000Z');
  assert.equal(generalizedTimeToDate('20261125150404Z').toISOString(), '2026-11-25T15:04:04.000Z');
  assert.equal(generalizedTimeToDate('202611251504Z').toISOString(), '2026-11-25T15:04:00.000Z');
  assert.equal(generalizedTimeToDate('20261125150404.5+0200').toISOString(), '2026-11-25T13:04:04.500Z');
  for (const bad of ['2026-11-25', '20261325150404Z', '20260230000000Z', '20261125150404', '']) {
    assertAdError(() => generalizedTimeToDate(bad), 'MALFORMED_GENERALIZED_TIME');
  }
});
