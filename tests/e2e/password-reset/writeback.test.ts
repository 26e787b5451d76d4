// Self-service reset of a synced user, end to end: a user made in the Samba DC, synced by a real
// agent, resets in headless Chromium with an authenticator code; the agent's writeback worker (in
// this process, with the agent's own key) writes the password to AD over LDAPS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { PROTOCOL_VERSION } from '@cloudsync/protocol';
import { generate, generateSecret } from 'otplib';
import { loadKey } from '../../../packages/agent/src/state/identity.js';
import { createTokenSource, sendHttp } from '../../../packages/agent/src/uplink/index.js';
import { enableWriteback } from '../../../packages/agent/src/writeback/enable.js';
import {
  createWritebackChannel,
  createWritebackWorker,
} from '../../../packages/agent/src/writeback/index.js';
import { ADMIN_PASSWORD } from '../../../packages/cloud/src/api/api-fixture.js';
import { createPasswordResetter } from '../../../packages/cloud/src/password-reset/reset-password.js';
import type { PasswordResetExtraTables } from '../../../packages/cloud/src/password-reset/schema.js';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { adFromEnv, bindAs, createUser, withDomainRootAclLock } from '../../support/ad.js';
import { type AgentFixture, agentLog, startAgentFixture } from '../sync/agent-fixture.js';

const OLD = 'Old-Passw0rd!1';
let fx: AgentFixture;
let browser: TestBrowser;
let user: { dn: string; sam: string; cloudId: string; upn: string };
const totp = generateSecret();
const worker = new AbortController();
let running: Promise<void> | undefined;

function startWorker() {
  running = (async () => {
    const rt = await fx.runtime();
    const key = await loadKey(fx.stateDir);
    if (!key) throw new Error('no agent key');
    const { identity } = rt;
    const tokens = createTokenSource({
      clientId: identity.clientId,
      tokenEndpoint: identity.tokenEndpoint,
      privateKey: key.privateKey,
      send: sendHttp,
    });
    const channel = createWritebackChannel({ apiBaseUrl: identity.apiBaseUrl, tokens, send: sendHttp });
    await createWritebackWorker({
      channel,
      connectAd: rt.cycleDeps.connectAd,
      privateKey: key.privateKey,
      log: agentLog(),
      waitSeconds: 2,
    }).run(worker.signal);
  })();
}

