// An object the agent cannot map, end to end (real DC → agent → cloud): a custom mapping reads a date
// the tenant keeps in `description`; one synced user's value stops being a date. The agent sends the
// user as `skipped`; after a restart (a full cycle) the user is still active in the cloud, unchanged,
// a failure entry in the provisioning log names the user and the reason, and the configuration is
// in error (not quarantine) while the other user keeps syncing. The next delta tries it again though
// AD reports no change; fixing the value in AD syncs it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { AttributeMapping, SyncConfiguration } from '@cloudsync/protocol';
import { Attribute, Change } from 'ldapts';
import { provisionOnDemand } from '../../../packages/agent/src/service/provision-on-demand.js';
import type { CycleSummary } from '../../../packages/agent/src/state/local-store.js';
import { createUser, type TestUser, withAdmin } from '../../support/ad.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';
import { described, logEntries } from './cloud-views.js';

let a: AgentFixture;
let odd: TestUser;
let plain: TestUser;

/** The year of a hire date kept as `yyyyMMdd` in description, as the tenant's job title. */
const hireYear: AttributeMapping = {
  target: 'jobTitle',
  source: { kind: 'expression', expression: 'FormatDateTime([description], , "yyyyMMdd", "yyyy")' },
  applyWhen: 'always',
};

async function cloudUser(u: TestUser): Promise<Record<string, unknown> | undefined> {
  const upn = `${u.sam}@${a.fx.domain}`;
  const res = await a.fx.call(
    'GET',
    `/v1.0/users/${encodeURIComponent(upn)}?$select=id,jobTitle,accountEnabled`,
  );
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, res.text);
  return res.body as Record<string, unknown>;
}

const setDescription = (u: TestUser, value: string) =>
  withAdmin((c) =>
    c.modify(u.dn, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'description', values: [value] }),
      }),
    ]),
  );

const configurationStatus = async () => {
  const res = await a.fx.call('GET', `/v1.0/cloudsync/configurations/${a.configurationId}`);
  return (res.body as { status: { state: string; reason: string | null } }).status;
};

function accepted(summary: CycleSummary, errors: number): void {
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
  assert.equal(summary.counts?.errors ?? 0, errors, JSON.stringify(summary));
}

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  const current = (await a.configuration()) as SyncConfiguration;
  const user = [...current.mappings.user.filter((m) => m.target !== 'jobTitle'), hireYear];
  const patched = await a.fx.call('PATCH', `/v1.0/cloudsync/configurations/${a.configurationId}`, {
    body: { mappings: { ...current.mappings, user } },
  });
  assert.equal(patched.status, 200, patched.text);
  odd = await createUser({ ou: a.ou, sam: 'hired', extra: { description: '20240301' } });
  plain = await createUser({ ou: a.ou, sam: 'other', extra: { description: '20230115' } });
  accepted(await a.cycle({ kind: 'full' }), 0);
  assert.equal((await cloudUser(odd))?.jobTitle, '2024');
});
after(() => a?.close());

test('a synced user whose value breaks a mapping stays active after a restart, with a failure entry', async () => {
  const before = await cloudUser(odd);
  await setDescription(odd, 'soon');
  await setDescription(plain, '20220601');
  const restart = await a.fx.call('POST', `/v1.0/cloudsync/configurations/${a.configurationId}/restart`);
  assert.ok(restart.status < 300, restart.text);
  accepted(await a.cycle({ kind: 'full' }), 1);

  const after = await cloudUser(odd);
  assert.deepEqual(after, before, 'still active and unchanged in the cloud');
  assert.equal((await cloudUser(plain))?.jobTitle, '2022', 'the other user kept syncing');

  const [failure, ...more] = await logEntries(a, odd.dn, '&status=failure');
  assert.ok(failure, 'a failure entry names the user');
  assert.deepEqual(more, []);
  assert.equal(failure.sourceIdentity.displayName, odd.dn);
  assert.equal(failure.targetIdentity.id, before?.id);
  assert.equal(failure.statusInfo.errorInformation?.errorCode, 'OBJECT_NOT_MAPPED');
  assert.match(described(failure), /the mapping of jobTitle failed: FormatDateTime: "soon" does not match/);
  assert.match(described(failure), /Fix the value in AD or the mapping/);

  const status = await configurationStatus();
  assert.equal(status.state, 'error');
  assert.match(status.reason ?? '', /^1 of 2 objects could not be written/);
});

test('provision on demand stops the user at the map step with the same reason, and sends nothing', async () => {
  const rt = await a.runtime();
  try {
    const result = await provisionOnDemand(rt.cycleDeps, await a.configuration(), {
      jobId: randomUUID(),
      kind: 'provision-on-demand',
      configurationId: a.configurationId,
      distinguishedName: odd.dn,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    assert.equal(result.status, 'failed', JSON.stringify(result));
    const last = result.steps.at(-1);
    assert.equal(last?.name, 'map');
    assert.match(last?.description ?? '', /the mapping of jobTitle failed: FormatDateTime: "soon"/);
  } finally {
    rt.close();
  }
  assert.equal((await logEntries(a, odd.dn, '&status=failure')).length, 1, 'no cycle ran');
});

test('every delta cycle tries the user again, though AD reports no change for it; no quarantine', async () => {
  for (let i = 0; i < 3; i++) {
    const summary = await a.cycle();
    assert.equal(summary.kind, 'delta');
    accepted(summary, 1);
    assert.equal((await configurationStatus()).state, 'error', 'the only failure is a retried one');
  }
  assert.equal((await logEntries(a, odd.dn, '&status=failure')).length, 4);
  assert.equal((await cloudUser(odd))?.jobTitle, '2024');
});

test('once the value is fixed in AD, the next cycle syncs the user; a value that breaks in a delta is skipped too', async () => {
  await setDescription(odd, '20250101');
  accepted(await a.cycle(), 0);
  assert.equal((await cloudUser(odd))?.jobTitle, '2025');
  assert.equal((await configurationStatus()).state, 'healthy');

  await setDescription(plain, 'never');
  const summary = await a.cycle();
  assert.equal(summary.kind, 'delta');
  accepted(summary, 1);
  assert.equal((await cloudUser(plain))?.jobTitle, '2022', 'left as it was');
  const [failure] = await logEntries(a, plain.dn, '&status=failure');
  assert.match(failure ? described(failure) : '', /FormatDateTime: "never" does not match/);
});
