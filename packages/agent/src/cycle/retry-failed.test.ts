import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Change } from '@cloudsync/protocol';
import { openLocalStore } from '../state/local-store.js';
import { createFailureTracker, retryGuids, saveRetry } from './retry-failed.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-retry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const anchorOf = (n: number) => Buffer.alloc(16, n).toString('base64');
const guidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000000${n}`;
const identity = (n: number) => ({ objectType: 'user', anchor: anchorOf(n), objectGuid: guidOf(n) }) as const;

test('failed upserts and skipped objects are retried, deletions and conflicts are not; the list survives a reopen', () => {
  const failures = createFailureTracker();
  const dn = (n: number) => `CN=u${n},DC=corp,DC=example,DC=test`;
  const changes: Change[] = [
    { op: 'upsert', ...identity(1), distinguishedName: dn(1), attributes: {} },
    { op: 'skipped', ...identity(2), distinguishedName: dn(2), code: 'OBJECT_NOT_MAPPED', reason: 'x' },
    { op: 'delete', ...identity(3) },
    { op: 'upsert', ...identity(4), distinguishedName: dn(4), attributes: {} },
    { op: 'upsert', ...identity(5), distinguishedName: dn(5), attributes: {} },
  ];
  for (const c of changes) failures.sent(c);
  const failed = failures.failed([
    { index: 0, anchor: anchorOf(1), result: 'error', code: 'INTERNAL' },
    { index: 1, anchor: anchorOf(2), result: 'error', code: 'OBJECT_NOT_MAPPED' },
    { index: 2, anchor: anchorOf(3), result: 'error', code: 'INTERNAL' },
    { index: 3, anchor: anchorOf(4), result: 'conflict', code: 'UPN_CONFLICT' },
  ]);
  assert.deepEqual(failed, [guidOf(1), guidOf(2)]);

  const store = openLocalStore(dir);
  assert.deepEqual(retryGuids(store, 'cfg'), []);
  saveRetry(store, 'cfg', failed);
  store.close();
  const again = openLocalStore(dir);
  const guids = retryGuids(again, 'cfg');
  assert.equal(guids.length, 2);
  assert.equal(guids[0]?.toString('hex'), '01000000000000408000000000000001');
  assert.deepEqual(retryGuids(again, 'other'), []);
  saveRetry(again, 'cfg', []);
  assert.deepEqual(retryGuids(again, 'cfg'), []);
  again.close();
});