async function cloudHash(): Promise<string | null> {
  const row = await fx.fx.cloud.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', user.cloudId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

async function signsIn(password: string): Promise<boolean> {
  const res = await fetch(`${fx.fx.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'cloudsync-cli',
      username: user.upn,
      password,
    }),
  });
  return res.status === 200;
}

async function adAccepts(password: string): Promise<boolean> {
  return bindAs(user.dn, password).then(
    () => true,
    () => false,
  );
}

/** A Kerberos AS exchange with the password: Samba checks the current keys only. */
function kerberosAccepts(password: string): Promise<boolean> {
  const ad = adFromEnv();
  return new Promise((resolve) => {
    const child = execFile(
      'kinit',
      [`${user.sam}@${ad.realm}`],
      { env: { ...process.env, KRB5_CONFIG: ad.krb5Conf ?? '', KRB5CCNAME: 'MEMORY:' }, timeout: 15_000 },
      (err) => resolve(!err),
    );
    child.stdin?.end(`${password}\n`);
  });
}

before(async () => {
  fx = await startAgentFixture({ passwordHashSync: true });
  const ad = adFromEnv();
  // `cloudsync agent writeback enable`: rights for the service account in AD, writeback on.
  const printed: string[] = [];
  const granted = await withDomainRootAclLock(() =>
    enableWriteback({
      stateDir: fx.stateDir,
      adminUser: `admin@${fx.fx.domain}`,
      adminPassword: ADMIN_PASSWORD,
      domainAdmin: ad.adminUpn,
      domainAdminPassword: ad.adminPassword,
      print: (line) => printed.push(line),
    }),
  );
  assert.deepEqual(granted.map((g) => g.right).sort(), [
    'Reset Password',
    'Write lockoutTime',
    'Write pwdLastSet',
  ]);
  assert.ok(
    printed.some((l) => /^granted Reset Password to /.test(l)),
    printed.join('\n'),
  );
  assert.ok(printed.some((l) => /^password writeback is on for /.test(l)));
  const policy = await fx.fx.call('GET', '/v1.0/cloudsync/passwordResetPolicy');
  const writeback = (policy.body as { writeback: { passwordWriteback: boolean; agents: unknown[] }[] })
    .writeback;
  assert.equal(writeback[0]?.passwordWriteback, true, 'the cloud shows writeback on, per agent');
  assert.equal(writeback[0]?.agents.length, 1);
  const made = await createUser({ ou: fx.ou, sam: 'sspr', givenName: 'Reset', sn: 'Me', password: OLD });
  await fx.cycle({ kind: 'full' });
  // The agent is active for the cloud once it heartbeats (its service does this every 30 s).
  const rt = await fx.runtime();
  await rt.uplink.heartbeat({
    status: 'idle',
    currentCycle: null,
    versions: { agent: '0.1.0', protocol: PROTOCOL_VERSION },
    configurationVersions: {},
    lastError: null,
    sentAt: new Date().toISOString(),
  });
  rt.close();
  const row = await fx.fx.cloud.store.db
    .selectFrom('users')
    .select(['id', 'user_principal_name'])
    .where('on_premises_sam_account_name', '=', made.sam)
    .executeTakeFirstOrThrow();
  user = { dn: made.dn, sam: made.sam, cloudId: row.id, upn: row.user_principal_name };
  await fx.fx.cloud.passwordReset.policies.update({ enabledFor: 'all' });
  await fx.fx.cloud.passwordReset.methods.set(user.cloudId, { kind: 'authenticatorApp', value: totp });
  browser = await launchBrowser();
});

after(async () => {
  worker.abort();
  await running?.catch(() => undefined);
  await browser?.close();
  await fx?.close();
});

test('the agent does not answer: the reset fails clearly within the bound and nothing changes', async () => {
  assert.equal(await signsIn(OLD), true, 'password hash sync brought the AD password');
  const before = await cloudHash();
  const cloud = fx.fx.cloud;
  const reset = createPasswordResetter({
    db: cloud.store.db.withTables<PasswordResetExtraTables>(),
    audit: cloud.directory.audit,
    policies: cloud.passwordReset.policies,
    lockout: cloud.auth.guard.lockout,
    writeback: cloud.cloudSync,
    log: cloud.app.log,
    writebackTimeoutMs: 1500,
  });
  const outcome = await reset(user.cloudId, 'Never-Applied9!', 'password-reset');
  assert.equal(outcome.ok, false);
  assert.match(
    !outcome.ok ? outcome.reason : '',
    /^The on-premises agent did not answer: it gave no result within 2 s/,
  );
  assert.equal(await cloudHash(), before);
  assert.equal(await adAccepts(OLD), true);
  assert.equal(await adAccepts('Never-Applied9!'), false);
});

async function resetInBrowser(newPassword: string) {
  const page = await browser.context.newPage();
  await page.goto(`${fx.fx.url}/password-reset`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Use a code from my authenticator app' }).click();
  await page.getByLabel('Code').fill(await generate({ secret: totp }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await page.getByRole('heading').first().waitFor();
  return page;
}

test('a too-short password is refused with AD’s own reason, and nothing changes', async () => {
  startWorker();
  const before = await cloudHash();
  const page = await resetInBrowser('Ab1!');
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 40_000 });
  const said = (await alert.textContent()) ?? '';
  assert.match(said, /Active Directory refused the new password: .*0000052D/);
  assert.match(said, /too short|password restrictions|check_password_restrictions/i);
  assert.equal(await cloudHash(), before);
  assert.equal(await adAccepts(OLD), true);
  await page.close();
});

test('a reset is written to AD first; AD and cloud sign-in take the new password, not the old', async () => {
  const next = 'New-Passw0rd!2';
  const page = await resetInBrowser(next);
  await page.getByRole('heading', { name: 'Password reset' }).waitFor({ timeout: 40_000 });
  await page.close();
  assert.equal(await adAccepts(next), true, 'AD accepts an LDAP bind with the new password');
  // Samba still accepts the previous password in simple binds for an hour ("old password allowed
  // period"); Kerberos checks the current keys only, so it proves the old one is gone.
  assert.equal(await kerberosAccepts(next), true);
  assert.equal(await kerberosAccepts(OLD), false, 'AD refuses the old password');
  assert.equal(await signsIn(next), true, 'the cloud sign-in follows');
  assert.equal(await signsIn(OLD), false);
  const audits = await fx.fx.cloud.store.db
    .selectFrom('directory_audits')
    .select(['result', 'modified_properties'])
    .where('target_id', '=', user.cloudId)
    .where('activity_display_name', '=', 'Reset password (self-service)')
    .execute();
  assert.deepEqual(audits.map((a) => a.result).sort(), ['failure', 'failure', 'success']);
  for (const a of audits)
    assert.ok(!a.modified_properties.includes(next) && !a.modified_properties.includes(OLD));
});
