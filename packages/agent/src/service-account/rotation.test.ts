// When the agent changes its password, and how AD's bind refusals read: pure rules, vectors from
// AD's own values (FILETIME 0 and 0x7FFFFFFFFFFFFFFF, the `data` codes of AcceptSecurityContext).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdError } from '../ad/errors.js';
import { bindDataCode, explainBindRefusal, ServiceAccountBindError } from './bind-refusal.js';
import { fromFileTime, ROTATION_WINDOW_MAX_MS, rotationTime } from './rotation.js';

const DAY = 24 * 60 * 60 * 1000;

test('FILETIME: 0 is "change now", the maximum is "never", others are dates', () => {
  assert.equal(fromFileTime('0'), 'now');
  assert.equal(fromFileTime('9223372036854775807'), 'never');
  // 2024-01-01T00:00:00Z = 133485408000000000 (100 ns since 1601-01-01)
  assert.deepEqual(fromFileTime('133485408000000000'), new Date('2024-01-01T00:00:00Z'));
});

test('rotation: half-way through the lifetime, at most 14 days before expiry', () => {
  const set = new Date('2026-01-01T00:00:00Z');
  const at = (days: number) =>
    rotationTime({ lastSetAt: set, expiresAt: new Date(set.getTime() + days * DAY) });
  assert.deepEqual(at(42), new Date(set.getTime() + 28 * DAY), '42-day policy: 14 days before');
  assert.deepEqual(at(2), new Date(set.getTime() + DAY), '2-day policy: after one day');
  assert.equal(ROTATION_WINDOW_MAX_MS, 14 * DAY);
  assert.equal(rotationTime({ lastSetAt: set, expiresAt: 'never' }), undefined);
  assert.deepEqual(rotationTime({ lastSetAt: undefined, expiresAt: 'now' }), new Date(0));
});

test("bind refusals: AD's data code names the reason and the next step", () => {
  const refusal = (data: string) =>
    new AdError(
      'ad.bind_refused',
      `AD refused the bind (bind as svc@corp at dc:636: 80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1)`,
      { ldapCode: 49 },
    );
  assert.equal(bindDataCode(refusal('532')), '532');
  const cases = [
    ['532', 'password_expired', /has expired/],
    ['773', 'must_change_password', /pwdLastSet/],
    ['52e', 'wrong_password', /no longer its password/],
    ['533', 'account_disabled', /disabled/],
    ['775', 'account_locked', /locked out/],
    ['701', 'account_expired', /accountExpires/],
  ] as const;
  for (const [data, reason, words] of cases) {
    const err = explainBindRefusal(refusal(data), 'svc@corp');
    assert.ok(err instanceof ServiceAccountBindError);
    assert.equal(err.reason, reason);
    assert.equal(err.code, 'ad.bind_refused');
    assert.match(err.message, words);
    assert.match(err.message, /svc@corp/);
  }
  assert.match(String(explainBindRefusal(refusal('532'), 'svc@corp')), /cloudsync agent install/);
  const other = new AdError('ad.unreachable', 'cannot reach the DC');
  assert.equal(explainBindRefusal(other, 'svc@corp'), other, 'other errors pass through');
});
