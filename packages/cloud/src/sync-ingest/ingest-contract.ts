// For tests only: the sync ingest over HTTP on the whole cloud, driven as a real agent drives it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type Change,
  cycleAcknowledgementSchema,
  errorBodySchema,
  hashEnvelopeBatchAcknowledgementSchema,
  hashOfHash,
  ntHash,
  pageAcknowledgementSchema,
} from '@cloudsync/protocol';
import { type Json, registerTestAgent, type TestAgent } from '../agents/test-agent.js';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.js';

const anchorOf = (n: number) => Buffer.alloc(16, n).toString('base64');
const guidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
const DN = (cn: string) => `CN=${cn},OU=Staff,DC=corp,DC=example,DC=test`;

function user(n: number, sam: string, extra: Json = {}): Change {
  return {
    op: 'upsert',
    objectType: 'user',
    anchor: anchorOf(n),
    objectGuid: guidOf(n),
    distinguishedName: DN(sam),
    attributes: {
      userPrincipalName: `${sam}@corp.example.test`,
      displayName: `User ${sam}`,
      givenName: sam,
      accountEnabled: true,
      onPremisesSamAccountName: sam,
      ...extra,
    },
  } as Change;
}

export function runIngestContract(label: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`sync ingest (${label})`, () => {
    let fx: ApiFixture;
    let agent: TestAgent;
    let configurationId: string;
    let version: number;

    const call = (method: string, path: string, body?: unknown) =>
      fx.call(method, path, { token: agent.token, body });

    async function cycle(kind: 'full' | 'delta', pages: Change[][]) {
      const cycleId = randomUUID();
      const lease = await call('POST', `/agent/v1/configurations/${configurationId}/lease`, {
        cycleId,
        kind,
      });
      assert.equal(lease.status, 200, lease.text);
      const acks = [];
      for (const [i, changes] of pages.entries()) {
        const page = {
          configurationId,
          configurationVersion: version,
          cycleId,
          kind,
          sequence: i + 1,
          changes,
        };
        const res = await call('POST', `/agent/v1/cycles/${cycleId}/pages`, page);
        assert.equal(res.status, 200, res.text);
        acks.push(pageAcknowledgementSchema.parse(res.body));
      }
      const now = new Date().toISOString();
      const end = await call('POST', `/agent/v1/cycles/${cycleId}/end`, {
        configurationId,
        configurationVersion: version,
        cycleId,
        kind,
        pages: pages.length,
        counts: { upserts: 0, deletes: 0, outOfScope: 0, unchanged: 0 },
        startedAt: now,
        endedAt: now,
      });
      assert.equal(end.status, 200, end.text);
      await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
      return { cycleId, acks, end: cycleAcknowledgementSchema.parse(end.body) };
    }

    const byAnchor = async (n: number) => {
      const res = await fx.call('GET', `/v1.0/users?$filter=onPremisesImmutableId eq '${anchorOf(n)}'`);
      return (res.body as { value: Json[] }).value[0];
    };

    before(async () => {
      const url = await databaseUrl();
      fx = await startApiFixture(url ? { databaseUrl: url } : {});
      agent = await registerTestAgent(fx, 'dc1.corp.example.test', ['corp.example.test']);
      const created = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: {
          domain: { dnsName: 'corp.example.test', netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
          passwordHashSync: true,
          deleteGuard: { enabled: true, threshold: 2 },
        },
      });
      assert.equal(created.status, 201, created.text);
      configurationId = (created.body as { id: string }).id;
      const enabled = await fx.call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
      assert.ok(enabled.status < 300, enabled.text);
      version = (enabled.body as { version: number }).version;
    });
    after(() => fx.close());

    test('a full cycle creates users on the initial domain, a group with members and a contact', async () => {
      const group: Change = {
        op: 'upsert',
        objectType: 'group',
        anchor: anchorOf(50),
        objectGuid: guidOf(50),
        distinguishedName: DN('Sales'),
        attributes: {
          displayName: 'Sales',
          mailNickname: 'sales',
          securityEnabled: true,
          mailEnabled: false,
        },
        members: { mode: 'complete', anchors: [anchorOf(1), anchorOf(2), anchorOf(99)] },
      } as Change;
      const contact: Change = {
        op: 'upsert',
        objectType: 'contact',
        anchor: anchorOf(60),
        objectGuid: guidOf(60),
        distinguishedName: DN('Partner'),
        attributes: { displayName: 'Partner Pat', mail: 'pat@partner.test' },
      } as Change;
      // The group comes before its members: membership is applied at the end of the cycle.
      const { acks, end } = await cycle('full', [
        [group, user(1, 'bobby')],
        [user(2, 'zoë'), contact],
      ]);
      assert.equal(end.cycleState, 'accepted');
      assert.equal(end.advanceCursor, true);
      assert.deepEqual(
        acks.flatMap((a) => a.results.map((r) => r.result)),
        ['applied', 'applied', 'applied', 'applied'],
      );
      const bobby = await byAnchor(1);
      assert.equal(bobby?.userPrincipalName, `bobby@${fx.domain}`);
      assert.equal(bobby?.onPremisesSyncEnabled, true);
      assert.equal(bobby?.onPremisesImmutableId, anchorOf(1));
      assert.equal((await byAnchor(2))?.userPrincipalName, `zoe@${fx.domain}`, 'diacritics folded');
      const groups = await fx.call('GET', `/v1.0/groups?$filter=displayName eq 'Sales'`);
      const salesId = String((groups.body as { value: Json[] }).value[0]?.id);
      const members = await fx.call('GET', `/v1.0/groups/${salesId}/members`);
      assert.deepEqual(
        (members.body as { value: Json[] }).value.map((m) => m.id).sort(),
        [bobby?.id, (await byAnchor(2))?.id].sort(),
      );
      const contacts = await fx.call('GET', '/v1.0/contacts');
      assert.ok((contacts.body as { value: Json[] }).value.some((c) => c.displayName === 'Partner Pat'));
      const logs = await fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?configurationId=${configurationId}&action=create`,
      );
      const entries = (logs.body as { value: Json[] }).value;
      const bobbyLog = entries.find((e) => (e.sourceIdentity as Json).id === anchorOf(1)) as Json | undefined;
      assert.ok(bobbyLog, logs.text);
      assert.equal((bobbyLog.statusInfo as Json).status, 'success');
      const upnChange = (bobbyLog.modifiedProperties as Json[]).find(
        (p) => p.displayName === 'userPrincipalName',
      );
      assert.deepEqual(upnChange, {
        displayName: 'userPrincipalName',
        oldValue: null,
        newValue: `bobby@${fx.domain}`,
      });
      assert.ok(
        (bobbyLog.provisioningSteps as Json[]).some((s) => /initial domain/.test(String(s.description))),
      );
      const groupLog = await fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?identity=${encodeURIComponent(anchorOf(50))}&status=warning`,
      );
      assert.equal(
        (groupLog.body as { value: Json[] }).value.length,
        1,
        'the out-of-scope member is logged as a warning',
      );
    });

    test('a resent page is answered from the store, an out-of-order page is refused', async () => {
      const cycleId = randomUUID();
      await call('POST', `/agent/v1/configurations/${configurationId}/lease`, { cycleId, kind: 'delta' });
      const page = {
        configurationId,
        configurationVersion: version,
        cycleId,
        kind: 'delta',
        sequence: 1,
        changes: [user(3, 'carl')],
      };
      const first = pageAcknowledgementSchema.parse(
        (await call('POST', `/agent/v1/cycles/${cycleId}/pages`, page)).body,
      );
      const again = pageAcknowledgementSchema.parse(
        (await call('POST', `/agent/v1/cycles/${cycleId}/pages`, page)).body,
      );
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.results, first.results);
      const gap = await call('POST', `/agent/v1/cycles/${cycleId}/pages`, { ...page, sequence: 3 });
      assert.equal(errorBodySchema.parse(gap.body).code, 'SEQUENCE_OUT_OF_ORDER');
      const carls = await fx.call(
        'GET',
        `/v1.0/users?$filter=onPremisesImmutableId eq '${anchorOf(3)}'&$count=true`,
        {
          headers: { ConsistencyLevel: 'eventual' },
        },
      );
      assert.equal((carls.body as { value: Json[] }).value.length, 1, 'no duplicate user');
      await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
    });

    test('soft match adopts a cloud-only user; an admin is not adopted and the newcomer gets a variant UPN', async () => {
      const plain = await fx.call('POST', '/v1.0/users', {
        body: {
          accountEnabled: true,
          displayName: 'Dana Cloud',
          mailNickname: 'dana',
          userPrincipalName: `dana@${fx.domain}`,
          passwordProfile: { password: 'Cloud!Pass1234' },
        },
      });
      assert.equal(plain.status, 201, plain.text);
      const { end } = await cycle('delta', [[user(4, 'dana'), user(5, 'admin')]]);
      assert.equal(end.cycleState, 'accepted');
      assert.equal((await byAnchor(4))?.id, (plain.body as Json).id, 'soft-matched on UPN');
      const newcomer = await byAnchor(5);
      assert.match(
        String(newcomer?.userPrincipalName),
        new RegExp(`^admin\\d{4}@${fx.domain.replace(/\./g, '\\.')}$`),
      );
      const warn = await fx.call(
        'GET',
        `/v1.0/auditLogs/provisioning?identity=${encodeURIComponent(anchorOf(5))}`,
      );
      const entry = (warn.body as { value: Json[] }).value[0] as Json;
      assert.equal((entry.statusInfo as Json).status, 'warning');
      assert.equal(((entry.statusInfo as Json).errorInformation as Json).errorCode, 'UPN_CONFLICT');
    });

    test('disable, leave scope, come back: accountEnabled false, soft-deleted, restored', async () => {
      await cycle('delta', [[user(1, 'bobby', { accountEnabled: false })]]);
      assert.equal((await byAnchor(1))?.accountEnabled, false);
      const out: Change = {
        op: 'out-of-scope',
        objectType: 'user',
        anchor: anchorOf(1),
        objectGuid: guidOf(1),
        distinguishedName: DN('bobby'),
      } as Change;
      await cycle('delta', [[out]]);
      assert.equal(await byAnchor(1), undefined);
      const deleted = await fx.call('GET', '/v1.0/directory/deletedItems/microsoft.graph.user');
      assert.ok(
        (deleted.body as { value: Json[] }).value.some((u) => u.onPremisesImmutableId === anchorOf(1)),
      );
      await cycle('delta', [[user(1, 'bobby')]]);
      const back = await byAnchor(1);
      assert.equal(back?.accountEnabled, true);
      assert.equal(back?.userPrincipalName, `bobby@${fx.domain}`);
    });

    test('password hashes: the newest envelope signs the user in; a stale one is ignored', async () => {
      const send = async (password: string, pwdLastSet: string) => {
        const res = await call('POST', '/agent/v1/password-hashes', {
          configurationId,
          batchId: randomUUID(),
          items: [{ anchor: anchorOf(2), envelope: await hashOfHash(ntHash(password)), pwdLastSet }],
        });
        assert.equal(res.status, 200, res.text);
        return hashEnvelopeBatchAcknowledgementSchema.parse(res.body).results[0]?.result;
      };
      assert.equal(await send('Zoe!Pass1234', '2026-01-02T00:00:00Z'), 'applied');
      assert.equal(await send('Old!Pass1234', '2026-01-01T00:00:00Z'), 'stale');
      const upn = String((await byAnchor(2))?.userPrincipalName);
      assert.ok(await fx.tokenFor(upn, 'Zoe!Pass1234'));
      await assert.rejects(fx.tokenFor(upn, 'Old!Pass1234'));
      const unknown = await call('POST', '/agent/v1/password-hashes', {
        configurationId,
        batchId: randomUUID(),
        items: [
          {
            anchor: anchorOf(77),
            envelope: await hashOfHash(ntHash('x')),
            pwdLastSet: '2026-01-01T00:00:00Z',
          },
        ],
      });
      assert.equal(
        hashEnvelopeBatchAcknowledgementSchema.parse(unknown.body).results[0]?.result,
        'unknown-anchor',
      );
    });

    test('more deletions than the threshold hold the cycle; nothing is deleted until an admin approves', async () => {
      const del = (n: number, cn: string): Change =>
        ({
          op: 'delete',
          objectType: 'user',
          anchor: anchorOf(n),
          objectGuid: guidOf(n),
          distinguishedName: DN(cn),
        }) as Change;
      const { end } = await cycle('delta', [[del(2, 'zoë'), del(3, 'carl'), del(4, 'dana')]]);
      assert.equal(end.cycleState, 'held-by-delete-guard');
      assert.equal(end.advanceCursor, false);
      assert.equal(end.code, 'DELETE_THRESHOLD_EXCEEDED');
      assert.ok(await byAnchor(3), 'nothing deleted while held');
      const status = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}`);
      assert.match(String(((status.body as Json).status as Json).reason), /accidental-delete threshold of 2/);
      const held = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}/heldDeletions`);
      assert.equal((held.body as { value: Json[] }).value.length, 3);
      const approved = await fx.call(
        'POST',
        `/v1.0/cloudsync/configurations/${configurationId}/heldDeletions/approve`,
      );
      assert.deepEqual(approved.body, { deleted: 3 });
      assert.equal(await byAnchor(3), undefined);
      const after = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}`);
      assert.equal(((after.body as Json).status as Json).state, 'healthy');
    });

    test('a full cycle deletes what it no longer mentions (within the threshold)', async () => {
      const group = {
        op: 'upsert',
        objectType: 'group',
        anchor: anchorOf(50),
        objectGuid: guidOf(50),
        distinguishedName: DN('Sales'),
        attributes: {},
        members: { mode: 'complete', anchors: [anchorOf(1)] },
      } as Change;
      const contact = {
        op: 'upsert',
        objectType: 'contact',
        anchor: anchorOf(60),
        objectGuid: guidOf(60),
        distinguishedName: DN('Partner'),
        attributes: {},
      } as Change;
      const { end } = await cycle('full', [[user(1, 'bobby'), group, contact]]);
      assert.equal(end.cycleState, 'accepted');
      assert.equal(end.counts.pendingDeletes, 1, 'the admin-variant user 5 was not mentioned');
      assert.equal(await byAnchor(5), undefined);
      assert.ok(await byAnchor(1));
      const groups = await fx.call('GET', `/v1.0/groups?$filter=displayName eq 'Sales'`);
      assert.equal(
        (groups.body as { value: Json[] }).value.length,
        1,
        'attributes left out are left unchanged',
      );
    });
  });
}
