// The running service and the admin's buttons: provision on demand (one DN through the steps, the
// result posted back) and restart (cursors cleared, a full cycle).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { readStatus } from '../../../packages/agent/src/service/status.js';
import { addMember, createGroup, createUser } from '../../support/ad.js';
import { type AgentFixture, agentLog, eventually, startAgentFixture } from './agent-fixture.js';
import { cloudGroup, type LogEntry, listAll, memberIds, syncedUsers } from './cloud-views.js';

let a: AgentFixture;
let stop: AbortController;
let service: Promise<void>;
let team: { dn: string; sam: string };

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  // Synced by the start-up cycle, so the restart has users and a group to keep.
  const people = [];
  for (const sam of ['rsa', 'rsb', 'rsc']) people.push(await createUser({ ou: a.ou, sam, displayName: sam }));
  team = await createGroup({ ou: a.ou, name: 'team' });
  await addMember(team.dn, ...people.map((p) => p.dn));
  stop = new AbortController();
  // An hour between scheduled cycles and no notifications: only the admin's buttons cause work.
  service = runService({
    stateDir: a.stateDir,
    log: agentLog(),
    signal: stop.signal,
    heartbeatMs: 500,
    scheduleMs: 60 * 60 * 1000,
    watch: false,
    reconcileMinIntervalMs: 0,
  });
  await eventually(async () => {
    const last = (await readStatus(a.stateDir)).lastCycles[0];
    return last?.state === 'accepted' ? last : undefined;
  }, 'the start-up cycle');
});
after(async () => {
  stop?.abort();
  await service;
  await a?.close();
});

test('provision on demand runs one user through the steps and reports each', async () => {
  const dana = await createUser({ ou: a.ou, sam: 'dana', displayName: 'Dana On-Demand' });
  const res = await a.fx.call(
    'POST',
    `/v1.0/cloudsync/configurations/${a.configurationId}/provisionOnDemand`,
    {
      body: { distinguishedName: dana.dn, waitSeconds: 30 },
    },
  );
  assert.equal(res.status, 202, res.text);
  const run = res.body as {
    id: string;
    state: string;
    steps: { name: string; status: string; description: string }[];
  };
  const done =
    run.state === 'succeeded' || run.state === 'failed'
      ? run
      : await eventually(async () => {
          const got = await a.fx.call(
            'GET',
            `/v1.0/cloudsync/configurations/${a.configurationId}/provisionOnDemand/${run.id}`,
          );
          const body = got.body as typeof run;
          return body.state === 'succeeded' || body.state === 'failed' ? body : undefined;
        }, 'the provision-on-demand result');
  assert.equal(done.state, 'succeeded', JSON.stringify(done));
  assert.deepEqual(
    done.steps.map((s) => `${s.name}:${s.status}`),
    [
      'import:succeeded',
      'scope:succeeded',
      'map:succeeded',
      'export:succeeded',
      'match:succeeded',
      'action:succeeded',
    ],
  );
  const step = (name: string) => done.steps.find((s) => s.name === name);
  assert.match(step('match')?.description ?? '', /No cloud user matched; a new user is created/);
  assert.match(step('action')?.description ?? '', /^Create in the cloud/);
  assert.ok(await a.cloudUser(`${dana.sam}@${a.fx.domain}`), 'Dana is in the cloud');
});

test('restart clears the cursors and runs a full cycle that keeps every object: same ids, no duplicates', async () => {
  const users = await syncedUsers(a);
  assert.ok(users.length >= 4, `users synced before the restart: ${JSON.stringify(users)}`);
  const group = await cloudGroup(a, team.sam);
  const members = await memberIds(a, group.id);
  assert.equal(members.length, 3);
  const asked = new Date().toISOString();
  const res = await a.fx.call('POST', `/v1.0/cloudsync/configurations/${a.configurationId}/restart`);
  assert.equal(res.status, 204, res.text);
  // Delta cycles (other test files change the shared DC) may come before the restart's full one.
  const full = await eventually(async () => {
    const { lastCycles } = await readStatus(a.stateDir);
    return lastCycles.find((c) => c.kind === 'full' && c.startedAt >= asked && c.endedAt);
  }, 'the full cycle after the restart');
  assert.equal(full.state, 'accepted', JSON.stringify(full));
  assert.deepEqual(await syncedUsers(a), users, 'the same users, ids and anchors, none added');
  assert.equal((await cloudGroup(a, team.sam)).id, group.id, 'the same group');
  assert.deepEqual(await memberIds(a, group.id), members);
  const logged = await listAll<LogEntry & { cycleId: string }>(
    a,
    `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}`,
  );
  const ofRestart = logged.filter((e) => e.cycleId === full.cycleId);
  assert.ok(ofRestart.length > 0, 'the full cycle logged its objects');
  assert.deepEqual(
    ofRestart.filter((e) => e.provisioningAction === 'create' || e.provisioningAction === 'delete'),
    [],
    'the full cycle after the restart creates and deletes nothing',
  );
});
