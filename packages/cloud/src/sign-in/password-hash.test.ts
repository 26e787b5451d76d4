import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashOfHash, ntHash } from '@cloudsync/protocol';
import { hashPassword, passwordScheme, verifyPassword } from './password-hash.js';

test('cloud-only passwords are stored with scrypt and verified', async () => {
  const stored = await hashPassword('Correct horse 1');
  assert.equal(passwordScheme(stored), 'scrypt');
  assert.ok(!stored.includes('Correct horse 1'));
  assert.equal(await verifyPassword('Correct horse 1', stored), true);
  assert.equal(await verifyPassword('correct horse 1', stored), false);
});

test('synced users verify against the hash-of-hash sent by the agent', async () => {
  const stored = await hashOfHash(ntHash('Bobby!Pass123'));
  assert.equal(passwordScheme(stored), 'pbkdf2-sha256-nt');
  assert.equal(await verifyPassword('Bobby!Pass123', stored), true);
  assert.equal(await verifyPassword('Bobby!Pass124', stored), false);
});

test('unknown or malformed schemes never verify', async () => {
  assert.equal(await verifyPassword('x', ''), false);
  assert.equal(await verifyPassword('x', '$md5$abc'), false);
  assert.equal(await verifyPassword('x', '$scrypt$ln=15,r=8,p=1$$'), false);
});
