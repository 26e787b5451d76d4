import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdValueError } from './ad-value-error.js';
import { dnKey, isDnUnder, normalizeDn } from './distinguished-name.js';

test('normalizeDn: case, spaces, escapes, hex pairs, quotes, multi-valued RDNs', () => {
  assert.deepEqual(normalizeDn('CN=Bobby\\, Jr.,OU=Staff , DC=Corp'), [
    'cn=bobby, jr.',
    'ou=staff',
    'dc=corp',
  ]);
  assert.deepEqual(normalizeDn('cn=Zo\\C3\\AB,dc=x'), ['cn=zoë', 'dc=x']);
  assert.deepEqual(normalizeDn('CN="Smith, J",DC=x'), ['cn=smith, j', 'dc=x']);
  assert.deepEqual(normalizeDn('OU=b+CN=a,DC=x'), ['cn=a+ou=b', 'dc=x']);
  assert.equal(dnKey('CN=ÉLODIE,OU=Ünits,DC=corp'), dnKey('cn=élodie, ou=ünits, dc=CORP'));
});

test('isDnUnder: descendants and self, not siblings or partial RDN matches', () => {
  const ou = normalizeDn('OU=Staff,DC=corp,DC=test');
  assert.ok(isDnUnder(normalizeDn('CN=A,OU=Staff,DC=corp,DC=test'), ou));
  assert.ok(isDnUnder(normalizeDn('CN=A,OU=Sub,OU=Staff,DC=corp,DC=test'), ou));
  assert.ok(isDnUnder(ou, ou));
  assert.equal(isDnUnder(normalizeDn('CN=A,OU=OldStaff,DC=corp,DC=test'), ou), false);
  assert.equal(isDnUnder(normalizeDn('CN=A,OU=Staff\\,X,DC=corp,DC=test'), ou), false);
  assert.equal(isDnUnder(normalizeDn('DC=test'), ou), false);
});

test('malformed DNs are typed errors', () => {
  for (const bad of ['', 'nonsense', 'CN=a,,DC=b', '=x,DC=y', 'CN=a\\']) {
    assert.throws(
      () => normalizeDn(bad),
      (e: unknown) => e instanceof AdValueError && e.code === 'MALFORMED_DN',
      bad,
    );
  }
});
