import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { applyMembers, diffMembers } from './diff-members.js';

test('first read is complete, no change is null, changes are incremental', () => {
  assert.deepEqual(diffMembers(undefined, ['b', 'a', 'a']), { mode: 'complete', anchors: ['a', 'b'] });
  assert.deepEqual(diffMembers(undefined, []), { mode: 'complete', anchors: [] });
  assert.equal(diffMembers(['a', 'b'], ['b', 'a']), null);
  assert.deepEqual(diffMembers(['a', 'b'], ['b', 'c']), { mode: 'incremental', add: ['c'], remove: ['a'] });
  assert.deepEqual(diffMembers(['a'], []), { mode: 'incremental', add: [], remove: ['a'] });
});

test('applying the diff to the old set gives the new set (property)', () => {
  const anchor = () => randomBytes(16).toString('base64');
  for (let i = 0; i < 300; i++) {
    const pool = Array.from({ length: 20 }, anchor);
    const pick = () => pool.filter(() => (randomBytes(1)[0] ?? 0) % 2 === 0);
    const before = pick();
    const after = pick();
    const change = diffMembers(before, after);
    const result = change ? applyMembers(new Set(before), change) : new Set(before);
    assert.deepEqual([...result].sort(), [...new Set(after)].sort());
  }
});
