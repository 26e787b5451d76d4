// Expired credentials, against the real DC and a real cloud: the cloud rotates and retires its
// signing keys (the agent's token dies), the service account's password nears its expiry under a
// fine-grained policy (the agent changes it), and the password is already expired (a clear error in
// the cloud, then a repair). Each time the system recovers by itself and every change arrives once.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { runCycle } from '../../../packages/agent/src/cycle/run-cycle.js';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { formatStatus, readStatus } from '../../../packages/agent/src/service/status.js';
import { readCredentials } from '../../../packages/agent/src/service-account/password.js';
import { ADMIN_PASSWORD } from '../../../packages/cloud/src/api/api-fixture.js';
import { buildCloudApp, type CloudApp } from '../../../packages/cloud/src/app.js';
import { loadConfig } from '../../../packages/cloud/src/config.js';
import type { SignInTables } from '../../../packages/cloud/src/sign-in/schema.js';
import { retireSigningKeys, rotateSigningKey } from '../../../packages/cloud/src/sign-in/signing-keys.js';
import { bindAs, createUser } from '../../support/ad.js';
import { createPso, readPwdLastSet, replaceAttribute, type TestPso } from '../../support/password-policy.js';
import { type AgentFixture, eventually, startAgentFixture } from './agent-fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;
let a: AgentFixture;
let restarted: CloudApp | undefined;
let adminToken: string;
let pso: TestPso | undefined;
const logs: string[] = [];
const created: string[] = [];

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false, logs });
  adminToken = a.fx.adminToken;
});
after(async () => {
  await pso?.remove();
  await restarted?.close();
  await a?.close();
});

/** The admin API with the current admin token (the fixture's dies with the cloud's old keys). */
async function admin(path: string): Promise<{ status: number; body: unknown; text: string }> {
  return a.fx.call('GET', path, { token: adminToken });
}

async function cloudUser(sam: string): Promise<Record<string, unknown> | undefined> {
  const res = await admin(
    `/v1.0/users/${encodeURIComponent(`${sam}@${a.fx.domain}`)}?$select=id,displayName`,
  );
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, res.text);
  return res.body as Record<string, unknown>;
}

async function syncedCount(): Promise<number> {
  const res = await admin('/v1.0/users?$filter=onPremisesSyncEnabled eq true&$count=true&$top=1');
  assert.equal(res.status, 200, res.text);
  return Number((res.body as { '@odata.count': number })['@odata.count']);
}

async function newUser(sam: string, displayName: string) {
  const u = await createUser({ ou: a.ou, sam, displayName });
  created.push(u.sam);
  return u;
}

async function configurationStatus(): Promise<{ state: string; reason: string | null }> {
  const res = await admin(`/v1.0/cloudsync/configurations/${a.configurationId}`);
  assert.equal(res.status, 200, res.text);
  return (res.body as { status: { state: string; reason: string | null } }).status;
}

/** A logger that keeps every line (for assertions on what the agent said). */
function collectingLog(lines: string[]): Logger {
  return pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
}

/** The agent service with fast loops until `stop` aborts. */
function startService(stop: AbortController, log: Logger, now?: () => Date) {
  return runService({
    stateDir: a.stateDir,
    log,
    signal: stop.signal,
    heartbeatMs: 500,
    scheduleMs: 1000,
    watch: false,
    reconcileMinIntervalMs: 0,
    ...(now ? { passwordRotation: { now } } : {}),
  });
}

/**
 * What an operator does to rotate the tenant's signing keys: a new key, the old ones retired, the
 * cloud restarted on the same database and port. Every token signed before is now refused.
 */
async function rotateKeysAndRestartCloud(): Promise<void> {
  const db = a.fx.cloud.store.db;
  const { rows } = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const file = rows.find((r) => r.name === 'main')?.file;
  assert.ok(file, 'the fixture cloud runs on a SQLite file');
  const keys = db.withTables<SignInTables>();
  await rotateSigningKey(keys);
  const retired = await retireSigningKeys(keys, new Date());
  assert.equal(retired.length, 1, 'the key the agent token was signed with is retired');
  await a.fx.cloud.close();
  const port = Number(new URL(a.fx.url).port);
  const config = loadConfig({
    env: {},
    flags: { data: dirname(file), port, host: '127.0.0.1', logLevel: 'silent' },
  });
  restarted = await buildCloudApp({ config, logger: pino({ level: 'silent' }) });
  await restarted.app.listen({ host: '127.0.0.1', port });
  // The test's HTTP client may hold a keep-alive socket to the old process: the first POST can fail.
  adminToken = await eventually(
    () => a.fx.tokenFor(`admin@${a.fx.domain}`, ADMIN_PASSWORD),
    'an admin token from the restarted cloud',
    10_000,
  );
}

