// A whole cloud (see cloud-fixture.ts) with the Mail demo registered as its first-party app and
// running beside it, for the browser tests and the screenshots of the sign-in pages.
import type { BrowserContext, Page } from 'playwright-core';
import type { CloudApp } from '../../../packages/cloud/src/app.js';
import { SYSTEM_ACTOR } from '../../../packages/cloud/src/directory/actor.js';
import { startMailDemo } from '../../../packages/demo-mail/src/server.js';
import { freePort } from '../../harness/process.js';
import { type ResetCloud, startResetCloud } from './cloud-fixture.js';

/** Office 365 E3: its plans include Exchange Online, so its holders get a mailbox. */
export const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';

export interface MailDemo {
  demo: Awaited<ReturnType<typeof startMailDemo>>;
  /** Gives the user a usage location and the E3 licence. */
  license(userId: string): Promise<void>;
  close(): Promise<void>;
}

export interface MailDemoCloud extends MailDemo {
  rc: ResetCloud;
}

/** Registers Mail as a first-party app of `cloud` (listening at `cloudUrl`) and starts it beside it. */
export async function startMailDemoFor(cloud: CloudApp, cloudUrl: string): Promise<MailDemo> {
  const port = await freePort();
  const demoUrl = `http://127.0.0.1:${port}`;
  const app = await cloud.auth.apps.create({
    displayName: 'Mail',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [`${demoUrl}/callback`],
    postLogoutRedirectUris: [`${demoUrl}/`],
    firstParty: true,
  });
  const demo = await startMailDemo({ cloudUrl, clientId: app.clientId, port, allowInsecure: true });
  return {
    demo,
    async license(userId) {
      await cloud.directory.users.update(SYSTEM_ACTOR, userId, { usageLocation: 'GB' });
      await cloud.directory.licenses.assign(SYSTEM_ACTOR, userId, {
        addLicenses: [{ skuId: E3, disabledPlans: [] }],
        removeLicenses: [],
      });
    },
    close: () => demo.close(),
  };
}

export async function startMailDemoCloud(): Promise<MailDemoCloud> {
  const rc = await startResetCloud();
  const mail = await startMailDemoFor(rc.cloud, rc.url);
  return {
    ...mail,
    rc,
    async close() {
      await mail.close();
      await rc.close();
    },
  };
}

/** Signs in to Mail in a new page through the cloud's sign-in page; back on Mail's start page. */
export async function signInToMail(
  context: BrowserContext,
  demoUrl: string,
  upn: string,
  password: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(demoUrl);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(upn);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading').first().waitFor();
  await page.waitForURL(`${demoUrl}/`);
  return page;
}

/** Mail's "Sign out": RP-initiated logout (confirmed when the provider asks), back on Mail's start page; closes the page. */
export async function signOutOfMail(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  const confirm = page.getByRole('button', { name: /yes|sign out|log out/i });
  if (await confirm.count()) await confirm.first().click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await page.close();
}
