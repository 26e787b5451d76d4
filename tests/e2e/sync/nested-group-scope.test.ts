// A "members of chosen groups" scope against the real DC and a real cloud: members of nested groups
// are in scope, and membership changes (which DirSync reports on the group, not on the member)
// reach the cloud in the next delta cycle: joined → added or restored, left → soft-deleted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addMember,
  createGroup,
  createUser,
  deleteEntry,
  removeMember,
  type TestUser,
  withAdmin,
} from '../../support/ad.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
const logs: string[] = [];
let chosen: { dn: string; sam: string };
let nested: { dn: string; sam: string };
let direct: TestUser;
let inNested: TestUser;
let outside: TestUser;
const ids = new Map<string, string>();

const upn = (u: TestUser) => `${u.sam}@${a.fx.domain}`;

async function deltaCycle(): Promise<void> {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'delta', 'picked up without a full import');
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
}

async function cloudGroups(name: string): Promise<{ id: string }[]> {
  const res = await a.fx.call('GET', `/v1.0/groups?$filter=displayName eq '${name}'`);
  assert.equal(res.status, 200, res.text);
  return (res.body as { value: { id: string }[] }).value;
}

async function cloudMembers(groupName: string): Promise<string[]> {
  const [group] = await cloudGroups(groupName);
  assert.ok(group, `${groupName} is in the cloud`);
  const res = await a.fx.call('GET', `/v1.0/groups/${group.id}/members`);
  assert.equal(res.status, 200, res.text);
  return (res.body as { value: { id: string }[] }).value.map((m) => m.id).sort();
}

async function usersNamed(u: TestUser): Promise<number> {
  const res = await a.fx.call(
    'GET',
    `/v1.0/users?$filter=startswith(userPrincipalName,'${u.sam}@')&$count=true&$top=5`,
  );
  assert.equal(res.status, 200, res.text);
  return Number((res.body as { '@odata.count': number })['@odata.count']);
}

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false, logs });
  chosen = await createGroup({ ou: a.ou, name: 'chosen' });
  nested = await createGroup({ ou: a.ou, name: 'nested' });
  direct = await createUser({ ou: a.ou, sam: 'ngdirect', displayName: 'Direct Member' });
  inNested = await createUser({ ou: a.ou, sam: 'ngnested', displayName: 'Nested Member' });
  outside = await createUser({ ou: a.ou, sam: 'ngout', displayName: 'Not A Member' });
  await addMember(nested.dn, inNested.dn);
  await addMember(chosen.dn, direct.dn, nested.dn);
  const patched = await a.fx.call('PATCH', `/v1.0/cloudsync/configurations/${a.configurationId}`, {
    body: { scope: { kind: 'groups', groups: [chosen.dn] } },
  });
  assert.equal(patched.status, 200, patched.text);
});
after(() => a?.close());

test('the first cycle syncs direct and nested members, and the nested group as a member', async () => {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'full');
  for (const u of [direct, inNested]) {
    const user = await a.cloudUser(upn(u));
    assert.ok(user, `${u.sam} is in the cloud`);
    ids.set(u.sam, String(user.id));
  }
  assert.equal(await a.cloudUser(upn(outside)), undefined, 'a user in no chosen group stays out');
  const [nestedGroup] = await cloudGroups(nested.sam);
  assert.ok(nestedGroup, 'the nested group is in scope as a member of the chosen one');
  assert.deepEqual(await cloudMembers(chosen.sam), [ids.get(direct.sam), nestedGroup.id].sort());
  assert.deepEqual(await cloudMembers(nested.sam), [ids.get(inNested.sam)]);
});

test('a user added to the nested group is synced by the next delta cycle', async () => {
  await addMember(nested.dn, outside.dn);
  await deltaCycle();
  const user = await a.cloudUser(upn(outside));
  assert.ok(user, 'the new nested member is in the cloud');
  ids.set(outside.sam, String(user.id));
  assert.deepEqual(await cloudMembers(nested.sam), [ids.get(inNested.sam), String(user.id)].sort());
});