test("the cloud's signing keys rotated and retired: the agent renews its token, the change arrives once", async () => {
  const rt = await a.runtime();
  try {
    const u = await newUser('tok', 'Before Rotation');
    const configuration = await a.configuration();
    const first = await runCycle(rt.cycleDeps, configuration);
    assert.equal(first.state, 'accepted', JSON.stringify(first));
    assert.equal((await cloudUser(u.sam))?.displayName, 'Before Rotation');

    await rotateKeysAndRestartCloud();
    const refused = await a.fx.call('GET', '/v1.0/users?$top=1', { token: a.fx.adminToken });
    assert.equal(refused.status, 401, 'tokens signed with the retired key are refused');

    await replaceAttribute(u.dn, 'displayName', ['After Rotation']);
    const v = await newUser('tok2', 'New After Rotation');
    const before = logs.length;
    const second = await runCycle(rt.cycleDeps, configuration);
    assert.equal(second.error, undefined, JSON.stringify(second));
    assert.equal(second.state, 'accepted');
    assert.ok(
      logs
        .slice(before)
        .some((l) => l.includes('the cloud refused the access token (HTTP 401): renewing it')),
      'the agent logged the renewal',
    );
    assert.equal((await cloudUser(u.sam))?.displayName, 'After Rotation');
    assert.equal((await cloudUser(v.sam))?.displayName, 'New After Rotation');
    assert.equal(await syncedCount(), created.length, 'each user exactly once');
    const again = await runCycle(rt.cycleDeps, configuration);
    assert.equal(again.counts?.upserts ?? 0, 0, `nothing applied twice: ${JSON.stringify(again.counts)}`);
  } finally {
    rt.close();
  }
});

test('the service account password nears its expiry: the agent changes it and keeps syncing', async () => {
  const account = a.installed.account;
  pso = await createPso({ appliesTo: [account.dn], maxPwdAgeDays: 2, minPwdAgeDays: 0 });
  const old = (await readCredentials(a.stateDir))?.password;
  assert.ok(old);
  const setBefore = await readPwdLastSet(account.dn);
  const lines: string[] = [];
  const stop = new AbortController();
  // A day and a half into a two-day lifetime: past half-way, so the change is due.
  const service = startService(stop, collectingLog(lines), () => new Date(Date.now() + 1.5 * DAY_MS));
  try {
    const fresh = await eventually(async () => {
      const now = (await readCredentials(a.stateDir))?.password;
      return now && now !== old ? now : undefined;
    }, 'a new password in the credentials file');
    assert.ok((await readPwdLastSet(account.dn)) > setBefore, 'pwdLastSet advanced');
    await bindAs(account.upn, fresh);
    await assert.rejects(bindAs(account.upn, old), 'the old password no longer binds');
    assert.ok(lines.some((l) => l.includes('changed the service account password before it expires')));
    const status = await readStatus(a.stateDir);
    assert.ok(status.password?.changedAt, JSON.stringify(status.password));
    assert.match(formatStatus(status), /password {4}.*changed by the agent at/);
    assert.ok(!lines.some((l) => l.includes(old) || l.includes(fresh)), 'no password in the log');

    const u = await newUser('rot', 'After Password Change');
    await eventually(() => cloudUser(u.sam), 'a user synced with the new password');
    assert.equal((await readCredentials(a.stateDir))?.password, fresh, 'changed once, not at every cycle');
  } finally {
    stop.abort();
    await service;
    await pso.remove();
    pso = undefined;
  }
});

test('the password has expired (pwdLastSet=0): a clear error in the cloud, then repair and recovery', async () => {
  const account = a.installed.account;
  await replaceAttribute(account.dn, 'pwdLastSet', ['0']);
  const late = await newUser('late', 'Created While Expired');
  const stop = new AbortController();
  const service = startService(stop, collectingLog([]));
  try {
    const status = await eventually(async () => {
      const s = await configurationStatus();
      return s.state === 'error' && s.reason?.includes('AD_BIND_FAILED') ? s : undefined;
    }, 'the error in the configuration status');
    assert.match(status.reason ?? '', /data 773/);
    assert.match(status.reason ?? '', /password change at next logon/);
    assert.match(status.reason ?? '', /cloudsync agent install/);
    const local = (await readStatus(a.stateDir)).lastCycles[0];
    assert.equal(local?.error?.code, 'AD_BIND_FAILED', JSON.stringify(local));
    assert.equal(await cloudUser(late.sam), undefined, 'nothing synced meanwhile');

    // The repair runs beside the service, as an administrator would on the agent host.
    await a.installAgain({ passwordHashSync: false });
    assert.ok(
      a.printed.some((l) => l.includes('AD refused the password (must_change_password); set a new one')),
      a.printed.join('\n'),
    );
    await eventually(() => cloudUser(late.sam), 'the user created while the password was expired');
    await eventually(
      async () => ((await configurationStatus()).state === 'healthy' ? true : undefined),
      'the configuration healthy again',
    );
    assert.equal(await syncedCount(), created.length, 'each user exactly once');
  } finally {
    stop.abort();
    await service;
  }
});
