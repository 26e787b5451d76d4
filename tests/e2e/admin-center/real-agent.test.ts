// The admin center with a real agent: installed unattended against the test Samba DC, running as a
// service. The admin sees the agent and the configuration's last cycle, finds a user created in AD
// marked as synced, and provisions a second one on demand through the agent, step by step.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { readStatus } from '../../../packages/agent/src/service/status.js';
import { ensureAdminUiBuilt } from '../../../packages/cloud/src/admin-center/index.js';
import { ADMIN_PASSWORD } from '../../../packages/cloud/src/api/api-fixture.js';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { createUser, type TestUser } from '../../support/ad.js';
import { type AgentFixture, agentLog, eventually, startAgentFixture } from '../sync/agent-fixture.js';

const SHOTS = join(new URL('../../..', import.meta.url).pathname, 'artifacts/admin-center');

let a: AgentFixture;
let stop: AbortController;
let service: Promise<void>;
let browser: TestBrowser;
let page: Page;
let erin: TestUser;

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Admin center' }).getByRole('link', { name, exact: true });
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

before(async () => {
  assert.ok(ensureAdminUiBuilt(), 'the admin center builds');
  mkdirSync(SHOTS, { recursive: true });
  a = await startAgentFixture({ passwordHashSync: false });
  erin = await createUser({
    ou: a.ou,
    sam: 'erin',
    givenName: 'Erin',
    sn: 'Synced',
    displayName: 'Erin Synced',
  });
  stop = new AbortController();
  // Scheduled cycles an hour apart and no notifications: only the start-up cycle and the admin's
  // buttons cause work.
  service = runService({
    stateDir: a.stateDir,
    log: agentLog(),
    signal: stop.signal,
    heartbeatMs: 500,
    scheduleMs: 60 * 60 * 1000,
    watch: false,
    reconcileMinIntervalMs: 0,
  });
  await eventually(async () => {
    const last = (await readStatus(a.stateDir)).lastCycles[0];
    return last?.state === 'accepted' ? last : undefined;
  }, 'the start-up cycle');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1280, height: 800 });
});
after(async () => {
  await browser?.close();
  stop?.abort();
  await service;
  await a?.close();
});

test('the admin sees the running agent, the synced user, and provisions another on demand', async () => {
  await page.goto(`${a.fx.url}/admin/#/cloud-sync`);
  await page.getByLabel('Username').fill(`admin@${a.fx.domain}`);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading('Cloud sync').waitFor();
  const agentRow = page.getByRole('region', { name: 'Agents' }).getByRole('row', { name: /agent-/ });
  await agentRow.waitFor();
  assert.match((await agentRow.getByRole('cell').nth(1).textContent()) ?? '', /^active/);
  const configRow = page
    .getByRole('region', { name: 'Configurations' })
    .getByRole('row', { name: /corp\.example\.test/i });
  assert.match((await configRow.textContent()) ?? '', /healthy/);
  assert.match((await configRow.textContent()) ?? '', /UTC/, 'the last cycle is shown');
  await shot('real-agent-cloud-sync');

  await nav('Users').click();
  await page.getByLabel('Search by name or UPN').fill('Erin');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: /Erin Synced/ });
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /Yes.*Windows Server AD/);

  const fay = await createUser({ ou: a.ou, sam: 'fay', displayName: 'Fay On-Demand' });
  await page.goto(`${a.fx.url}/admin/#/cloud-sync/configurations/${a.configurationId}`);
  await page.getByLabel('Distinguished name of the AD object').fill(fay.dn);
  await page.getByRole('button', { name: 'Provision', exact: true }).click();
  const result = page.locator('.pod-result');
  await result.getByText('succeeded').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('.pod-result .steps li').length >= 6);
  const steps = await result.locator('.steps li').allTextContents();
  assert.deepEqual(
    steps.map((s) => s.split(':')[0]?.replace(/\s+/g, ' ').trim()),
    [
      'succeeded import',
      'succeeded scope',
      'succeeded map',
      'succeeded export',
      'succeeded match',
      'succeeded action',
    ],
  );
  await shot('real-agent-provision-on-demand');
  assert.ok(await a.cloudUser(`${fay.sam}@${a.fx.domain}`), 'Fay is in the cloud');
  assert.ok(erin.dn);
});
