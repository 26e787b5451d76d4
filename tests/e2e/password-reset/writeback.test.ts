// A synced user, end to end in headless Chromium against the real stack (Samba DC, cloud, agent): a
// user made in the DC and synced by a real agent (password hash sync) signs in to the Mail demo with
// the AD password, resets with an authenticator code and with an e-mailed code (read from the
// cloud's SMTP sink), is told clearly when the agent's writeback worker is stopped (the cloud waits
// 8 s, CLOUDSYNC_WRITEBACK_TIMEOUT_MS) and changes the password knowing the old one; the agent's
// worker (in this process, with the agent's own key) writes to AD over LDAPS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { adFromEnv, bindAs, createPasswordSettings, deleteEntry } from '../../support/ad.js';
import type { AgentFixture } from '../sync/agent-fixture.js';
import { type MailDemo, signInToMail, signOutOfMail, startMailDemoFor } from './mail-demo-fixture.js';
import { startWritebackFixture, type WritebackFixture } from './writeback-fixture.js';

const OLD = 'Old-Passw0rd!1';
let wb: WritebackFixture;
let fx: AgentFixture;
let browser: TestBrowser;
let user: WritebackFixture['user'];
let totp: string;
let mail: MailDemo;

async function cloudHash(): Promise<string | null> {
  const row = await fx.fx.cloud.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', user.cloudId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

const codeIn = (text: string) => /verification code is (\d{8})/.exec(text)?.[1] ?? '';

/** The user's audit entries of one activity. */
function auditsOf(activity: string) {
  return fx.fx.cloud.store.db
    .selectFrom('directory_audits')
    .select(['result', 'modified_properties'])
    .where('target_id', '=', user.cloudId)
    .where('activity_display_name', '=', activity)
    .execute();
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
  wb = await startWritebackFixture({
    password: OLD,
    sam: 'sspr',
    givenName: 'Reset',
    sn: 'Me',
    // Long enough for a running worker on a busy machine (plus the cloud's 5 s grace once it took a
    // job), short enough to wait for when it is stopped.
    writebackTimeoutMs: 8_000,
  });
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
  mail = await startMailDemoFor(fx.fx.cloud, fx.fx.url);
});

after(async () => {
  await browser?.close();
  await mail?.close();
  await wb?.close();
});

test('the synced user signs in to Mail in Chromium with the AD password and sees the inbox', async () => {
  assert.equal(await adAccepts(OLD), true);
  await mail.license(user.cloudId);
  const page = await signInToMail(browser.context, mail.demo.url, user.upn, OLD);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inbox');
  assert.ok((await page.textContent('header'))?.includes(user.upn));
  await signOutOfMail(page);
});

