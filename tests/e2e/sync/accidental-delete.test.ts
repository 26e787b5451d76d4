// The accidental-delete guard with the real agent and DC: a burst of deletions above the threshold
// holds the cycle (nothing deleted, the agent's cursor stays); approved, the objects are deleted and
// the agent's next cycle is accepted; rejected, they stay in the cloud, logged as rejected, and the
// agent's next cycle is accepted too: the same deletions are not held again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CycleSummary } from '../../../packages/agent/src/state/local-store.js';
import { createUser, deleteEntry, type TestUser } from '../../support/ad.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
const users: TestUser[] = [];

const upn = (u: TestUser) => `${u.sam}@${a.fx.domain}`;
const admin = (method: string, path: string, body?: unknown) =>
  a.fx.call(method, `/v1.0/cloudsync/configurations/${a.configurationId}${path}`, { body });

async function accepted(what: string): Promise<CycleSummary> {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, `${what}: ${JSON.stringify(summary)}`);
  assert.equal(summary.state, 'accepted', what);
  return summary;
}

async function deleteInAdAndHold(burst: TestUser[]): Promise<void> {
  for (const u of burst) await deleteEntry(u.dn);
  const held = await a.cycle();
  assert.equal(held.state, 'held-by-delete-guard', JSON.stringify(held));
  assert.equal(held.error?.code, 'DELETE_THRESHOLD_EXCEEDED');
  for (const u of burst) assert.ok(await a.cloudUser(upn(u)), `${u.sam}: nothing deleted while held`);
  const listed = await admin('GET', '/heldDeletions');
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(
    (listed.body as { value: { distinguishedName: string }[] }).value.map((d) => d.distinguishedName).sort(),
    burst.map((u) => u.dn).sort(),
  );
  const again = await a.cycle();
  assert.equal(again.state, 'held-by-delete-guard', 'undecided, the next cycle is held too');
}

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  const guarded = await admin('PATCH', '', { deleteGuard: { enabled: true, threshold: 2 } });
  assert.equal(guarded.status, 200, guarded.text);
  for (let i = 0; i < 7; i++) users.push(await createUser({ ou: a.ou, sam: `adg${i}` }));
  const first = await a.cycle();
  assert.equal(first.error, undefined, JSON.stringify(first));
  assert.equal(first.kind, 'full');
  for (const u of users) assert.ok(await a.cloudUser(upn(u)), `${u.sam} synced`);
});
after(() => a?.close());

test('three users deleted in AD are held; approved, they are deleted and the next cycle is quiet', async () => {
  const burst = users.slice(0, 3);
  await deleteInAdAndHold(burst);
  const approved = await admin('POST', '/heldDeletions/approve');
  assert.equal(approved.status, 200, approved.text);
  assert.deepEqual(approved.body, { deleted: 3 });
  for (const u of burst) assert.equal(await a.cloudUser(upn(u)), undefined, `${u.sam} deleted`);

  const resent = await accepted('the cycle after the approval');
  assert.equal(resent.counts?.pendingDeletes, 0, 'the deletions sent again delete nothing more');
  const quiet = await accepted('the cycle after that');
  assert.equal(quiet.counts?.deletes, 0, 'the cursor moved past the deletions');
  const status = await admin('GET', '');
  assert.equal((status.body as { status: { state: string } }).status.state, 'healthy');
});

test('three more deleted in AD are held; rejected, they stay, the next cycle is not held, the log says so', async () => {
  const burst = users.slice(3, 6);
  await deleteInAdAndHold(burst);
  const rejected = await admin('POST', '/heldDeletions/reject');
  assert.equal(rejected.status, 200, rejected.text);
  assert.deepEqual(rejected.body, { rejected: 3 });

  const resent = await accepted('the cycle after the rejection');
  assert.equal(resent.counts?.pendingDeletes, 0);
  const quiet = await accepted('the cycle after that');
  assert.equal(quiet.counts?.deletes, 0, 'the cursor moved past the rejected deletions');
  for (const u of burst) {
    const kept = await a.cloudUser(upn(u));
    assert.ok(kept, `${u.sam} stays in the cloud`);
    assert.equal(kept.accountEnabled, true);
    const logs = await a.fx.call(
      'GET',
      `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}&identity=${String(kept.id)}&action=delete`,
    );
    assert.equal(logs.status, 200, logs.text);
    assert.match(
      logs.text,
      new RegExp(`Deletion rejected by admin@${a.fx.domain.replace(/\./g, '\\.')}`),
      `${u.sam}: the log names who rejected its deletion`,
    );
  }
  const status = await admin('GET', '');
  assert.equal((status.body as { status: { state: string } }).status.state, 'healthy');
  assert.ok(await a.cloudUser(upn(users[6] as TestUser)), 'the user never deleted is untouched');
});

test('the admin deletes the kept users after all; the next cycles are quiet', async () => {
  const burst = users.slice(3, 6);
  const listed = await admin('GET', '/rejectedDeletions');
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(
    (listed.body as { value: { distinguishedName: string }[] }).value.map((k) => k.distinguishedName).sort(),
    burst.map((u) => u.dn).sort(),
  );
  const approved = await admin('POST', '/rejectedDeletions/approve');
  assert.deepEqual(approved.body, { deleted: 3 });
  for (const u of burst) assert.equal(await a.cloudUser(upn(u)), undefined, `${u.sam} deleted`);
  const quiet = await accepted('the cycle after deleting the kept users');
  assert.equal(quiet.counts?.deletes, 0);
  assert.equal(quiet.counts?.pendingDeletes, 0);
  assert.ok(await a.cloudUser(upn(users[6] as TestUser)));
});
