import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AddressInUseError, claimAddress } from './address-lock.js';

// Addresses no DC uses: only the lock files are exercised here.
test('an address is held once; released, it can be claimed again', () => {
  const release = claimAddress('127.0.0.251');
  try {
    assert.throws(() => claimAddress('127.0.0.251'), AddressInUseError);
  } finally {
    release();
  }
  assert.equal(existsSync(join(tmpdir(), 'cloudsync-dc-127.0.0.251.lock')), false);
  claimAddress('127.0.0.251')();
});

test('a lock left by a process that is gone is taken over', () => {
  const gone = spawnSync('true').pid;
  assert.ok(gone);
  writeFileSync(join(tmpdir(), 'cloudsync-dc-127.0.0.252.lock'), `${gone}\n`);
  const release = claimAddress('127.0.0.252');
  release();
});
