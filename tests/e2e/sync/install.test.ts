// The wizard beyond the first install: hash sync turned on without the rights (a clear DRSR error),
// a re-run that repairs the install and grants them, status, and uninstall.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCycle } from '../../../packages/agent/src/cycle/run-cycle.js';
import { formatStatus, readStatus } from '../../../packages/agent/src/service/status.js';
import { createPrompter } from '../../../packages/agent/src/wizard/prompts.js';
import { uninstall } from '../../../packages/agent/src/wizard/uninstall.js';
import { ADMIN_PASSWORD } from '../../../packages/cloud/src/api/api-fixture.js';
import { adFromEnv, createUser, withAdmin, withDomainRootAclLock } from '../../support/ad.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
});
after(() => a?.close());

const PASSWORD = 'Carol-Pass-1a!';

test('hash sync on without the replication rights: objects sync, DRSR_MISSING_RIGHTS names both rights', async () => {
  const carol = await createUser({ ou: a.ou, sam: 'carol', displayName: 'Carol', password: PASSWORD });
  const patched = await a.fx.call('PATCH', `/v1.0/cloudsync/configurations/${a.configurationId}`, {
    body: { passwordHashSync: true },
  });
  assert.ok(patched.status < 300, patched.text);
  const summary = await a.cycle();
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
  assert.equal(summary.error?.code, 'DRSR_MISSING_RIGHTS', JSON.stringify(summary));
  assert.match(
    summary.error?.message ?? '',
    /Replicating Directory Changes" and "Replicating Directory Changes All/,
  );
  assert.ok(await a.cloudUser(`${carol.sam}@${a.fx.domain}`), 'the objects went through');
  assert.match(formatStatus(await readStatus(a.stateDir)), /DRSR_MISSING_RIGHTS/);
});

test('re-running install repairs: same agent, new key, the missing rights granted; hashes then sync', async () => {
  const repaired = await a.installAgain({ passwordHashSync: true });
  assert.equal(repaired.repaired, true);
  assert.equal(repaired.identity.agentId, a.installed.identity.agentId);
  assert.ok(
    a.printed.some((l) => l.includes('repaired: granted Replicating Directory Changes All')),
    a.printed.join('\n'),
  );
  const rt = await a.runtime();
  try {
    const summary = await runCycle(rt.cycleDeps, await a.configuration());
    assert.equal(summary.error, undefined, JSON.stringify(summary));
    assert.ok((summary.passwordHashes?.sent ?? 0) >= 1, JSON.stringify(summary));
  } finally {
    rt.close();
  }
});

test('uninstall deregisters the agent, removes the account and its rights, deletes the state', async () => {
  const ad = adFromEnv();
  const { identity } = a.installed;
  const lines: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const { acesRemoved } = await withDomainRootAclLock(() =>
    uninstall({
      stateDir: a.stateDir,
      adminUser: `admin@${a.fx.domain}`,
      adminPassword: ADMIN_PASSWORD,
      domainAdmin: ad.adminUpn,
      domainAdminPassword: ad.adminPassword,
      prompter: createPrompter({ interactive: false, yes: true, input: Readable.from([]), output }),
    }),
  );
  assert.equal(acesRemoved, 2, lines.join(''));
  const agent = await a.fx.call('GET', `/v1.0/cloudsync/agents/${identity.agentId}`);
  assert.equal(agent.status, 404);
  const found = await withAdmin(async (c) => {
    const { searchEntries } = await c.search(ad.baseDn, {
      scope: 'sub',
      filter: `(sAMAccountName=${identity.serviceAccount.sAMAccountName})`,
      attributes: ['dn'],
    });
    return searchEntries.length;
  });
  assert.equal(found, 0, 'the service account is gone');
  for (const f of ['agent.json', 'agent-key.pem', 'ad-service-account.json', 'state.db']) {
    assert.equal(existsSync(join(a.stateDir, f)), false, f);
  }
  assert.equal((await readStatus(a.stateDir)).agentId, undefined);
});
