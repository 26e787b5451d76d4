// For tests only: objects the agent could not map (`skipped` changes) and the quarantine rule, over
// HTTP on the whole cloud, driven as a real agent drives it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Change } from '@cloudsync/protocol';
import type { Json } from '../agents/test-agent.js';
import { type IngestFixture, runOnePageCycle, startIngestFixture } from './ingest-fixture.js';

const DOMAIN = 'corp.example.test';
const anchorOf = (n: number) => Buffer.alloc(16, n).toString('base64');
const guidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
const DN = (n: number) => `CN=u${n},OU=Staff,DC=corp,DC=example,DC=test`;
const TEN = Array.from({ length: 10 }, (_, i) => i + 1);

const user = (n: number, title = 'Clerk'): Change => ({
  op: 'upsert',
  objectType: 'user',
  anchor: anchorOf(n),
  objectGuid: guidOf(n),
  distinguishedName: DN(n),
  attributes: { userPrincipalName: `u${n}@${DOMAIN}`, displayName: `User ${n}`, jobTitle: title },
});

const skipped = (n: number): Change => ({
  op: 'skipped',
  objectType: 'user',
  anchor: anchorOf(n),
  objectGuid: guidOf(n),
  distinguishedName: DN(n),
  code: 'OBJECT_NOT_MAPPED',
  reason: 'the mapping of jobTitle failed: FormatDateTime: "soon" does not match the input format',
});

