// The Mail demo as its own relying party (openid-client v6, code + PKCE) against a whole cloud, in
// headless Chromium: a licensed user sees an empty inbox, an unlicensed one a polite refusal, and
// sign-out ends the cloud session (RP-initiated logout).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../../packages/cloud/src/directory/actor.js';
import { startMailDemo } from '../../../packages/demo-mail/src/server.js';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { type ResetCloud, startResetCloud } from './cloud-fixture.js';

const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
let rc: ResetCloud;
let browser: TestBrowser;
let demo: Awaited<ReturnType<typeof startMailDemo>>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

before(async () => {
  rc = await startResetCloud();
  const port = await freePort();
  const demoUrl = `http://127.0.0.1:${port}`;
  const app = await rc.cloud.auth.apps.create({
    displayName: 'Mail',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [`${demoUrl}/callback`],
    postLogoutRedirectUris: [`${demoUrl}/`],
    firstParty: true,
  });
  demo = await startMailDemo({ cloudUrl: rc.url, clientId: app.clientId, port, allowInsecure: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.close();
  await rc?.close();
});

async function signIn(upn: string, password: string) {
  const page = await browser.context.newPage();
  await page.goto(demo.url);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(upn);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading').first().waitFor();
  await page.waitForURL(`${demo.url}/`);
  return page;
}

test('a licensed user signs in to Mail and sees an empty inbox; sign-out ends the cloud session', async () => {
  const user = await rc.addUser('adele');
  await rc.cloud.directory.users.update(SYSTEM_ACTOR, user.id, { usageLocation: 'GB' });
  await rc.cloud.directory.licenses.assign(SYSTEM_ACTOR, user.id, {
    addLicenses: [{ skuId: E3, disabledPlans: [] }],
    removeLicenses: [],
  });
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
