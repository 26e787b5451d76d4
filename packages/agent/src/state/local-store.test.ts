import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { changeSetPageSchema, protocolExamples } from '@cloudsync/protocol';
import { loadKey, loadOrCreateKey } from './identity.js';
import { openLocalStore } from './local-store.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-agent-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CONFIG = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CYCLE = '6f1c2a55-0c8e-4d7a-9a65-2a1f1a1f0001';
const ANCHOR = 'AAECAwQFBgcICQoLDA0ODw==';

test('cursors and exports change only when a cycle commits; a reopened store keeps them', () => {
  const store = openLocalStore(dir);
  assert.equal(store.cursor(CONFIG), undefined);
  const page = changeSetPageSchema.parse({ ...protocolExamples.changeSetPage, cycleId: CYCLE, sequence: 1 });
  store.putPage(page);
  assert.equal(store.pendingPages().length, 1);
  store.commitCycle({
    configurationId: CONFIG,
    configurationVersion: 3,
    cycleId: CYCLE,
    deltaState: { cookie: 'AAAA', reconciledUsn: '12', known: '' },
    exported: [
      {
        anchor: ANCHOR,
        objectGuid: '03020100-0504-0706-0809-0a0b0c0d0e0f',
        objectType: 'user',
        distinguishedName: 'CN=Bobby Smith, OU=Staff,DC=corp,DC=test',
        attributes: { displayName: 'Bobby Smith' },
      },
    ],
    forgotten: [],
    replaceAll: true,
    now: new Date('2026-01-01T00:00:00Z'),
  });
  assert.equal(store.pendingPages().length, 0, 'the outbox of a committed cycle is emptied');
  store.close();

  const again = openLocalStore(dir);
  assert.equal(again.cursor(CONFIG)?.deltaState?.cookie, 'AAAA');
  assert.equal(again.anchorOfDn(CONFIG, 'cn=bobby smith,ou=staff,DC=corp,DC=test'), ANCHOR);
  assert.deepEqual(again.previousExport(CONFIG, ANCHOR)?.attributes, { displayName: 'Bobby Smith' });
  assert.equal(again.usersWithoutHash(CONFIG).length, 1);
  again.markHashSynced(CONFIG, [ANCHOR]);
  assert.equal(again.usersWithoutHash(CONFIG).length, 0);
  again.clearCursors(CONFIG);
  assert.equal(again.cursor(CONFIG), undefined);
  assert.equal(again.usersWithoutHash(CONFIG).length, 1, 'a restart sends every hash again');
  again.close();
});

test('the private key is stored with mode 0600 and loads back to the same public key', async () => {
  const created = await loadOrCreateKey(dir);
  assert.equal(statSync(join(dir, 'agent-key.pem')).mode & 0o777, 0o600);
  const loaded = await loadKey(dir);
  assert.deepEqual(loaded?.publicJwk, created.publicJwk);
  assert.equal('d' in created.publicJwk, false);
  const rotated = await loadOrCreateKey(dir, { rotate: true });
  assert.notDeepEqual(rotated.publicJwk, created.publicJwk);
});