export function runSkippedContract(label: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`sync ingest: objects the agent could not map, and quarantine (${label})`, () => {
    let f: IngestFixture;

    const cycle = (kind: 'full' | 'delta', changes: Change[]) => runOnePageCycle(f, kind, changes);

    const accepted = async (kind: 'full' | 'delta', changes: Change[]) => {
      const done = await cycle(kind, changes);
      if ('refused' in done) throw new Error(`the cycle was refused: ${done.refused}`);
      return done;
    };

    const byAnchor = async (n: number) => {
      const res = await f.fx.call('GET', `/v1.0/users?$filter=onPremisesImmutableId eq '${anchorOf(n)}'`);
      return (res.body as { value: Json[] }).value[0];
    };
    const status = async () => {
      const res = await f.fx.call('GET', `/v1.0/cloudsync/configurations/${f.configurationId}`);
      return (res.body as { status: { state: string; reason: string | null } }).status;
    };
    const failures = async (n: number) => {
      const res = await f.fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?configurationId=${f.configurationId}&identity=${encodeURIComponent(anchorOf(n))}&status=failure`,
      );
      return (res.body as { value: Json[] }).value;
    };

    before(async () => {
      f = await startIngestFixture(DOMAIN, await databaseUrl());
      const { end } = await accepted(
        'full',
        TEN.map((n) => user(n)),
      );
      assert.equal(end.counts.applied, 10);
    });
    after(() => f.fx.close());

    test('a skipped object is logged as a failure, left as it is, and not deleted by a full cycle', async () => {
      const changes = TEN.map((n) => (n === 3 ? skipped(3) : user(n, 'Manager')));
      const { page, end } = await accepted('full', changes);
      assert.deepEqual(
        page.results.map((r) => r.result),
        TEN.map((n) => (n === 3 ? 'error' : 'applied')),
      );
      assert.equal(page.results[2]?.code, 'OBJECT_NOT_MAPPED');
      assert.equal(end.cycleState, 'accepted');
      assert.equal(end.advanceCursor, true);
      assert.equal(end.counts.errors, 1);
      assert.equal(end.counts.pendingDeletes, 0, 'the skipped user counts as seen');
      const kept = await byAnchor(3);
      assert.ok(kept, 'still active in the cloud');
      assert.equal(kept.jobTitle, 'Clerk', 'nothing changed');
      assert.equal((await byAnchor(4))?.jobTitle, 'Manager');

      const [entry, ...more] = await failures(3);
      assert.ok(entry);
      assert.deepEqual(more, []);
      assert.equal(entry.cloudsyncAction, 'Skip');
      assert.deepEqual(entry.sourceIdentity, { id: anchorOf(3), displayName: DN(3), identityType: 'user' });
      assert.equal((entry.targetIdentity as Json).id, kept.id);
      const info = (entry.statusInfo as Json).errorInformation as Json;
      assert.equal(info.errorCode, 'OBJECT_NOT_MAPPED');
      assert.match(String(info.reason), /could not map CN=u3,.*FormatDateTime: "soon" does not match/);

      const { state, reason } = await status();
      assert.equal(state, 'error');
      assert.match(reason ?? '', /^1 of 10 objects could not be written.*retried next cycle/);
    });

    test('a skipped object the cloud never had creates nothing', async () => {
      const { end } = await accepted('delta', [skipped(42)]);
      assert.equal(end.counts.errors, 1);
      assert.equal(await byAnchor(42), undefined);
      assert.equal((await failures(42)).length, 1);
    });

    test('one bad object among ten, cycle after cycle, is no quarantine; the rest keeps syncing', async () => {
      for (let i = 0; i < 4; i++) {
        const { end } = await accepted('delta', [
          skipped(3),
          ...TEN.filter((n) => n !== 3).map((n) => user(n, `Title ${i}`)),
        ]);
        assert.equal(end.cycleState, 'accepted');
        assert.equal(end.counts.errors, 1);
        assert.equal((await status()).state, 'error');
      }
      assert.equal((await byAnchor(9))?.jobTitle, 'Title 3');
      const healthy = await accepted('delta', [user(3, 'Fixed')]);
      assert.equal(healthy.end.counts.errors, 0);
      const after = await status();
      assert.deepEqual([after.state, after.reason], ['healthy', null]);
      assert.equal((await byAnchor(3))?.jobTitle, 'Fixed');
    });

    test('an accepted cycle with a few failed objects ends an agent error: the recovery is e-mailed', async () => {
      const patched = await f.fx.call('PATCH', `/v1.0/cloudsync/configurations/${f.configurationId}`, {
        body: { notificationEmail: 'sync-admins@contoso.example' },
      });
      assert.equal(patched.status, 200, patched.text);
      f.version = (patched.body as { version: number }).version;
      const beat = await f.call('POST', `/agent/v1/agents/${f.agent.agentId}/heartbeat`, {
        status: 'degraded',
        currentCycle: null,
        versions: { agent: '0.1.0', protocol: '1' },
        configurationVersions: {},
        lastError: { code: 'AD_UNREACHABLE', message: 'connect ETIMEDOUT', retryable: true },
        sentAt: new Date().toISOString(),
      });
      assert.equal(beat.status, 200, beat.text);
      const kinds = async () => {
        const res = await f.fx.call(
          'GET',
          `/v1.0/cloudsync/configurations/${f.configurationId}/notifications`,
        );
        assert.equal(res.status, 200, res.text);
        return (res.body as { value: { kind: string }[] }).value.map((n) => n.kind);
      };
      assert.deepEqual(await kinds(), ['agent-error']);
      await accepted('delta', [skipped(3), ...TEN.filter((n) => n !== 3).map((n) => user(n))]);
      assert.equal((await status()).state, 'error');
      assert.deepEqual(await kinds(), ['recovered', 'agent-error']);
    });

    test('cycles whose only failures are objects sent again (retried) are not failed cycles', async () => {
      const retried = { ...skipped(3), retried: true } as Change;
      for (let i = 0; i < 4; i++) {
        const { end } = await accepted('delta', [retried]);
        assert.equal(end.counts.errors, 1);
        assert.equal((await status()).state, 'error', `cycle ${i + 1}`);
      }
    });

    test('more than half of a cycle failing, three cycles in a row, is a quarantine', async () => {
      const mostlyBad = [...[1, 2, 3, 4, 5, 6].map(skipped), ...[7, 8, 9, 10].map((n) => user(n))];
      for (let i = 0; i < 2; i++) {
        await accepted('delta', mostlyBad);
        assert.equal((await status()).state, 'error', `failed cycle ${i + 1} is not a quarantine yet`);
      }
      const third = await accepted('delta', TEN.map(skipped));
      assert.equal(third.end.counts.errors, 10);
      const { state, reason } = await status();
      assert.equal(state, 'quarantine');
      assert.match(reason ?? '', /Quarantined after 3 failed cycles in a row \(10 of 10 objects/);
      assert.deepEqual(await cycle('delta', [user(1)]), { refused: 'CONFIG_QUARANTINED' });
      assert.ok(await byAnchor(5), 'a quarantine deletes nothing');

      const restart = await f.fx.call('POST', `/v1.0/cloudsync/configurations/${f.configurationId}/restart`);
      assert.equal(restart.status, 204, restart.text);
      await accepted(
        'full',
        TEN.map((n) => user(n)),
      );
      assert.equal((await status()).state, 'healthy', 'a restart lifts the quarantine at once');
    });
  });
}
