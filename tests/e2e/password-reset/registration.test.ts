// Registration at sign-in in headless Chromium: with the reset policy requiring registration, a user
// with no method signs in to the Mail demo, is asked for more information, registers an
// authenticator app (the code computed here from the key the page shows) and lands in the inbox;
// the next sign-in is not interrupted, nor is anyone's when the policy does not require it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { type MailDemoCloud, signOutOfMail, startMailDemoCloud } from './mail-demo-fixture.js';

let mc: MailDemoCloud;
let browser: TestBrowser;

before(async () => {
  mc = await startMailDemoCloud();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mc?.close();
});

const requireRegistration = (registrationRequired: boolean) =>
  mc.rc.cloud.passwordReset.policies.update({
    enabledFor: 'all',
    methods: ['email', 'authenticatorApp'],
    registrationRequired,
  });

/** A fresh browser page: Mail's sign-in link, then the cloud's sign-in page with the password. */
async function signIn(user: { upn: string; password: string }): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(mc.demo.url);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(user.upn);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

const inbox = (page: Page) => page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();

test('a user with no method registers an authenticator app at sign-in and lands in Mail', async () => {
  await requireRegistration(true);
  const user = await mc.rc.addUser('patti');
  await mc.license(user.id);
  const page = await signIn(user);
  await page.getByRole('heading', { level: 1, name: 'More information required' }).waitFor();
  assert.equal(await page.title(), 'More information required · cloudsync');
  // The heading can be drawn before the browser applies autofocus: wait for it, then assert.
  await page.waitForFunction(() => document.activeElement?.id === 'address').catch(() => undefined);
  assert.equal(
    await page.evaluate(() => document.activeElement?.id),
    'address',
    'the first field has the focus',
  );
  // A wrong address is announced and tied to the field.
  await page.getByLabel('E-mail address').fill('patti');
  await page.getByRole('button', { name: 'Send a code' }).click();
  const alert = page.getByRole('alert');
  assert.match((await alert.textContent()) ?? '', /Enter an e-mail address/);
  const address = page.getByLabel('E-mail address');
  assert.equal(await address.getAttribute('aria-describedby'), await alert.getAttribute('id'));
  assert.equal(await address.getAttribute('aria-invalid'), 'true');

  await page.getByRole('button', { name: 'Use an authenticator app' }).click();
  await page.getByRole('img', { name: 'QR image of the authenticator key' }).waitFor();
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.match((await page.locator('#otpauth').getAttribute('href')) ?? '', /^otpauth:\/\/totp\//);
  await page.getByLabel('Code').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await inbox(page);
  assert.equal(page.url(), `${mc.demo.url}/`);
  assert.deepEqual(await mc.rc.cloud.passwordReset.methods.list(user.id), [
    { kind: 'authenticatorApp', value: secret },
  ]);
  await signOutOfMail(page);

  const again = await signIn(user);
  await inbox(again);
  await signOutOfMail(again);
});

test('a user is not interrupted when the policy does not require registration', async () => {
  await requireRegistration(false);
  const user = await mc.rc.addUser('diego');
  await mc.license(user.id);
  const page = await signIn(user);
  await inbox(page);
  assert.deepEqual(await mc.rc.cloud.passwordReset.methods.list(user.id), []);
  await signOutOfMail(page);
});
