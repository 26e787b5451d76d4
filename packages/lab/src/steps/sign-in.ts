// Step 7: the Mail demo app (`cloudsync demo mail`) registered in the lab's cloud, and Bobby signing
// in to it with his AD password through the real OpenID Connect flow (code + PKCE, the cloud's own
// sign-in page), as form posts; he must land on his inbox.
import { join } from 'node:path';
import { type LabStep, LabStepError } from '../checklist.js';
import { startCloudsync } from '../children.js';
import { createFormBrowser } from '../form-browser.js';
import type { LabContext } from '../lab-context.js';
import { pageSays } from '../reset-flow.js';
import { freePort, waitUntil } from '../samba/process.js';
import { hasCommand } from './missing-pieces.js';

async function startMailApp(ctx: LabContext, cloudUrl: string): Promise<string> {
  // The demo listens on 127.0.0.1 and registers itself in the cloud's store for that port.
  const port = await freePort('127.0.0.1');
  const demo = await startCloudsync('mail', ['demo', 'mail', '--cloud', cloudUrl, '--port', String(port)], {
    logFile: join(ctx.paths.logs, 'mail.log'),
    env: { CLOUDSYNC_DATA_DIR: ctx.paths.cloud },
  });
  ctx.cleanups.push(() => demo.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('the Mail demo app', async () => (await fetch(`${url}/`)).ok, {
    timeoutMs: 60_000,
    intervalMs: 250,
    abort: demo.exitNote,
  });
  return url;
}

export const signInBobby: LabStep<LabContext> = {
  title: 'Bobby signs in to the Mail app with his AD password',
  laterStepsRunWithoutIt: true,
  async run(ctx, progress) {
    if (!(await hasCommand(['demo'], 'mail'))) {
      throw new LabStepError(
        'this checkout lacks the Mail demo app (`cloudsync demo mail`, packages/demo-mail)',
        'it is being built now: update the checkout (git pull) and run `npm run lab` again',
      );
    }
    const { cloudUrl, bobby } = ctx;
    if (!cloudUrl || !bobby?.cloudUpn) throw new Error('Bobby must be synced first');
    progress('starting the Mail demo app');
    const mailUrl = await startMailApp(ctx, cloudUrl).catch((err: unknown) => {
      throw new LabStepError(
        `the Mail demo app did not start: ${err instanceof Error ? err.message : String(err)}`,
        `read ${join(ctx.paths.logs, 'mail.log')}`,
      );
    });
    ctx.mailAppUrl = mailUrl;
    progress('Bobby signs in (OpenID Connect, code + PKCE)');
    const browser = createFormBrowser();
    const login = await browser.go(`${mailUrl}/login`);
    if (!login.url.startsWith(`${cloudUrl}/sign-in/`)) {
      throw new LabStepError(
        `the Mail app did not send the browser to the cloud's sign-in page (it ended at ${login.url}, ${login.status})`,
        `read ${join(ctx.paths.logs, 'mail.log')} and ${join(ctx.paths.logs, 'cloud.log')}`,
      );
    }
    const landed = await browser.submit(login, {
      username: bobby.cloudUpn,
      password: ctx.secrets.bobbyPassword,
    });
    if (!landed.url.startsWith(mailUrl) || !/<h1>Inbox<\/h1>/.test(landed.html)) {
      throw new LabStepError(
        `Bobby did not reach his inbox: ${landed.status} at ${landed.url}: ${pageSays(landed.html)}`,
        'a licence with Exchange Online opens the mailbox (step 6); else read the cloud and mail logs',
      );
    }
    return `${mailUrl}: ${pageSays(landed.html)}`;
  },
};
