import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanLocalPart, decideUpn } from './upn-rule.js';

const base = {
  anchor: 'AAECAwQFBgcICQoLDA0ODw==',
  verifiedDomains: new Set(['contoso.cloudsync.test', 'contoso.com']),
  initialDomain: 'contoso.cloudsync.test',
};

test('a verified suffix is kept', async () => {
  const d = await decideUpn({ ...base, requested: 'bobby@Contoso.com', isTaken: async () => false });
  assert.deepEqual(d, { userPrincipalName: 'bobby@contoso.com' });
});

test('an unverified suffix moves to the initial domain, with a note', async () => {
  const d = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken: async () => false });
  assert.equal(d.userPrincipalName, 'bobby@contoso.cloudsync.test');
  assert.match(d.note ?? '', /corp\.example\.test is not a verified domain/);
  assert.equal(d.conflict, undefined);
});

test('a conflict gets the same four-digit variant every time, and a different one per anchor', async () => {
  const taken = new Set(['bobby@contoso.cloudsync.test']);
  const isTaken = async (upn: string) => taken.has(upn);
  const a = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  const again = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  const other = await decideUpn({ ...base, anchor: 'zzzz', requested: 'bobby@corp.example.test', isTaken });
  assert.match(a.userPrincipalName, /^bobby\d{4}@contoso\.cloudsync\.test$/);
  assert.equal(a.conflict, true);
  assert.equal(again.userPrincipalName, a.userPrincipalName);
  assert.notEqual(other.userPrincipalName, a.userPrincipalName);
  taken.add(a.userPrincipalName);
  const next = await decideUpn({ ...base, requested: 'bobby@corp.example.test', isTaken });
  assert.notEqual(next.userPrincipalName, a.userPrincipalName);
  assert.ok(!taken.has(next.userPrincipalName));
});

test('odd local parts are cleaned, never empty, never over 64 characters', () => {
  assert.equal(cleanLocalPart('Zoë Ångström'), 'ZoeAngstrom');
  assert.equal(cleanLocalPart('李雷'), 'user');
  assert.equal(cleanLocalPart('..a..b..'), 'a.b');
  assert.equal(cleanLocalPart('x'.repeat(500)).length, 64);
});

test('everything taken still yields a unique UPN', async () => {
  const d = await decideUpn({ ...base, requested: 'a@contoso.com', isTaken: async (u) => !u.includes('-') });
  assert.match(d.userPrincipalName, /^a-[0-9a-f]{12}@contoso\.com$/);
});
