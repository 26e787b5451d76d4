// The agent service as it runs (`runService`), against the real DC and a real cloud: a delete in AD
// (which the DC notifies to nobody who cannot read tombstones) reaches the cloud through the
// watcher's USN watch and a quiet delta's scan, with the schedule and the regular scan too far off
// to do it; a configuration changed through the admin API reaches the running agent by heartbeat →
// pull and applies from its next cycle, without a restart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AttributeMapping } from '@cloudsync/protocol';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { readStatus } from '../../../packages/agent/src/service/status.js';
import { createUser, deleteEntry, type TestUser } from '../../support/ad.js';
import { type AgentFixture, agentLog, eventually, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
let stop: AbortController;
let service: Promise<void>;
let staff: TestUser;
let contractor: TestUser;
let leaving: TestUser;

/** Far beyond every poll below: only the watcher can start a cycle, only a quiet delta can scan. */
const SCHEDULE_MS = 10 * 60_000;
const RECONCILE_MS = 20 * 60_000;
/** Two USN polls (10 s each) + debounce + a quiet scan deferred up to 30 s + the cycle, on a loaded machine. */
const POLL_MS = 100_000;

const upn = (u: TestUser) => `${u.sam}@${a.fx.domain}`;

async function cloudId(u: TestUser): Promise<string> {
  const user = await eventually(() => a.cloudUser(upn(u)), `${u.sam} in the cloud`);
  return String(user.id);
}

async function softDeleted(id: string): Promise<true | undefined> {
  const res = await a.fx.call('GET', `/v1.0/directory/deletedItems/${id}`);
  return res.status === 200 ? true : undefined;
}

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  staff = await createUser({
    ou: a.ou,
    sam: 'rsstaff',
    displayName: 'Staff',
    extra: { department: 'Sales' },
  });
  contractor = await createUser({
    ou: a.ou,
    sam: 'rscontr',
    displayName: 'Contractor',
    extra: { department: 'Contractors' },
  });
  leaving = await createUser({ ou: a.ou, sam: 'rsgone', displayName: 'Leaving' });
  stop = new AbortController();
  service = runService({
    stateDir: a.stateDir,
    log: agentLog(),
    signal: stop.signal,
    heartbeatMs: 1000,
    scheduleMs: SCHEDULE_MS,
    notificationDebounceMs: 500,
    watch: true,
    reconcileMinIntervalMs: RECONCILE_MS,
  });
  // Other test files change the shared DC, so delta cycles may already follow the start-up one.
  await eventually(async () => {
    const { lastCycles } = await readStatus(a.stateDir);
    return lastCycles.some((c) => c.kind === 'full' && c.state === 'accepted') ? true : undefined;
  }, 'the start-up cycle');
});

after(async () => {
  stop?.abort();
  await service;
  await a?.close();
});

test('deleted in AD: soft-deleted in the cloud within seconds, not by the schedule or the regular scan', async () => {
  const id = await cloudId(leaving);
  await deleteEntry(leaving.dn);
  await eventually(() => softDeleted(id), 'the deleted user in deletedItems', POLL_MS);
  assert.equal(await a.cloudUser(upn(leaving)), undefined, 'no longer an active user');
  assert.ok(await a.cloudUser(upn(staff)), 'the others stay');
  const logs = await a.fx.call(
    'GET',
    `/v1.0/auditLogs/provisioning?configurationId=${a.configurationId}&identity=${id}&action=delete`,
  );
  assert.equal(logs.status, 200, logs.text);
  assert.equal((logs.body as { value: unknown[] }).value.length, 1, 'deleted once');
});

test('an attribute filter added through the admin API applies from the running agent’s next cycle', async () => {
  const contractorId = await cloudId(contractor);
  const patched = await a.fx.call('PATCH', `/v1.0/cloudsync/configurations/${a.configurationId}`, {
    body: {
      scope: {
        kind: 'ous',
        ous: [a.ou],
        attributeFilters: [
          { clauses: [{ attribute: 'department', operator: 'NOT_EQUALS', value: 'Contractors' }] },
        ],
      },
    },
  });
  assert.equal(patched.status, 200, patched.text);
  await eventually(() => softDeleted(contractorId), 'the contractor out of scope, soft-deleted', POLL_MS);
  assert.ok(await a.cloudUser(upn(staff)), 'a user passing the filter stays');
});

test('a custom mapping expression changed through the admin API: the mapped value appears', async () => {
  const current = await a.fx.call('GET', `/v1.0/cloudsync/configurations/${a.configurationId}`);
  assert.equal(current.status, 200, current.text);
  const mappings = (current.body as { mappings: Record<'user' | 'group' | 'contact', AttributeMapping[]> })
    .mappings;
  const jobTitle: AttributeMapping = {
    target: 'jobTitle',
    source: { kind: 'expression', expression: 'Join(" / ", [department], "mapped")' },
    applyWhen: 'always',
  };
  const user = [...mappings.user.filter((m) => m.target !== 'jobTitle'), jobTitle];
  const patched = await a.fx.call('PATCH', `/v1.0/cloudsync/configurations/${a.configurationId}`, {
    body: { mappings: { ...mappings, user } },
  });
  assert.equal(patched.status, 200, patched.text);
  const path = `/v1.0/users/${encodeURIComponent(upn(staff))}?$select=id,jobTitle`;
  const seen = await eventually(
    async () => {
      const res = await a.fx.call('GET', path);
      const title = (res.body as { jobTitle?: string | null }).jobTitle;
      return res.status === 200 && title ? title : undefined;
    },
    'the mapped jobTitle',
    POLL_MS,
  );
  assert.equal(seen, 'Sales / mapped');
});
