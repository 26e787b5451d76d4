// Self-service reset of a synced user, end to end: a user made in the Samba DC, synced by a real
// agent, resets in headless Chromium with an authenticator code; the agent's writeback worker (in
// this process, with the agent's own key) writes the password to AD over LDAPS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import { createPasswordResetter } from '../../../packages/cloud/src/password-reset/reset-password.js';
import type { PasswordResetExtraTables } from '../../../packages/cloud/src/password-reset/schema.js';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { adFromEnv, bindAs } from '../../support/ad.js';
import type { AgentFixture } from '../sync/agent-fixture.js';
import { startWritebackFixture, type WritebackFixture } from './writeback-fixture.js';

const OLD = 'Old-Passw0rd!1';
let wb: WritebackFixture;
let fx: AgentFixture;
let browser: TestBrowser;
let user: WritebackFixture['user'];
let totp: string;

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
  wb = await startWritebackFixture({ password: OLD, sam: 'sspr', givenName: 'Reset', sn: 'Me' });
  ({ fx, user, totp } = wb);
  // `cloudsync agent writeback enable`: rights for the service account in AD, writeback on.
  assert.deepEqual(wb.granted.map((g) => g.right).sort(), [
    'Reset Password',
    'Write lockoutTime',
    'Write pwdLastSet',
  ]);
  assert.ok(
    wb.printed.some((l) => /^granted Reset Password to /.test(l)),
    wb.printed.join('\n'),
  );
  assert.ok(wb.printed.some((l) => /^password writeback is on for /.test(l)));
  const policy = await fx.fx.call('GET', '/v1.0/cloudsync/passwordResetPolicy');
  const writeback = (policy.body as { writeback: { passwordWriteback: boolean; agents: unknown[] }[] })
    .writeback;
  assert.equal(writeback[0]?.passwordWriteback, true, 'the cloud shows writeback on, per agent');
  assert.equal(writeback[0]?.agents.length, 1);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await wb?.close();
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
  wb.startWorker();
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
