// The notification e-mail of a sync configuration, end to end: a whole cloud whose SMTP server is
// the local mail sink, driven through the agent API as an agent drives it (lease, pages, end,
// heartbeats). A held cycle, a quarantine and an agent error are each e-mailed once, and the
// recovery once; the cloud's clock is moved past the quarantine's backoff. Cycles fail the way they
// genuinely can: AD deletes the tenant's only Global Administrator, which the cloud refuses to delete.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  type Change,
  cycleAcknowledgementSchema,
  errorBodySchema,
  PROTOCOL_VERSION,
} from '@cloudsync/protocol';
import { registerTestAgent, type TestAgent } from '../../../packages/cloud/src/agents/test-agent.js';
import type { ApiFixture } from '../../../packages/cloud/src/api/api-fixture.js';
import { SYSTEM_ACTOR } from '../../../packages/cloud/src/directory/actor.js';
import { startMailSink } from '../../../packages/cloud/src/mail-sink/mail-sink.js';
import { hashPassword } from '../../../packages/cloud/src/sign-in/password-hash.js';
import { type ResetCloud, startResetCloud } from '../password-reset/cloud-fixture.js';

const DOMAIN = 'corp.example.test';
const ADMIN_MAIL = 'sync-admins@contoso.example';
const anchorOf = (n: number) => Buffer.alloc(16, n).toString('base64');

function user(n: number, upn: string): Change {
  return {
    op: 'upsert',
    objectType: 'user',
    anchor: anchorOf(n),
    objectGuid: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    distinguishedName: `CN=u${n},OU=Staff,DC=corp,DC=example,DC=test`,
    attributes: { userPrincipalName: upn, displayName: `User ${n}`, accountEnabled: true },
  };
}
const deleted = (n: number): Change => ({
  op: 'delete',
  objectType: 'user',
  anchor: anchorOf(n),
  objectGuid: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
});
// The synced user that becomes the tenant's only Global Administrator; deleting it in AD is refused
// (the tenant would be locked out), so every cycle that carries its deletion counts one error.
const SOLE_ADMIN = 90;
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const ROLE_ASSIGNMENTS = '/v1.0/roleManagement/directory/roleAssignments';

let rc: ResetCloud;
let agent: TestAgent;
let configurationId: string;
let version: number;
let moved = 0;
/** The Global Administrator's token the admin calls use (the synced one while it is the only one). */
let adminToken: string;

/** Moves the cloud's clock to one second after `iso`. */
function moveClockPast(iso: string): void {
  const by = Date.parse(iso) - (Date.now() + moved) + 1000;
  assert.ok(by > 0, `the clock is already past ${iso}`);
  moved += by;
  rc.advance(by);
}

