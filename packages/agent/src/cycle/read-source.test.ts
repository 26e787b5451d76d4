import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adFromEnv, createGroup, createOu, createUser, deleteEntry } from '../../../../tests/support/ad.js';
import { type AdConnection, connectAd } from '../ad/connection.js';
import { decodeGuidSet, scanGuids } from '../ad/guid-set.js';
import { readFull } from './read-source.js';

const env = adFromEnv();
let admin: AdConnection;
let ou: string;

before(async () => {
  admin = await connectAd({
    url: env.ldapsUrl,
    tls: { caFile: env.caFile },
    bindDn: env.adminUpn,
    password: env.adminPassword,
  });
  ou = await createOu('readsrc');
  for (const sam of ['rs-a', 'rs-b', 'rs-c']) await createUser({ ou, sam });
  await createGroup({ ou, name: 'rs-group' });
});
after(async () => {
  await deleteEntry(ou);
  await admin.close();
});

test('a full read: the cursor knows exactly the objectGUIDs the import read', async () => {
  const read = await readFull(admin, { domainRoot: env.baseDn, scope: { kind: 'ous', ous: [ou] } });
  const seen = new Set<string>();
  for await (const item of read.items) {
    if (item.kind === 'object') seen.add(item.object.objectGuid.toString('hex'));
  }
  assert.equal(seen.size, 4, 'three users and a group');
  const state = read.nextState();
  assert.ok(state?.cookie, 'a DirSync cookie taken before the import');
  assert.deepEqual([...decodeGuidSet(state.known)].sort(), [...seen].sort());
  assert.deepEqual([...decodeGuidSet(state.known)].sort(), [...(await scanGuids(admin, [ou]))].sort());
});
