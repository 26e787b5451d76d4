import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TargetAttributes, TargetValue } from '@cloudsync/protocol';
import { diffAttributes, hasChanges } from './diff-attributes.js';

test('changed, added and removed attributes, sorted, old → new', () => {
  const changes = diffAttributes(
    { city: 'Seattle', department: 'Sales', mail: 'a@x.test', accountEnabled: true },
    { city: 'Redmond', department: 'Sales', jobTitle: 'Engineer', accountEnabled: false },
  );
  assert.deepEqual(changes, [
    { attribute: 'accountEnabled', old: true, new: false },
    { attribute: 'city', old: 'Seattle', new: 'Redmond' },
    { attribute: 'jobTitle', old: null, new: 'Engineer' },
    { attribute: 'mail', old: 'a@x.test', new: null },
  ]);
});

test('null, absent, "" and [] are all "no value"', () => {
  assert.deepEqual(diffAttributes({ a: null, b: '', c: [], d: [''] }, { a: '', b: [], e: null }), []);
  assert.deepEqual(diffAttributes(undefined, { a: null, b: '' }), []);
  assert.deepEqual(diffAttributes(undefined, { a: 'x' }), [{ attribute: 'a', old: null, new: 'x' }]);
});

test('multi-valued attributes compare as sets; single value equals a one-element list', () => {
  assert.deepEqual(diffAttributes({ p: ['a', 'b'] }, { p: ['b', 'a', 'a'] }), []);
  assert.deepEqual(diffAttributes({ p: ['a'] }, { p: 'a' }), []);
  assert.deepEqual(diffAttributes({ p: ['a', 'b'] }, { p: ['a'] }), [
    { attribute: 'p', old: ['a', 'b'], new: ['a'] },
  ]);
  assert.equal(hasChanges({ p: ['SMTP:a@x'] }, { p: ['smtp:a@x'] }), true, 'values are case-sensitive');
});

test('types matter: false is not null, 0 is not "0"', () => {
  assert.equal(hasChanges({ a: false }, {}), true);
  assert.equal(hasChanges({ a: 0 }, { a: '0' }), true);
  assert.equal(hasChanges({ a: 'Zoë' }, { a: 'Zoë'.normalize('NFD') }), true);
});

test('properties: diff(x, x) is empty; diff(x, y) and diff(y, x) name the same attributes', () => {
  const pool: TargetValue[] = [
    null,
    '',
    'a',
    'B',
    'ä'.repeat(1000),
    true,
    false,
    3,
    [],
    ['a'],
    ['a', 'b'],
    ['b', 'a'],
  ];
  const byte = () => randomBytes(1)[0] ?? 0;
  const randomAttributes = (): TargetAttributes => {
    const out: TargetAttributes = {};
    for (const name of ['a', 'b', 'c', 'd']) if (byte() % 2) out[name] = pool[byte() % pool.length] ?? null;
    return out;
  };
  for (let i = 0; i < 500; i++) {
    const x = randomAttributes();
    const y = randomAttributes();
    assert.deepEqual(diffAttributes(x, x), []);
    assert.deepEqual(
      diffAttributes(x, y).map((c) => c.attribute),
      diffAttributes(y, x).map((c) => c.attribute),
    );
    for (const c of diffAttributes(x, y)) assert.notDeepEqual(c.old, c.new);
  }
});