test('the synced user registers an e-mail address for resets, signing in with the AD password', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${fx.fx.url}/password-reset/register`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByLabel('Password').fill(OLD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail address').fill(wb.email);
  const since = wb.sink.messages().length;
  await page.getByRole('button', { name: 'Send a code' }).click();
  const mail = await wb.sink.waitFor(wb.email, { since });
  await page.getByLabel('Code').fill(codeIn(mail.text));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Method registered' }).waitFor();
  await page.close();
  const methods = await fx.fx.cloud.passwordReset.methods.list(user.cloudId);
  assert.deepEqual(methods.map((m) => m.kind).sort(), ['authenticatorApp', 'email']);
  assert.equal(methods.find((m) => m.kind === 'email')?.value, wb.email);
});

async function resetInBrowser(newPassword: string, method: 'authenticator' | 'email' = 'authenticator') {
  const page = await browser.context.newPage();
  await page.goto(`${fx.fx.url}/password-reset`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByRole('button', { name: 'Next' }).click();
  if (method === 'email') {
    const since = wb.sink.messages().length;
    await page.getByRole('button', { name: /^E-mail me a code/ }).click();
    const code = codeIn((await wb.sink.waitFor(wb.email, { since })).text);
    assert.match(code, /^\d{8}$/);
    await page.getByLabel('Code').fill(code);
  } else {
    await page.getByRole('button', { name: 'Use a code from my authenticator app' }).click();
    await page.getByLabel('Code').fill(await generate({ secret: totp }));
  }
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

test('the agent’s writeback worker stopped: the page says the agent did not answer, nothing changes', async () => {
  await wb.stopWorker();
  await wb.heartbeat(); // the service still heartbeats: the cloud counts the agent active
  const before = await cloudHash();
  const page = await resetInBrowser('Never-Applied9!', 'email');
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 40_000 });
  assert.equal(
    (await alert.textContent())?.trim(),
    'The on-premises agent did not answer: it gave no result within 8 s. Your password was not changed.',
  );
  await page.close();
  assert.equal(await cloudHash(), before);
  assert.equal(await signsIn(OLD), true, 'the cloud still takes the old password');
  assert.equal(await adAccepts(OLD), true, 'AD still takes the old password');
  assert.equal(await kerberosAccepts(OLD), true);
  assert.equal(await adAccepts('Never-Applied9!'), false);
  wb.startWorker();
});

test('a reset by e-mailed code is written to AD first; AD and cloud sign-in take the new password, not the old', async () => {
  const next = 'New-Passw0rd!2';
  const page = await resetInBrowser(next, 'email');
  await page.getByRole('heading', { name: 'Password reset' }).waitFor({ timeout: 40_000 });
  await page.close();
  assert.equal(await adAccepts(next), true, 'AD accepts an LDAP bind with the new password');
  // Samba still accepts the previous password in simple binds for an hour ("old password allowed
  // period"); Kerberos checks the current keys only, so it proves the old one is gone.
  assert.equal(await kerberosAccepts(next), true);
  assert.equal(await kerberosAccepts(OLD), false, 'AD refuses the old password');
  assert.equal(await signsIn(next), true, 'the cloud sign-in follows');
  assert.equal(await signsIn(OLD), false);
  const audits = await auditsOf('Reset password (self-service)');
  assert.deepEqual(audits.map((a) => a.result).sort(), ['failure', 'failure', 'success']);
  for (const a of audits)
    assert.ok(!a.modified_properties.includes(next) && !a.modified_properties.includes(OLD));
});

async function changeInBrowser(current: string, next: string) {
  const page = await browser.context.newPage();
  await page.goto(`${fx.fx.url}/password-reset/change`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByLabel('Current password').fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading').first().waitFor();
  return page;
}

test('change my password: a wrong current one is refused and nothing changes; the right one changes AD, then the cloud', async () => {
  const current = 'New-Passw0rd!2';
  const next = 'Changed-Passw0rd!3';
  // A user changing their own password meets AD's minimum age (1 day by default): a fine-grained
  // policy of minimum age 0 for this user alone lets the change through today.
  const pso = await createPasswordSettings({ appliesTo: [user.dn] });
  try {
    const before = await cloudHash();
    const wrong = await changeInBrowser('Not-The-Passw0rd!', next);
    assert.equal(
      (await wrong.getByRole('alert').textContent())?.trim(),
      'Your account or password is incorrect.',
    );
    assert.equal(await wrong.getByRole('heading', { level: 1 }).textContent(), 'Change your password');
    await wrong.close();
    assert.equal(await cloudHash(), before, 'the cloud is unchanged');
    assert.equal(await kerberosAccepts(current), true, 'AD still takes the current password');
    assert.equal(await kerberosAccepts(next), false);

    const right = await changeInBrowser(current, next);
    await right.getByRole('heading', { name: 'Password changed' }).waitFor({ timeout: 40_000 });
    await right.close();
    assert.equal(await adAccepts(next), true, 'AD accepts an LDAP bind with the new password');
    assert.equal(await kerberosAccepts(next), true);
    assert.equal(await kerberosAccepts(current), false, 'AD refuses the old password');
    assert.equal(await signsIn(next), true, 'the cloud sign-in follows');
    assert.equal(await signsIn(current), false);
    const audits = await auditsOf('Change password (self-service)');
    assert.deepEqual(
      audits.map((a) => a.result),
      ['success'],
    );
  } finally {
    await deleteEntry(pso).catch(() => undefined);
  }
});
