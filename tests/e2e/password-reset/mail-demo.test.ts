// The Mail demo as its own relying party (openid-client v6, code + PKCE) against a whole cloud, in
// headless Chromium: a licensed user sees an empty inbox, an unlicensed one a polite refusal, and
// sign-out ends the cloud session (RP-initiated logout).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import type { ResetCloud } from './cloud-fixture.js';
import { type MailDemoCloud, signInToMail, startMailDemoCloud } from './mail-demo-fixture.js';

let mc: MailDemoCloud;
let rc: ResetCloud;
let demo: MailDemoCloud['demo'];
let browser: TestBrowser;

before(async () => {
  mc = await startMailDemoCloud();
  ({ rc, demo } = mc);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mc?.close();
});

const signIn = (upn: string, password: string) => signInToMail(browser.context, demo.url, upn, password);

test('a licensed user signs in to Mail and sees an empty inbox; sign-out ends the cloud session', async () => {
  const user = await rc.addUser('adele');
  await mc.license(user.id);
  const page = await signIn(user.upn, user.password);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inbox');
  assert.equal(await page.getByRole('status').textContent(), 'Your inbox is empty.');
  assert.ok((await page.textContent('header'))?.includes(user.upn));
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The provider asks to confirm the logout, then sends the browser back to the demo.
  const confirm = page.getByRole('button', { name: /yes|sign out|log out/i });
  if (await confirm.count()) await confirm.first().click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Password').waitFor();
  assert.match(page.url(), /\/sign-in\//, 'the cloud asks for the password again');
  await page.close();
});

test('a user without a mail licence is refused politely', async () => {
  const user = await rc.addUser('pradeep');
  const page = await signIn(user.upn, user.password);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'No mailbox for this account');
  assert.match((await page.getByRole('alert').textContent()) ?? '', /no licence that includes mail/);
  await page.close();
});
