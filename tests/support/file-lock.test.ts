import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withFileLock } from './file-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-lock-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('holders of one lock never overlap, and the lock is gone afterwards', async () => {
  const path = join(dir, 'a.lock');
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      withFileLock(path, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(20);
        inside -= 1;
      }),
    ),
  );
  assert.equal(most, 1);
  assert.equal(existsSync(path), false);
});

test('a lock whose owner is gone is taken over; an error inside still releases it', async () => {
  const path = join(dir, 'b.lock');
  writeFileSync(path, `${spawnSync('true').pid}\n`);
  await assert.rejects(
    withFileLock(path, async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(existsSync(path), false);
});
