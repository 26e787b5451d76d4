// Cloud-only users in headless Chromium against a whole cloud: registration of an e-mail method,
// reset by an e-mailed code read from the SMTP sink, change with the old password, the admin policy,
// and smart lockout engaging and releasing on the sign-in page (the cloud's clock is moved).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { type ResetCloud, startResetCloud } from './cloud-fixture.js';

let rc: ResetCloud;
let browser: TestBrowser;

before(async () => {
  rc = await startResetCloud();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await rc?.close();
});

const codeIn = (text: string) => /verification code is (\d{8})/.exec(text)?.[1] ?? '';

test('the admin policy: GlobalAdministrator reads and patches it, bad bodies name the property', async () => {
  const call = (method: string, body?: unknown) =>
    fetch(`${rc.url}/v1.0/cloudsync/passwordResetPolicy`, {
      method,
      headers: { authorization: `Bearer ${rc.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const initial = (await (await call('GET')).json()) as Record<string, unknown>;
  assert.equal(initial.enabledFor, 'none');
  assert.deepEqual(initial.writeback, []);
  const bad = await call('PATCH', { enabledFor: 'group' });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { target: string } }).error.target, 'groupId');
  const unknown = await call('PATCH', { enabledFor: 'all', colour: 'red' });
  assert.equal(unknown.status, 400);
  const ok = await call('PATCH', { enabledFor: 'all', methods: ['email'] });
  assert.equal(ok.status, 200);
  assert.deepEqual(((await ok.json()) as { methods: string[] }).methods, ['email']);
  const anonymous = await fetch(`${rc.url}/v1.0/cloudsync/passwordResetPolicy`);
  assert.equal(anonymous.status, 401);
});

test('a cloud-only user registers an e-mail address, then resets by the e-mailed code', async () => {
  await rc.cloud.passwordReset.policies.update({ enabledFor: 'all', methods: ['email', 'authenticatorApp'] });
  const user = await rc.addUser('megan');
  const page = await browser.context.newPage();
  await page.goto(`${rc.url}/password-reset/register`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail address').fill('megan.private@example.org');
  let since = rc.sink.messages().length;
  await page.getByRole('button', { name: 'Send a code' }).click();
  const registration = await rc.sink.waitFor('megan.private@example.org', { since });
  await page.getByLabel('Code').fill(codeIn(registration.text));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Method registered' }).waitFor();

  await page.goto(`${rc.url}/password-reset`);
  await page.getByLabel('Username').fill(user.upn);
  await page.getByRole('button', { name: 'Next' }).click();
  since = rc.sink.messages().length;
  await page.getByRole('button', { name: /E-mail me a code at m\*\*\*@example\.org/ }).click();
  const mail = await rc.sink.waitFor('megan.private@example.org', { since });
  const code = codeIn(mail.text);
  assert.match(code, /^\d{8}$/);
  await page.getByLabel('Code').fill(code === '00000000' ? '11111111' : '00000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  assert.equal((await page.getByRole('alert').textContent())?.trim(), 'That code is not right.');
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Confirm new password').fill('short');
  await page.getByRole('button', { name: 'Reset password' }).click();
  assert.match((await page.getByRole('alert').textContent()) ?? '', /complexity/);
  const next = 'Brand-New-Passw0rd';
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(next);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await page.getByRole('heading', { name: 'Password reset' }).waitFor();
  await page.close();

  assert.equal((await rc.tokenFor(user.upn, next)).status, 200);
  assert.equal((await rc.tokenFor(user.upn, user.password)).status, 400);
  const stored = await rc.cloud.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  assert.match(stored.password_hash ?? '', /^\$scrypt\$/);
});

test('a used code cannot be used again, and an expired one is refused', async () => {
  const user = await rc.addUser('alex');
  await rc.cloud.passwordReset.methods.set(user.id, { kind: 'email', value: 'alex@example.org' });
  const page = await browser.context.newPage();
  const start = async () => {
    await page.goto(`${rc.url}/password-reset`);
    await page.getByLabel('Username').fill(user.upn);
    await page.getByRole('button', { name: 'Next' }).click();
    const since = rc.sink.messages().length;
    await page.getByRole('button', { name: /E-mail me a code/ }).click();
    return codeIn((await rc.sink.waitFor('alex@example.org', { since })).text);
  };
  const code = await start();
  rc.advance(10 * 60_000 + 1_000);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Code refused' }).waitFor();

  const fresh = await start();
  const flow = (await page.locator('input[name=flow]').getAttribute('value')) ?? '';
  await page.getByLabel('Code').fill(fresh);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByLabel('New password', { exact: true }).waitFor();
  await page.close();
  const again = await fetch(`${rc.url}/password-reset/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ flow, code: fresh }),
  });
  assert.equal(again.status, 400);
  assert.match(await again.text(), /Code refused/);
});

test('smart lockout engages on the sign-in page, tells when it ends, and releases', async () => {
  const user = await rc.addUser('lynne');
  const app = await rc.cloud.auth.apps.create({
    displayName: 'Lockout Probe',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: ['http://127.0.0.1:9/cb'],
    firstParty: true,
  });
  const client = await oidc.discovery(new URL(rc.cloud.auth.issuer), app.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: 'http://127.0.0.1:9/cb',
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const page = await browser.context.newPage();
  let back = false;
  await page.route('http://127.0.0.1:9/cb**', (route) => {
    back = true;
    return route.fulfill({ status: 200, body: 'back' });
  });
  await page.goto(url.href);
  await page.getByLabel('Username').fill(user.upn);
  for (let i = 0; i < 10; i++) {
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
  }
  const locked = (await page.getByRole('alert').textContent()) ?? '';
  assert.match(locked, /locked/);
  assert.match(locked, /The lock ends at \d{4}-\d\d-\d\dT/);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(
    (await page.getByRole('alert').textContent()) ?? '',
    /locked/,
    'the right password still fails',
  );
  rc.advance(61_000);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('back').waitFor();
  assert.equal(back, true);
  await page.close();
});
