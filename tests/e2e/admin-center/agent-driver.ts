// For the admin center's browser test: an agent's side of the wire, driven as the real agent drives it
// (packages/cloud/src/agents/test-agent.ts, sync-ingest/ingest-contract.ts): cycles of change-set
// pages, and answers to provision-on-demand jobs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Change } from '@cloudsync/protocol';
import type { TestAgent } from '../../../packages/cloud/src/agents/test-agent.js';
import type { ApiFixture } from '../../../packages/cloud/src/api/api-fixture.js';

/** A synced AD user as the agent sends it. */
export function adUser(n: number, sam: string, dn: string): Change {
  return {
    op: 'upsert',
    objectType: 'user',
    anchor: Buffer.alloc(16, n).toString('base64'),
    objectGuid: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    distinguishedName: dn,
    attributes: {
      userPrincipalName: `${sam}@corp.example.test`,
      displayName: `${sam[0]?.toUpperCase()}${sam.slice(1)} Tables`,
      givenName: sam,
      surname: 'Tables',
      accountEnabled: true,
      onPremisesSamAccountName: sam,
    },
  };
}

/** One full cycle: lease, pages, end, release. */
export async function runCycle(fx: ApiFixture, agent: TestAgent, configurationId: string, changes: Change[]) {
  const call = (method: string, path: string, body?: unknown) =>
    fx.call(method, path, { token: agent.token, body });
  const config = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}`);
  const version = (config.body as { version: number }).version;
  const cycleId = randomUUID();
  const lease = await call('POST', `/agent/v1/configurations/${configurationId}/lease`, {
    cycleId,
    kind: 'full',
  });
  assert.equal(lease.status, 200, lease.text);
  const base = { configurationId, configurationVersion: version, cycleId, kind: 'full' };
  const page = await call('POST', `/agent/v1/cycles/${cycleId}/pages`, { ...base, sequence: 1, changes });
  assert.equal(page.status, 200, page.text);
  const now = new Date().toISOString();
  const end = await call('POST', `/agent/v1/cycles/${cycleId}/end`, {
    ...base,
    pages: 1,
    counts: { upserts: changes.length, deletes: 0, outOfScope: 0, unchanged: 0 },
    startedAt: now,
    endedAt: now,
  });
  assert.equal(end.status, 200, end.text);
  await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
}

/** Long-polls the agent's job queue once and answers the first provision-on-demand job with `steps`. */
export async function answerProvisionJob(
  fx: ApiFixture,
  agent: TestAgent,
  steps: { name: string; status: 'succeeded' | 'skipped' | 'failed'; description: string }[],
): Promise<string> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const poll = await fx.call('GET', '/agent/v1/jobs?wait=10', { token: agent.token });
    assert.equal(poll.status, 200, poll.text);
    const job = (poll.body as { jobs: { jobId: string; distinguishedName: string }[] }).jobs[0];
    if (!job) continue;
    const res = await fx.call('POST', `/agent/v1/jobs/${job.jobId}/result`, {
      token: agent.token,
      body: { jobId: job.jobId, status: 'succeeded', steps },
    });
    assert.equal(res.status, 204, res.text);
    return job.distinguishedName;
  }
  throw new Error('no provision-on-demand job reached the agent');
}
