import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, sleep } from './backoff.js';

test('backoff doubles from the initial delay, stays within [base/2, base] and stops at the maximum', () => {
  const low = () => 0;
  const high = () => 0.999999;
  assert.equal(backoffDelay(0, { initialMs: 500, random: low }), 250);
  assert.equal(backoffDelay(0, { initialMs: 500, random: high }), 500);
  assert.equal(backoffDelay(3, { initialMs: 500, random: high }), 4000);
  assert.equal(backoffDelay(40, { initialMs: 500, maxMs: 60_000, random: high }), 60_000);
  assert.equal(backoffDelay(40, { initialMs: 500, maxMs: 60_000, random: low }), 30_000);
});

test('sleep ends early when its signal aborts', async () => {
  const stop = new AbortController();
  const pending = sleep(60_000, stop.signal);
  stop.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
});
