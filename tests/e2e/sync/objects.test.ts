// Objects end to end (real DC → agent → cloud), each checked in the cloud and in the provisioning
// logs: a contact created, changed and deleted; a group of 1,600 members (read by ranges); a user moved out of the
// scoped OU and back; an attribute update (old → new); onPremisesImmutableId from objectGUID, or
// from ms-DS-ConsistencyGuid when AD has one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Attribute, Change } from 'ldapts';
import type { CycleSummary } from '../../../packages/agent/src/state/local-store.js';
import { createOu, createUser, deleteEntry, escapeRdn, type TestUser, withAdmin } from '../../support/ad.js';
import { addBigGroup } from '../../support/big-group.js';
import { uniqueName } from '../../support/unique.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';
import { cloudGroup, described, listAll, logEntries, memberIds } from './cloud-views.js';

const BIG = 1600;

let a: AgentFixture;
let outsideOu: string;
let contact: { dn: string; name: string; id?: string };
let big: { dn: string; sam: string };
let mover: TestUser;
let moverId: string;
let worker: TestUser;
let anchored: TestUser;
const consistencyGuid = randomBytes(16);

const cloudUpn = (u: TestUser) => `${u.sam}@${a.fx.domain}`;

async function deltaCycle(): Promise<CycleSummary> {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'delta', JSON.stringify(summary));
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
  return summary;
}

async function replace(dn: string, type: string, values: (string | Buffer)[]): Promise<void> {
  const modification = new Attribute({ type, values: values as string[] | Buffer[] });
  await withAdmin((c) => c.modify(dn, new Change({ operation: 'replace', modification })));
}

async function objectGuidOf(dn: string): Promise<Buffer> {
  const [entry] = await withAdmin(async (c) => {
    const { searchEntries } = await c.search(dn, {
      scope: 'base',
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
    });
    return searchEntries;
  });
  const guid = entry?.objectGUID;
  assert.ok(Buffer.isBuffer(guid), `objectGUID of ${dn}`);
  return guid;
}

async function cloudContacts(
  name: string,
): Promise<{ id: string; mail: string | null; jobTitle: string | null }[]> {
  return listAll(a, `/v1.0/contacts?$filter=displayName eq '${name}'`);
}

async function usersStartingWith(u: TestUser): Promise<{ id: string }[]> {
  return listAll(a, `/v1.0/users?$filter=startswith(userPrincipalName,'${u.sam}@')`);
}

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  outsideOu = await createOu('elsewhere');
  const name = uniqueName('vendor');
  contact = { dn: `CN=${escapeRdn(name)},${a.ou}`, name };
  await withAdmin((c) =>
    c.add(contact.dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
      displayName: name,
      mail: `${name}@vendor.example`,
      title: 'Supplier',
    }),
  );
  mover = await createUser({ ou: a.ou, sam: 'mover', displayName: 'Moving Person' });
  worker = await createUser({ ou: a.ou, sam: 'worker', displayName: 'Worker', extra: { title: 'Engineer' } });
  anchored = await createUser({ ou: a.ou, sam: 'anchored', displayName: 'Anchored' });
  await replace(anchored.dn, 'mS-DS-ConsistencyGuid', [consistencyGuid]);
  // 1,600 members, more than one range of 1,500: contacts, added on the DC's database (a minute
  // less than users over LDAP); the import reads them through `member;range=`.
  const bigOu = await createOu('big', a.ou);
  const bigName = uniqueName('big');
  await addBigGroup(bigOu, bigName, BIG);
  big = { dn: `CN=${bigName},${bigOu}`, sam: bigName };
});
after(async () => {
  await deleteEntry(outsideOu).catch(() => undefined);
  await a?.close();
});

test('the first cycle syncs them all; the group of 1,600 has its 1,600 members in the cloud', async () => {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'full');
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
  const group = await cloudGroup(a, big.sam);
  assert.equal((await memberIds(a, group.id)).length, BIG);
  const entries = await logEntries(a, group.id);
  assert.ok(
    entries.some((e) => e.statusInfo.status === 'success' && /1600 member\(s\)/.test(described(e))),
    `the group's membership entry: ${JSON.stringify(entries.map(described))}`,
  );
});

test('onPremisesImmutableId is base64 of objectGUID, or of ms-DS-ConsistencyGuid when AD has one', async () => {
  const plain = await a.cloudUser(cloudUpn(worker));
  assert.equal(plain?.onPremisesImmutableId, (await objectGuidOf(worker.dn)).toString('base64'));
  const withGuid = await a.cloudUser(cloudUpn(anchored));
  assert.equal(withGuid?.onPremisesImmutableId, consistencyGuid.toString('base64'));
  assert.notEqual(withGuid?.onPremisesImmutableId, (await objectGuidOf(anchored.dn)).toString('base64'));
  const [entry] = await logEntries(a, consistencyGuid.toString('base64'));
  assert.equal(entry?.sourceIdentity.id, consistencyGuid.toString('base64'), 'the log names the anchor');
});