test('the nested group taken out of the chosen group: its members leave scope, soft-deleted', async () => {
  await removeMember(chosen.dn, nested.dn);
  await deltaCycle();
  for (const u of [inNested, outside]) {
    assert.equal(await a.cloudUser(upn(u)), undefined, `${u.sam} is no longer an active user`);
    const id = ids.get(u.sam);
    const deleted = await a.fx.call('GET', `/v1.0/directory/deletedItems/${id}`);
    assert.equal(deleted.status, 200, `${u.sam} is restorable: ${deleted.text}`);
    const logs = await a.fx.call(
      'GET',
      `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}&identity=${id}&action=delete`,
    );
    assert.equal(logs.status, 200, logs.text);
    const entry = (
      logs.body as {
        value: { provisioningSteps: { description: string }[]; statusInfo: { status: string } }[];
      }
    ).value[0];
    assert.ok(entry, `a provisioning-log entry for ${u.sam}`);
    assert.equal(entry.statusInfo.status, 'success');
    assert.match(
      entry.provisioningSteps.map((s) => s.description).join(' '),
      /left the scope of the configuration: soft-deleted/,
    );
  }
  assert.ok(await a.cloudUser(upn(direct)), 'the direct member stays');
  assert.deepEqual(await cloudGroups(nested.sam), [], 'the nested group left scope too');
  assert.deepEqual(await cloudMembers(chosen.sam), [ids.get(direct.sam)]);
});

test('the nested group added back: its members are restored, same ids, no duplicates', async () => {
  await addMember(chosen.dn, nested.dn);
  await deltaCycle();
  for (const u of [inNested, outside]) {
    const user = await a.cloudUser(upn(u));
    assert.equal(user?.id, ids.get(u.sam), `${u.sam} restored under its cloud id`);
    assert.equal(await usersNamed(u), 1, `one cloud user for ${u.sam}`);
  }
  assert.equal((await cloudGroups(nested.sam)).length, 1, 'one cloud group for the nested group');
});

// The agent's side of a cycle in the group graph is tested in packages/agent/src/ad/group-closure.test.ts.
// Here the cloud, which does not nest groups in a cycle, leaves the member that closes it out
// with a warning, and the cycle ends (see docs/agent.md, scope).
test('a cycle in the group graph (chosen ∈ nested ∈ chosen) ends, and changes nothing', async () => {
  await addMember(nested.dn, chosen.dn);
  await deltaCycle();
  const [nestedGroup] = await cloudGroups(nested.sam);
  assert.ok(nestedGroup);
  const logs = await a.fx.call(
    'GET',
    `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}&identity=${nestedGroup.id}`,
  );
  assert.match(
    logs.text,
    /the cloud does not nest groups in a cycle/,
    'the member closing the cycle is logged',
  );
  const again = await a.cycle();
  assert.equal(again.error, undefined, JSON.stringify(again));
  for (const u of [direct, inNested, outside]) assert.equal((await a.cloudUser(upn(u)))?.id, ids.get(u.sam));
  await removeMember(nested.dn, chosen.dn);
  await deltaCycle();
});

test('the nested group renamed: nobody leaves scope', async () => {
  const renamed = `${nested.sam}-r`;
  const dn = `CN=${renamed},${a.ou}`;
  await withAdmin((c) => c.modifyDN(nested.dn, dn));
  nested = { dn, sam: renamed };
  await deltaCycle();
  for (const u of [direct, inNested, outside]) assert.equal((await a.cloudUser(upn(u)))?.id, ids.get(u.sam));
  assert.equal((await cloudGroups(renamed)).length, 1, 'the nested group, under its new name');
  assert.equal((await cloudMembers(renamed)).length, 2);
});

test('the nested group deleted in AD: its members leave scope at the next cycle', async () => {
  await deleteEntry(nested.dn);
  await deltaCycle();
  for (const u of [inNested, outside]) assert.equal(await a.cloudUser(upn(u)), undefined, u.sam);
  assert.ok(await a.cloudUser(upn(direct)));
  assert.deepEqual(await cloudGroups(nested.sam), []);
});

test('the chosen group renamed: the scope names a group AD no longer has, its members leave', async () => {
  await withAdmin((c) => c.modifyDN(chosen.dn, `CN=${chosen.sam}-r,${a.ou}`));
  await deltaCycle();
  assert.equal(await a.cloudUser(upn(direct)), undefined, 'the direct member left scope');
  assert.ok(
    logs.some((l) => l.includes('a selected group of the scope is not in AD') && l.includes(chosen.sam)),
    'the agent warns about the selected group it cannot find',
  );
});
