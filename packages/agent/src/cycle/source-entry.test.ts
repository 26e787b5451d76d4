import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Change, LIMITS } from '@cloudsync/protocol';
import { createChangePlanner, DEFAULT_MAPPINGS } from '@cloudsync/sync-engine';
import pino from 'pino';
import type { AdObject } from '../ad/attributes.js';
import { openLocalStore } from '../state/local-store.js';
import { planChanges } from './plan-changes.js';
import { membersOf, unresolvedMembers } from './source-entry.js';

const ROOT = 'DC=corp,DC=example,DC=test';

function group(member: string[]): AdObject {
  const objectGuid = Buffer.alloc(16, 9);
  return {
    kind: 'group',
    dn: `CN=Staff,OU=Sync,${ROOT}`,
    objectGuid,
    guid: objectGuid.toString('hex'),
    text: { objectClass: ['top', 'group'], member },
    binary: { objectGUID: [objectGuid] },
  };
}

const IN = `CN=In,OU=Sync,${ROOT}`;
const OUT = `CN=Out,OU=Elsewhere,${ROOT}`;
const UNKNOWN = `CN=Gone,OU=Elsewhere,${ROOT}`;
const synced = (dn: string) => (dn === IN ? 'in-anchor' : undefined);

test('membersOf: synced members first, then members not synced by the anchor AD gave for them', () => {
  const g = group([OUT, IN, UNKNOWN]);
  assert.deepEqual(unresolvedMembers(g, synced), [OUT, UNKNOWN]);
  assert.deepEqual(membersOf(g, synced), { mode: 'complete', anchors: ['in-anchor'] }, 'no outside resolver');
  assert.deepEqual(
    membersOf(g, synced, (dn) => (dn === OUT ? 'out-anchor' : undefined)),
    { mode: 'complete', anchors: ['in-anchor', 'out-anchor'] },
    'a DN AD does not hold is left out',
  );
});

test('membersOf: members not synced never push the list past the protocol limit', () => {
  const many = Array.from({ length: LIMITS.membersPerChange + 5 }, (_, i) => `CN=U${i},OU=Elsewhere,${ROOT}`);
  const members = membersOf(group([IN, ...many]), synced, (dn) => `a-${dn}`);
  assert.equal(members?.mode === 'complete' && members.anchors.length, LIMITS.membersPerChange);
  assert.equal(members?.mode === 'complete' && members.anchors[0], 'in-anchor');
});

const dir = mkdtempSync(join(tmpdir(), 'cloudsync-members-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('planChanges: members not synced go by the anchor AD gives; a failed look-up only leaves them out', async () => {
  const store = openLocalStore(dir);
  const planner = createChangePlanner({
    domain: { dnsName: 'corp.example.test', netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
    scope: { kind: 'ous', ous: [`OU=Sync,${ROOT}`] },
    mappings: DEFAULT_MAPPINGS,
  });
  const guid = Buffer.alloc(16, 1);
  const member: AdObject = {
    kind: 'user',
    dn: IN,
    objectGuid: guid,
    guid: guid.toString('hex'),
    text: { objectClass: ['top', 'user'], cn: ['In'], sAMAccountName: ['in'], userAccountControl: ['512'] },
    binary: { objectGUID: [guid] },
  };
  const g = group([IN, OUT]);
  g.text.cn = ['Staff'];
  g.text.sAMAccountName = ['staff'];
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const membersSent = async (anchorsOutside: () => Promise<ReadonlyMap<string, string>>) => {
    const emitted: Change[] = [];
    await planChanges(
      {
        planner,
        store,
        configurationId: 'cfg',
        fullImport: true,
        log,
        emit: async (c) => {
          emitted.push(c);
        },
        anchorsOutside,
      },
      (async function* () {
        yield { kind: 'object' as const, object: g };
        yield { kind: 'object' as const, object: member };
      })(),
    );
    const sent = emitted.find((c) => c.objectType === 'group');
    return sent?.op === 'upsert' ? sent.members : undefined;
  };
  const outAnchor = Buffer.alloc(16, 7).toString('base64');
  assert.deepEqual(await membersSent(async () => new Map([[OUT.toLowerCase(), outAnchor]])), {
    mode: 'complete',
    anchors: [guid.toString('base64'), outAnchor],
  });
  assert.deepEqual(
    await membersSent(async () => {
      throw new Error('AD went away');
    }),
    { mode: 'complete', anchors: [guid.toString('base64')] },
  );
  assert.ok(warnings.some((w) => w.includes('could not be looked up')));
  store.close();
});
