import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs, safeError } from './outbox.js';

test('an SMTP error is stored and logged without the credentials of an SMTP URL', () => {
  const err = new Error('Invalid login for smtp://mailer:Pa55-w0rd@smtp.contoso.test:587 (535 5.7.8)');
  const safe = safeError(err);
  assert.ok(!safe.includes('Pa55-w0rd'));
  assert.ok(!safe.includes('mailer:'));
  assert.equal(safe, 'Invalid login for smtp://***@smtp.contoso.test:587 (535 5.7.8)');
  assert.equal(safeError('not an error'), 'sending failed');
  assert.equal(safeError(new Error('x'.repeat(1000))).length, 300);
});

test('retries wait 1 min, doubling, at most an hour', () => {
  assert.deepEqual(
    [1, 2, 3, 6, 7, 50].map((n) => retryDelayMs(n) / 60_000),
    [1, 2, 4, 32, 60, 60],
  );
});