test('a contact created in AD is created in the cloud', async () => {
  const [found, ...more] = await cloudContacts(contact.name);
  assert.ok(found, 'the contact is in the cloud');
  assert.equal(more.length, 0);
  assert.equal(found.mail, `${contact.name}@vendor.example`);
  assert.equal(found.jobTitle, 'Supplier');
  contact.id = found.id;
  const [entry] = await logEntries(a, found.id);
  assert.equal(entry?.provisioningAction, 'create');
  assert.equal(entry?.sourceIdentity.identityType, 'contact');
});

test('a contact changed in AD is updated in the cloud, the log showing old → new', async () => {
  await replace(contact.dn, 'title', ['Preferred Supplier']);
  await deltaCycle();
  const [found] = await cloudContacts(contact.name);
  assert.equal(found?.id, contact.id, 'the same contact');
  assert.equal(found?.jobTitle, 'Preferred Supplier');
  const updated = (await logEntries(a, String(contact.id), '&action=update'))[0];
  assert.ok(updated, 'an update entry');
  assert.deepEqual(
    updated.modifiedProperties.find((p) => p.displayName === 'jobTitle'),
    { displayName: 'jobTitle', oldValue: 'Supplier', newValue: 'Preferred Supplier' },
  );
});

test('a contact deleted in AD is removed from the cloud', async () => {
  await deleteEntry(contact.dn);
  await deltaCycle();
  assert.deepEqual(await cloudContacts(contact.name), []);
  const res = await a.fx.call('GET', `/v1.0/contacts/${contact.id}`);
  assert.equal(res.status, 404, res.text);
  const [entry] = await logEntries(a, String(contact.id), '&action=delete');
  assert.ok(entry, 'a delete entry');
  assert.equal(entry.statusInfo.status, 'success');
  assert.match(described(entry), /was deleted in AD/);
});

test('an attribute changed in AD: the log entry has the old value and the new one', async () => {
  await replace(worker.dn, 'title', ['Lead Engineer']);
  await deltaCycle();
  const user = await a.cloudUser(cloudUpn(worker));
  assert.ok(user);
  const [entry] = await logEntries(a, String(user.id), '&action=update');
  assert.ok(entry, 'an update entry');
  assert.equal(entry.statusInfo.status, 'success');
  assert.deepEqual(
    entry.modifiedProperties.find((p) => p.displayName === 'jobTitle'),
    { displayName: 'jobTitle', oldValue: 'Engineer', newValue: 'Lead Engineer' },
  );
});

test('a user moved out of the scoped OU is soft-deleted in the cloud', async () => {
  const user = await a.cloudUser(cloudUpn(mover));
  assert.ok(user);
  moverId = String(user.id);
  const movedDn = `CN=${mover.sam},${outsideOu}`;
  await withAdmin((c) => c.modifyDN(mover.dn, movedDn));
  await deltaCycle();
  assert.equal(await a.cloudUser(cloudUpn(mover)), undefined, 'no longer an active user');
  const deleted = await a.fx.call('GET', `/v1.0/directory/deletedItems/${moverId}`);
  assert.equal(deleted.status, 200, `in deletedItems: ${deleted.text}`);
  const [entry] = await logEntries(a, moverId, '&action=delete');
  assert.ok(entry, 'a delete entry');
  assert.match(described(entry), /left the scope of the configuration: soft-deleted/);
  mover = { ...mover, dn: movedDn };
});

test('moved back into the scoped OU: restored under the same id, still one user', async () => {
  const backDn = `CN=${mover.sam},${a.ou}`;
  await withAdmin((c) => c.modifyDN(mover.dn, backDn));
  await deltaCycle();
  const user = await a.cloudUser(cloudUpn(mover));
  assert.equal(user?.id, moverId, 'the same cloud user');
  assert.deepEqual(
    (await usersStartingWith(mover)).map((u) => u.id),
    [moverId],
  );
  const deleted = await a.fx.call('GET', `/v1.0/directory/deletedItems/${moverId}`);
  assert.equal(deleted.status, 404, 'no longer in deletedItems');
  const [entry] = await logEntries(a, moverId);
  assert.ok(entry);
  assert.equal(entry.statusInfo.status, 'success');
  assert.equal(entry.cloudsyncAction, 'Restore', JSON.stringify(entry));
});
