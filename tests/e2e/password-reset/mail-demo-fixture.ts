// A whole cloud (see cloud-fixture.ts) with the Mail demo registered as its first-party app and
// running beside it, for the browser tests and the screenshots of the sign-in pages.
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../../packages/cloud/src/directory/actor.js';
import { startMailDemo } from '../../../packages/demo-mail/src/server.js';
import { freePort, type ResetCloud, startResetCloud } from './cloud-fixture.js';

/** Office 365 E3: its plans include Exchange Online, so its holders get a mailbox. */
export const E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';

export interface MailDemoCloud {
  rc: ResetCloud;
  demo: Awaited<ReturnType<typeof startMailDemo>>;
  /** Gives the user a usage location and the E3 licence. */
  license(userId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startMailDemoCloud(): Promise<MailDemoCloud> {
  const rc = await startResetCloud();
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
  const demo = await startMailDemo({ cloudUrl: rc.url, clientId: app.clientId, port, allowInsecure: true });
  return {
    rc,
    demo,
    async license(userId) {
      await rc.cloud.directory.users.update(SYSTEM_ACTOR, userId, { usageLocation: 'GB' });
      await rc.cloud.directory.licenses.assign(SYSTEM_ACTOR, userId, {
        addLicenses: [{ skuId: E3, disabledPlans: [] }],
        removeLicenses: [],
      });
    },
    async close() {
      await demo.close();
      await rc.close();
    },
  };
}

/** Mail's "Sign out": RP-initiated logout (confirmed when the provider asks), back on Mail's start page; closes the page. */
export async function signOutOfMail(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  const confirm = page.getByRole('button', { name: /yes|sign out|log out/i });
  if (await confirm.count()) await confirm.first().click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await page.close();
}
