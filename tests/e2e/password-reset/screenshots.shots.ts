// The README's pictures of the sign-in and self-service password reset, taken in headless Chromium
// against the real stack: a whole cloud with the Mail demo and an SMTP sink, and, for the reset, a
// real agent writing back to the Samba DC (so AD's own refusal text is shown). Not part of
// `npm test` (its name does not end in .test.ts): run `npm run screenshots`, which starts the test
// harness's DC and writes docs/screenshots/{sign-in,mail,password-reset}-*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { type MailDemoCloud, signOutOfMail, startMailDemoCloud } from './mail-demo-fixture.js';
import { startWritebackFixture, type WritebackFixture } from './writeback-fixture.js';

const SHOTS = join(new URL('../../..', import.meta.url).pathname, 'docs/screenshots');
let browser: TestBrowser;
let mc: MailDemoCloud;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mc = await startMailDemoCloud();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mc?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 960, height: 720 });
  page.setDefaultTimeout(40_000);
  return page;
}
/** The whole page; `height` crops a page whose content is shorter than the window (the Mail demo's). */
async function shot(page: Page, name: string, height?: number) {
  if (height) await page.setViewportSize({ width: 960, height });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Mail's sign-in link, then the cloud's sign-in page with the name typed. */
async function toSignIn(upn: string): Promise<Page> {
  const page = await newPage();
  await page.goto(mc.demo.url);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(upn);
  return page;
}

test('sign-in, registration, the Mail inbox', async () => {
  await mc.rc.cloud.passwordReset.policies.update({
    enabledFor: 'all',
    methods: ['email', 'authenticatorApp'],
    registrationRequired: true,
  });
  const user = await mc.rc.addUser('adele.vance');
  await mc.license(user.id);
  const page = await toSignIn(user.upn);
  await shot(page, 'sign-in');
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'More information required' }).waitFor();
  await shot(page, 'sign-in-registration');
  await page.getByRole('button', { name: 'Use an authenticator app' }).click();
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
  await shot(page, 'sign-in-registration-app');
  await page.getByLabel('Code').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  await shot(page, 'mail-inbox', 460);
  await signOutOfMail(page);
});

test('a user without a mail licence, and smart lockout', async () => {
  await mc.rc.cloud.passwordReset.policies.update({ registrationRequired: false });
  const user = await mc.rc.addUser('pradeep.gupta');
  const page = await toSignIn(user.upn);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'No mailbox for this account' }).waitFor();
  await shot(page, 'mail-no-licence', 520);
  await signOutOfMail(page);

  const locked = await toSignIn(user.upn);
  for (let i = 0; i < 10; i++) {
    await locked.getByLabel('Password').fill(`wrong-${i}`);
    await locked.getByRole('button', { name: 'Sign in' }).click();
    await locked.getByRole('alert').waitFor();
  }
  assert.match((await locked.getByRole('alert').textContent()) ?? '', /locked/);
  await shot(locked, 'sign-in-lockout');
  await locked.close();
});

test('self-service reset of a synced user, written back to AD by the agent', async () => {
  let wb: WritebackFixture | undefined;
  try {
    wb = await startWritebackFixture({
      password: 'Old-Passw0rd!1',
      sam: 'alex',
      givenName: 'Alex',
      sn: 'Wilber',
    });
    const { fx, user } = wb;
    // Two methods, so the page offers a choice; the code comes from the authenticator.
    await fx.fx.cloud.passwordReset.methods.set(user.cloudId, {
      kind: 'email',
      value: 'alex.wilber@example.org',
    });
    wb.startWorker();
    const page = await newPage();
    await page.goto(`${fx.fx.url}/password-reset`);
    await page.getByLabel('Username').fill(user.upn);
    await shot(page, 'password-reset-account');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Verify it is you' }).waitFor();
    await shot(page, 'password-reset-method');
    await page.getByRole('button', { name: 'Use a code from my authenticator app' }).click();
    await page.getByLabel('Code').fill(await generate({ secret: wb.totp }));
    await shot(page, 'password-reset-code');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByLabel('New password', { exact: true }).fill('Ab1!');
    await page.getByLabel('Confirm new password').fill('Ab1!');
    await shot(page, 'password-reset-new-password');
    await page.getByRole('button', { name: 'Reset password' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Active Directory refused/);
    await shot(page, 'password-reset-refused');
    await page.getByLabel('New password', { exact: true }).fill('New-Passw0rd!2');
    await page.getByLabel('Confirm new password').fill('New-Passw0rd!2');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('heading', { name: 'Password reset' }).waitFor();
    await shot(page, 'password-reset-done');
    await page.close();
  } finally {
    await wb?.close();
  }
});
