// The whole scenario against the real Samba DC and a real cloud: install unattended → configuration
// with password hash sync → Bobby Smith created in AD with a password → synced, signs in to the cloud
// with his AD password → password changed → disabled → deleted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ntHash } from '@cloudsync/protocol';
import { Attribute, Change } from 'ldapts';
import { addMember, createGroup, createUser, deleteEntry, setPassword, withAdmin } from '../../support/ad.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
let bobby: { dn: string; sam: string; upn: string };
let cloudUpn: string;
const FIRST = 'Bobby-Pass-1a!';
const SECOND = 'Bobby-Pass-2b!';

const logs: string[] = [];
before(async () => {
  a = await startAgentFixture({ passwordHashSync: true, logs });
});
after(() => a?.close());

async function signsIn(upn: string, password: string): Promise<boolean> {
  try {
    await a.fx.tokenFor(upn, password);
    return true;
  } catch {
    return false;
  }
}

test('the wizard printed each right it granted, and the install is complete', () => {
  const rights = a.printed.filter((l) => l.includes('right:'));
  assert.ok(
    rights.some((l) => l.includes('Replicating Directory Changes All')),
    a.printed.join('\n'),
  );
  assert.ok(
    rights.some((l) => /Replicating Directory Changes on/.test(l)),
    a.printed.join('\n'),
  );
  assert.equal(a.installed.repaired, false);
});

test('Bobby Smith, created in AD, reaches the cloud and signs in with his AD password', async () => {
  bobby = await createUser({
    ou: a.ou,
    sam: 'bobby',
    givenName: 'Bobby',
    sn: 'Smith',
    displayName: 'Bobby Smith',
    password: FIRST,
  });
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'full');
  assert.equal(summary.state, 'accepted');
  assert.ok((summary.passwordHashes?.sent ?? 0) >= 1, JSON.stringify(summary));

  cloudUpn = `${bobby.sam}@${a.fx.domain}`;
  const user = await a.cloudUser(cloudUpn);
  assert.ok(user, `${cloudUpn} is in the cloud (UPN moved to the initial domain)`);
  assert.equal(user.onPremisesSyncEnabled, true);
  assert.equal(typeof user.onPremisesImmutableId, 'string');
  assert.equal(user.displayName, 'Bobby Smith');
  assert.equal(user.accountEnabled, true);

  assert.equal(await signsIn(cloudUpn, FIRST), true, 'his AD password works');
  assert.equal(await signsIn(cloudUpn, 'Not-His-Pass-9!'), false, 'another does not');
});

test('a password changed in AD works after the next cycle; the old one no longer does', async () => {
  await setPassword(bobby.dn, SECOND);
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.kind, 'delta');
  assert.equal(await signsIn(cloudUpn, SECOND), true, 'the new password works');
  assert.equal(await signsIn(cloudUpn, FIRST), false, 'the old one does not');
});

test('a group with Bobby as member reaches the cloud with him as its member', async () => {
  const group = await createGroup({ ou: a.ou, name: 'staff' });
  await addMember(group.dn, bobby.dn);
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  const found = await a.fx.call('GET', `/v1.0/groups?$filter=displayName eq '${group.sam}'`);
  const cloudGroup = (found.body as { value: { id: string }[] }).value[0];
  assert.ok(cloudGroup, found.text);
  const members = await a.fx.call('GET', `/v1.0/groups/${cloudGroup.id}/members`);
  const upns = (members.body as { value: { userPrincipalName?: string }[] }).value.map(
    (m) => m.userPrincipalName,
  );
  assert.deepEqual(upns, [cloudUpn]);
});

test('disabled in AD → accountEnabled false in the cloud', async () => {
  await withAdmin((c) =>
    c.modify(
      bobby.dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'userAccountControl', values: ['514'] }),
      }),
    ),
  );
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  const user = await a.cloudUser(cloudUpn);
  assert.equal(user?.accountEnabled, false);
});

test('deleted in AD → soft-deleted in the cloud', async () => {
  const before = await a.cloudUser(cloudUpn);
  assert.ok(before);
  await deleteEntry(bobby.dn);
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.counts?.deletes, 1, JSON.stringify(summary));
  assert.equal(await a.cloudUser(cloudUpn), undefined, 'no longer an active user');
  const deleted = await a.fx.call('GET', `/v1.0/directory/deletedItems/${before.id}`);
  assert.equal(deleted.status, 200, deleted.text);
});

test('no password, NT hash or envelope reached the agent log (trace level)', () => {
  const text = logs.join('');
  assert.ok(text.includes('password hash sync done'), 'the log was captured');
  for (const password of [FIRST, SECOND]) {
    const nt = ntHash(password);
    for (const secret of [
      password,
      nt.toString('hex'),
      nt.toString('hex').toUpperCase(),
      nt.toString('base64'),
    ]) {
      assert.ok(!text.includes(secret), 'a secret is in the log');
    }
  }
  assert.ok(!text.includes('$pbkdf2-sha256-nt$'), 'an envelope is in the log');
});
