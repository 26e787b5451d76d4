// For tests only: the accidental-delete guard's decisions over HTTP (SQLite and PostgreSQL), with the
// cycles an agent sends: after a hold it sends the same deletions again until a cycle is accepted.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Change, type CycleAcknowledgement, cycleAcknowledgementSchema } from '@cloudsync/protocol';
import type { ApiFixture } from '../api/api-fixture.js';
import { type IngestFixture, startIngestFixture } from './ingest-fixture.js';

const DOMAIN = 'corp.example.test';
const anchorOf = (n: number) => Buffer.alloc(16, 100 + n).toString('base64');
const guidOf = (n: number) => `${(100 + n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
const dnOf = (n: number) => `CN=hd${n},OU=Held,DC=corp,DC=example,DC=test`;

const user = (n: number): Change => ({
  op: 'upsert',
  objectType: 'user',
  anchor: anchorOf(n),
  objectGuid: guidOf(n),
  distinguishedName: dnOf(n),
  attributes: { userPrincipalName: `hd${n}@${DOMAIN}`, displayName: `Held ${n}`, accountEnabled: true },
});
const deleted = (n: number): Change => ({
  op: 'delete',
  objectType: 'user',
  anchor: anchorOf(n),
  objectGuid: guidOf(n),
  distinguishedName: dnOf(n),
});

type Json = Record<string, unknown>;
/** A provisioning-log entry's reason, or '' without one. */
const reasonOf = (entry: Json | undefined): string =>
  String(
    ((entry?.statusInfo as Json | undefined)?.errorInformation as Json | null | undefined)?.reason ?? '',
  );

export function runHeldDeletionsContract(
  label: string,
  databaseUrl: () => Promise<string | undefined>,
): void {
  describe(`held deletions: approve and reject (${label})`, () => {
    let fx: ApiFixture;
    let ingest: IngestFixture;

    /** One cycle of one page, leased, ended and released as the agent does. */
    async function cycle(kind: 'full' | 'delta', changes: Change[]): Promise<CycleAcknowledgement> {
      const { call, configurationId, version } = ingest;
      const cycleId = randomUUID();
      const lease = await call('POST', `/agent/v1/configurations/${configurationId}/lease`, {
        cycleId,
        kind,
      });
      assert.equal(lease.status, 200, lease.text);
      const base = { configurationId, configurationVersion: version, cycleId, kind };
      const page = await call('POST', `/agent/v1/cycles/${cycleId}/pages`, { ...base, sequence: 1, changes });
      assert.equal(page.status, 200, page.text);
      const at = new Date().toISOString();
      const end = await call('POST', `/agent/v1/cycles/${cycleId}/end`, {
        ...base,
        pages: 1,
        counts: { upserts: 0, deletes: 0, outOfScope: 0, unchanged: 0 },
        startedAt: at,
        endedAt: at,
      });
      assert.equal(end.status, 200, end.text);
      await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
      return cycleAcknowledgementSchema.parse(end.body);
    }

    const admin = (method: string, path: string, body?: unknown) =>
      fx.call(method, `/v1.0/cloudsync/configurations/${ingest.configurationId}${path}`, { body });

    const exists = async (n: number): Promise<boolean> => {
      const filter = encodeURIComponent(`onPremisesImmutableId eq '${anchorOf(n)}'`);
      const res = await fx.call('GET', `/v1.0/users?$filter=${filter}`);
      assert.equal(res.status, 200, res.text);
      return (res.body as { value: Json[] }).value.length === 1;
    };

    const heldAnchors = async (): Promise<string[]> => {
      const res = await admin('GET', '/heldDeletions');
      assert.equal(res.status, 200, res.text);
      return (res.body as { value: { anchor: string }[] }).value.map((d) => d.anchor).sort();
    };

    const logsOf = async (n: number): Promise<Json[]> => {
      const res = await fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?configurationId=${ingest.configurationId}&identity=${encodeURIComponent(anchorOf(n))}`,
      );
      assert.equal(res.status, 200, res.text);
      return (res.body as { value: Json[] }).value;
    };

    before(async () => {
      ingest = await startIngestFixture(DOMAIN, await databaseUrl());
      fx = ingest.fx;
      const patched = await admin('PATCH', '', { deleteGuard: { enabled: true, threshold: 2 } });
      assert.equal(patched.status, 200, patched.text);
      ingest.version = (patched.body as { version: number }).version;
      const first = await cycle('full', [1, 2, 3, 4, 5, 6, 7].map(user));
      assert.equal(first.cycleState, 'accepted');
    });
    after(() => fx.close());

    test('a rejected burst is not deleted, and the same deletions sent again are not held again', async () => {
      const held = await cycle('delta', [deleted(1), deleted(2), deleted(3)]);
      assert.equal(held.cycleState, 'held-by-delete-guard');
      assert.equal(held.advanceCursor, false);
      assert.deepEqual(await heldAnchors(), [1, 2, 3].map(anchorOf).sort());
      const again = await cycle('delta', [deleted(1), deleted(2), deleted(3)]);
      assert.equal(again.cycleState, 'held-by-delete-guard', 'undecided: still held');

      const rejected = await admin('POST', '/heldDeletions/reject');
      assert.equal(rejected.status, 200, rejected.text);
      assert.deepEqual(rejected.body, { rejected: 3 });
      assert.deepEqual(await heldAnchors(), []);
      for (const n of [1, 2, 3]) assert.ok(await exists(n), `user ${n} is kept`);
      const [rejection] = await logsOf(1);
      assert.ok(rejection);
      assert.equal(rejection.provisioningAction, 'delete');
      assert.equal((rejection.statusInfo as Json).status, 'skipped');
      assert.match(
        reasonOf(rejection),
        new RegExp(`^Deletion rejected by admin@${fx.domain.replace(/\./g, '\\.')}`),
      );
      const status = await admin('GET', '');
      assert.equal(((status.body as Json).status as Json).state, 'healthy');

      // The agent's cursor did not move: its next cycle sends the same deletions again.
      const next = await cycle('delta', [deleted(1), deleted(2), deleted(3), user(4)]);
      assert.equal(next.cycleState, 'accepted');
      assert.equal(next.advanceCursor, true);
      assert.equal(next.counts.pendingDeletes, 0);
      for (const n of [1, 2, 3]) assert.ok(await exists(n), `user ${n} is still kept`);
      const [kept] = await logsOf(2);
      assert.match(reasonOf(kept), /Deletions rejected by/);
    });

    test('a full cycle does not delete the kept objects either', async () => {
      const full = await cycle('full', [4, 5, 6, 7].map(user));
      assert.equal(full.cycleState, 'accepted');
      assert.equal(full.counts.pendingDeletes, 0);
      for (const n of [1, 2, 3]) assert.ok(await exists(n));
    });

    test('a new burst is held again; approved, it is deleted and its deletions sent again are quiet', async () => {
      const held = await cycle('delta', [deleted(4), deleted(5), deleted(6)]);
      assert.equal(held.cycleState, 'held-by-delete-guard');
      assert.deepEqual(await heldAnchors(), [4, 5, 6].map(anchorOf).sort(), 'only the new burst');
      const approved = await admin('POST', '/heldDeletions/approve');
      assert.deepEqual(approved.body, { deleted: 3 });
      for (const n of [4, 5, 6]) assert.equal(await exists(n), false, `user ${n} deleted`);
      for (const n of [1, 2, 3]) assert.ok(await exists(n), `user ${n} still kept`);
      const logged = (await logsOf(5)).length;
      const next = await cycle('delta', [deleted(4), deleted(5), deleted(6)]);
      assert.equal(next.cycleState, 'accepted');
      assert.equal(next.advanceCursor, true);
      assert.equal(next.counts.pendingDeletes, 0);
      assert.equal((await logsOf(5)).length, logged, 'nothing new to log');
    });

    test('a kept object seen in AD again loses its mark: its next deletion is applied', async () => {
      assert.equal((await cycle('delta', [user(1)])).cycleState, 'accepted');
      const gone = await cycle('delta', [deleted(1)]);
      assert.equal(gone.cycleState, 'accepted');
      assert.equal(gone.counts.pendingDeletes, 1);
      assert.equal(await exists(1), false);
      assert.ok(await exists(2), 'the others stay kept');
    });

    test('the admin deletes the kept objects after all; the agent sending their deletions again is quiet', async () => {
      const listed = await admin('GET', '/rejectedDeletions');
      assert.equal(listed.status, 200, listed.text);
      const value = (
        listed.body as { value: { anchor: string; distinguishedName: string; rejection: string }[] }
      ).value;
      assert.deepEqual(value.map((k) => k.anchor).sort(), [2, 3].map(anchorOf).sort());
      assert.equal(value.find((k) => k.anchor === anchorOf(2))?.distinguishedName, dnOf(2));
      assert.ok(
        value.every((k) => /^Deletions rejected by admin@/.test(k.rejection)),
        listed.text,
      );
      const approved = await admin('POST', '/rejectedDeletions/approve');
      assert.equal(approved.status, 200, approved.text);
      assert.deepEqual(approved.body, { deleted: 2 });
      for (const n of [2, 3]) assert.equal(await exists(n), false, `user ${n} deleted`);
      assert.ok(await exists(7), 'the others stay');
      assert.deepEqual((await admin('GET', '/rejectedDeletions')).body, { value: [] });
      const next = await cycle('delta', [deleted(2), deleted(3)]);
      assert.equal(next.cycleState, 'accepted');
      assert.equal(next.counts.pendingDeletes, 0);
    });
  });
}
