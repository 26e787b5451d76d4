// For tests and benchmarks only: the whole cloud with a registered agent and an enabled sync
// configuration, and the agent's calls (its own token) to drive the ingest as a real agent does.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  type Change,
  type CycleAcknowledgement,
  cycleAcknowledgementSchema,
  type ErrorCode,
  errorBodySchema,
  type PageAcknowledgement,
  pageAcknowledgementSchema,
} from '@cloudsync/protocol';
import { registerTestAgent, type TestAgent } from '../agents/test-agent.js';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.js';

export interface IngestFixture {
  fx: ApiFixture;
  agent: TestAgent;
  configurationId: string;
  /** The configuration's version, as pages and end markers must name it. */
  version: number;
  /** A call to the agent API with the agent's token. */
  call(method: string, path: string, body?: unknown): ReturnType<ApiFixture['call']>;
}

/**
 * Starts the cloud (SQLite, or PostgreSQL at `databaseUrl`), registers an agent for `domain` and
 * enables a configuration of that domain.
 * @example const { fx, call, configurationId, version } = await startIngestFixture('corp.example.test');
 */
export async function startIngestFixture(domain: string, databaseUrl?: string): Promise<IngestFixture> {
  const fx = await startApiFixture(databaseUrl ? { databaseUrl } : {});
  const agent = await registerTestAgent(fx, `dc1.${domain}`, [domain]);
  const created = await fx.call('POST', '/v1.0/cloudsync/configurations', {
    body: { domain: { dnsName: domain, netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' } },
  });
  assert.equal(created.status, 201, created.text);
  const configurationId = (created.body as { id: string }).id;
  const enabled = await fx.call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
  assert.ok(enabled.status < 300, enabled.text);
  return {
    fx,
    agent,
    configurationId,
    version: (enabled.body as { version: number }).version,
    call: (method, path, body) => fx.call(method, path, { token: agent.token, body }),
  };
}

/**
 * One cycle of one page as the agent runs it: lease, page, end, release. A refused page (quarantine,
 * say) answers its error code and ends nothing.
 * @example const done = await runOnePageCycle(f, 'delta', [change]); if ('end' in done) done.end.counts;
 */
export async function runOnePageCycle(
  f: IngestFixture,
  kind: 'full' | 'delta',
  changes: Change[],
): Promise<{ refused: ErrorCode } | { page: PageAcknowledgement; end: CycleAcknowledgement }> {
  const cycleId = randomUUID();
  const lease = await f.call('POST', `/agent/v1/configurations/${f.configurationId}/lease`, {
    cycleId,
    kind,
  });
  assert.equal(lease.status, 200, lease.text);
  try {
    const base = { configurationId: f.configurationId, configurationVersion: f.version, cycleId, kind };
    const page = await f.call('POST', `/agent/v1/cycles/${cycleId}/pages`, { ...base, sequence: 1, changes });
    if (page.status !== 200) return { refused: errorBodySchema.parse(page.body).code };
    const at = new Date().toISOString();
    const end = await f.call('POST', `/agent/v1/cycles/${cycleId}/end`, {
      ...base,
      pages: 1,
      counts: { upserts: changes.length, deletes: 0, outOfScope: 0, unchanged: 0 },
      startedAt: at,
      endedAt: at,
    });
    assert.equal(end.status, 200, end.text);
    return {
      page: pageAcknowledgementSchema.parse(page.body),
      end: cycleAcknowledgementSchema.parse(end.body),
    };
  } finally {
    await f.call('DELETE', `/agent/v1/configurations/${f.configurationId}/lease?cycleId=${cycleId}`);
  }
}