async function call(method: string, path: string, body?: unknown, token = adminToken) {
  const res = await fetch(`${rc.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, text };
}

/** One cycle as the agent runs it; returns the cycle end's acknowledgement, or the refusal. */
async function runCycle(kind: 'full' | 'delta', changes: Change[]) {
  const as = (m: string, p: string, b?: unknown) => call(m, p, b, agent.token);
  const cycleId = randomUUID();
  const lease = await as('POST', `/agent/v1/configurations/${configurationId}/lease`, { cycleId, kind });
  assert.equal(lease.status, 200, lease.text);
  try {
    const base = { configurationId, configurationVersion: version, cycleId, kind };
    const page = await as('POST', `/agent/v1/cycles/${cycleId}/pages`, { ...base, sequence: 1, changes });
    if (page.status !== 200) return { refused: errorBodySchema.parse(page.body).code };
    const at = new Date().toISOString();
    const end = await as('POST', `/agent/v1/cycles/${cycleId}/end`, {
      ...base,
      pages: 1,
      counts: { upserts: changes.length, deletes: 0, outOfScope: 0, unchanged: 0 },
      startedAt: at,
      endedAt: at,
    });
    assert.equal(end.status, 200, end.text);
    return cycleAcknowledgementSchema.parse(end.body);
  } finally {
    await as('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
  }
}

const heartbeat = (lastError: unknown) =>
  call(
    'POST',
    `/agent/v1/agents/${agent.agentId}/heartbeat`,
    {
      status: 'degraded',
      currentCycle: null,
      versions: { agent: '0.1.0', protocol: PROTOCOL_VERSION },
      configurationVersions: { [configurationId]: version },
      lastError,
      sentAt: new Date().toISOString(),
    },
    agent.token,
  );

/** Every e-mail to the admins so far, after the outbox has sent what is due. */
async function mails() {
  await rc.cloud.syncNotifications.flush();
  return rc.sink.messages().filter((m) => m.to.includes(ADMIN_MAIL));
}

const status = async () =>
  (
    (await call('GET', `/v1.0/cloudsync/configurations/${configurationId}`)).body as {
      status: { state: string; reason: string | null };
    }
  ).status;

/** The id of the Global Administrator role assignment of `principalId`. */
async function globalAdminAssignment(principalId: string): Promise<string> {
  const listed = await call('GET', ROLE_ASSIGNMENTS);
  assert.equal(listed.status, 200, listed.text);
  const all = (listed.body as { value: { id: string; principalId: string; roleDefinitionId: string }[] })
    .value;
  const found = all.find((a) => a.principalId === principalId && a.roleDefinitionId === GLOBAL_ADMIN_ROLE);
  assert.ok(found, listed.text);
  return found.id;
}

/**
 * Makes the synced user `n` the tenant's only Global Administrator, signed in so the admin calls go
 * on (a password hash set in the store, where password hash sync would put one); returns what gives
 * the role back to the tenant's own administrator.
 */
async function makeSoleGlobalAdmin(n: number): Promise<() => Promise<void>> {
  const filter = encodeURIComponent(`onPremisesImmutableId eq '${anchorOf(n)}'`);
  const found = await call('GET', `/v1.0/users?$filter=${filter}`);
  const synced = (found.body as { value: { id: string; userPrincipalName: string }[] }).value[0];
  assert.ok(synced, found.text);
  const me = await call('GET', '/v1.0/me');
  const adminId = (me.body as { id: string }).id;
  const password = `${randomUUID()}-Aa1`;
  await rc.cloud.directory.syncedUsers.setPasswordHash(SYSTEM_ACTOR, synced.id, await hashPassword(password));
  const signIn = await rc.tokenFor(synced.userPrincipalName, password);
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const syncedToken = ((await signIn.json()) as { access_token: string }).access_token;
  const given = await call('POST', ROLE_ASSIGNMENTS, {
    principalId: synced.id,
    roleDefinitionId: GLOBAL_ADMIN_ROLE,
  });
  assert.equal(given.status, 201, given.text);
  adminToken = syncedToken;
  const removed = await call('DELETE', `${ROLE_ASSIGNMENTS}/${await globalAdminAssignment(adminId)}`);
  assert.equal(removed.status, 204, removed.text);
  return async () => {
    const back = await call('POST', ROLE_ASSIGNMENTS, {
      principalId: adminId,
      roleDefinitionId: GLOBAL_ADMIN_ROLE,
    });
    assert.equal(back.status, 201, back.text);
    adminToken = rc.adminToken;
    const dropped = await call('DELETE', `${ROLE_ASSIGNMENTS}/${await globalAdminAssignment(synced.id)}`);
    assert.equal(dropped.status, 204, dropped.text);
  };
}

before(async () => {
  rc = await startResetCloud();
  adminToken = rc.adminToken;
  // registerTestAgent needs only the fixture's admin token and `call`.
  const fx = {
    adminToken: rc.adminToken,
    call: (m: string, p: string, o: { token?: string | null; body?: unknown } = {}) =>
      call(m, p, o.body, o.token ?? rc.adminToken),
  } as ApiFixture;
  agent = await registerTestAgent(fx, 'dc1.corp.example.test', [DOMAIN]);
  const created = await call('POST', '/v1.0/cloudsync/configurations', {
    domain: { dnsName: DOMAIN, netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
    deleteGuard: { enabled: true, threshold: 2 },
    notificationEmail: ADMIN_MAIL,
  });
  assert.equal(created.status, 201, created.text);
  configurationId = (created.body as { id: string }).id;
  const enabled = await call('POST', `/v1.0/cloudsync/configurations/${configurationId}/enable`);
  assert.ok(enabled.status < 300, enabled.text);
  version = (enabled.body as { version: number }).version;
  const first = await runCycle(
    'full',
    [1, 2, 3, 4, SOLE_ADMIN].map((n) => user(n, `u${n}@${DOMAIN}`)),
  );
  assert.ok('cycleState' in first && first.cycleState === 'accepted');
});
after(async () => {
  await rc?.close();
});

test('a cycle held by the accidental-delete guard is e-mailed once, with what to do', async () => {
  const held = await runCycle('delta', [deleted(1), deleted(2), deleted(3)]);
  assert.ok('cycleState' in held && held.cycleState === 'held-by-delete-guard');
  const [mail, ...more] = await mails();
  assert.ok(mail, 'the hold was e-mailed');
  assert.deepEqual(more, []);
  assert.match(mail.raw, new RegExp(`Subject: \\[cloudsync\\] contoso: deletions held for ${DOMAIN}`));
  assert.match(mail.text, /Tenant: +contoso \(contoso\.cloudsync\.test\)/);
  assert.ok(mail.text.includes(`Sync configuration: ${DOMAIN} (id ${configurationId})`));
  assert.match(mail.text, /delete 3 objects, more than the\s+accidental-delete threshold of 2/);
  assert.ok(
    mail.text.includes(
      `POST ${rc.url}/v1.0/cloudsync/configurations/${configurationId}/heldDeletions/approve`,
    ),
    mail.text,
  );

  const again = await runCycle('delta', [deleted(1), deleted(2), deleted(3)]);
  assert.ok('cycleState' in again && again.cycleState === 'held-by-delete-guard');
  assert.equal((await mails()).length, 1, 'the same hold is not e-mailed again');
  const rejected = await call(
    'POST',
    `/v1.0/cloudsync/configurations/${configurationId}/heldDeletions/reject`,
  );
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal((await mails()).length, 1, 'a decision is not e-mailed');
});

test('quarantine is e-mailed once with its reason and retry, a failed retry is not, the recovery is', async () => {
  const before = (await mails()).length;
  const giveBack = await makeSoleGlobalAdmin(SOLE_ADMIN);
  try {
    await quarantineAndRecovery(before);
  } finally {
    await giveBack();
  }
});

async function quarantineAndRecovery(before: number) {
  const unwritable = deleted(SOLE_ADMIN);
  for (let i = 0; i < 3; i++) {
    const ack = await runCycle('delta', [unwritable]);
    assert.ok('counts' in ack && ack.counts.errors === 1, 'deleting the only Global Administrator fails');
  }
  const logs = await call(
    'GET',
    `/v1.0/auditLogs/provisioning?configurationId=${configurationId}&identity=${encodeURIComponent(unwritable.anchor)}&action=delete`,
  );
  const entries = (
    logs.body as { value: { statusInfo: { status: string; errorInformation: { reason: string } | null } }[] }
  ).value;
  assert.equal(entries.length, 3, logs.text);
  for (const entry of entries) {
    assert.equal(entry.statusInfo.status, 'failure');
    assert.match(entry.statusInfo.errorInformation?.reason ?? '', /last Global Administrator/);
  }
  assert.equal((await status()).state, 'quarantine');
  let all = await mails();
  assert.equal(all.length, before + 1);
  const quarantine = all.at(-1);
  assert.match(
    quarantine?.raw ?? '',
    new RegExp(`Subject: \\[cloudsync\\] contoso: ${DOMAIN} is in quarantine`),
  );
  assert.match(quarantine?.text ?? '', /Reason: Quarantined after 3 failed cycles in a row/);
  const retryAt = /Next automatic retry: (\S+) /.exec(quarantine?.text ?? '')?.[1] ?? '';
  assert.ok(Date.parse(retryAt) > 0, quarantine?.text);

  assert.deepEqual(await runCycle('delta', [unwritable]), { refused: 'CONFIG_QUARANTINED' });
  moveClockPast(retryAt);
  const retry = await runCycle('delta', [unwritable]);
  assert.ok('counts' in retry && retry.counts.errors === 1);
  assert.equal((await status()).state, 'quarantine', 'the failed retry goes back into quarantine');
  assert.equal((await mails()).length, before + 1, 'and is not e-mailed again');

  const next = /automatically at (\S+Z)/.exec((await status()).reason ?? '')?.[1] ?? '';
  moveClockPast(next);
  const healthy = await runCycle('delta', [user(5, `u5@${DOMAIN}`)]);
  assert.ok('cycleState' in healthy && healthy.cycleState === 'accepted');
  all = await mails();
  assert.equal(all.length, before + 2);
  assert.match(
    all.at(-1)?.raw ?? '',
    new RegExp(`Subject: \\[cloudsync\\] contoso: ${DOMAIN} is healthy again`),
  );
  assert.match(all.at(-1)?.text ?? '', /It had been in quarantine\./);
  await runCycle('delta', [user(6, `u6@${DOMAIN}`)]);
  assert.equal((await mails()).length, before + 2, 'healthy cycles after the recovery send nothing');
}

test('an agent error from the heartbeat is e-mailed once until a cycle succeeds', async () => {
  const before = (await mails()).length;
  const rights = { code: 'DRSR_MISSING_RIGHTS', message: 'DRSGetNCChanges: access denied', retryable: false };
  assert.equal((await heartbeat(rights)).status, 200);
  assert.equal((await status()).state, 'error');
  await heartbeat(rights);
  await heartbeat({ ...rights, message: 'DRSGetNCChanges: access denied (again)' });
  let all = await mails();
  assert.equal(all.length, before + 1, 'one e-mail for one error, however many heartbeats');
  assert.match(all.at(-1)?.text ?? '', /The agent on dc1\.corp\.example\.test reports an error/);
  assert.match(all.at(-1)?.text ?? '', /Error: +DRSR_MISSING_RIGHTS/);
  assert.match(all.at(-1)?.text ?? '', /Replicating Directory Changes All/);

  await runCycle('delta', [user(7, `u7@${DOMAIN}`)]);
  assert.equal((await status()).state, 'healthy');
  all = await mails();
  assert.equal(all.length, before + 2);
  assert.match(all.at(-1)?.text ?? '', /It had been in error state \(agent error\)\./);
});

test('the admin API lists the e-mails of a configuration, newest first, with their status', async () => {
  const sent = await mails();
  const list = await call('GET', `/v1.0/cloudsync/configurations/${configurationId}/notifications?top=50`);
  assert.equal(list.status, 200, list.text);
  const value = (
    list.body as { value: { kind: string; status: string; recipient: string; subject: string }[] }
  ).value;
  assert.deepEqual(
    value.map((n) => n.kind),
    ['recovered', 'agent-error', 'recovered', 'quarantine', 'held'],
  );
  assert.ok(value.every((n) => n.status === 'sent' && n.recipient === ADMIN_MAIL));
  assert.equal(value.length, sent.length);
  const anonymous = await fetch(`${rc.url}/v1.0/cloudsync/configurations/${configurationId}/notifications`);
  assert.equal(anonymous.status, 401);
  const bad = await call('GET', `/v1.0/cloudsync/configurations/${configurationId}/notifications?top=0`);
  assert.equal(bad.status, 400);
});

test('with the SMTP server down the heartbeat still succeeds, and the e-mail goes out once it is back', async () => {
  const port = rc.sink.port;
  await rc.sink.close();
  const unreachable = { code: 'AD_UNREACHABLE', message: 'dc1 did not answer on 636', retryable: true };
  assert.equal((await heartbeat(unreachable)).status, 200);
  assert.equal((await status()).state, 'error');
  await rc.cloud.syncNotifications.flush();
  const list = async () =>
    (
      (await call('GET', `/v1.0/cloudsync/configurations/${configurationId}/notifications`)).body as {
        value: {
          kind: string;
          status: string;
          attempts: number;
          nextAttemptDateTime: string;
          lastError: string;
        }[];
      }
    ).value[0];
  const pending = await list();
  assert.equal(pending?.kind, 'agent-error');
  assert.equal(pending?.status, 'pending');
  assert.ok((pending?.attempts ?? 0) >= 1);
  assert.match(pending?.lastError ?? '', /ECONNREFUSED/);

  const back = await startMailSink({ port });
  try {
    moveClockPast(pending?.nextAttemptDateTime ?? '');
    await rc.cloud.syncNotifications.flush();
    await rc.cloud.syncNotifications.flush();
    const got = back.messages().filter((m) => m.to.includes(ADMIN_MAIL));
    assert.equal(got.length, 1, 'sent once, after the retry');
    assert.match(got[0]?.text ?? '', /Error: +AD_UNREACHABLE/);
    assert.equal((await list())?.status, 'sent');
  } finally {
    await back.close();
  }
});
