import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS } from '@cloudsync/protocol';
import type { AdObject } from '../ad/attributes.js';
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
