// The admin center in a real browser (headless Debian Chromium) against a real cloud on SQLite:
// sign-in through the cloud's OpenID provider, a sync configuration, a synced user, licences,
// provisioning logs and provision on demand. Screenshots go to artifacts/admin-center/.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ensureAdminUiBuilt } from '../../../packages/cloud/src/admin-center/index.js';
import { registerTestAgent, type TestAgent } from '../../../packages/cloud/src/agents/test-agent.js';
import {
  ADMIN_PASSWORD,
  type ApiFixture,
  startApiFixture,
} from '../../../packages/cloud/src/api/api-fixture.js';
import { launchBrowser, type TestBrowser } from '../../harness/browser.js';
import { adUser, answerProvisionJob, runCycle } from './agent-driver.js';

const SHOTS = join(new URL('../../..', import.meta.url).pathname, 'artifacts/admin-center');
const AD_DOMAIN = 'corp.example.test';
const BOBBY_DN = 'CN=Bobby Tables,OU=Staff,DC=corp,DC=example,DC=test';

let fx: ApiFixture;
let agent: TestAgent;
let browser: TestBrowser;
let page: Page;
let configurationId = '';

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
/** A link of the navigation bar. */
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Admin center' }).getByRole('link', { name, exact: true });

before(async () => {
  assert.ok(ensureAdminUiBuilt(), 'the admin center builds');
  mkdirSync(SHOTS, { recursive: true });
  fx = await startApiFixture();
  agent = await registerTestAgent(fx, 'dc1.corp.example.test', [AD_DOMAIN]);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await fx?.close();
});

describe('admin center', () => {
  test('the Global Administrator signs in through the OpenID provider (code + PKCE)', async () => {
    await page.goto(`${fx.url}/admin/`);
    await page.getByLabel('Username').waitFor();
    assert.match(page.url(), /\/sign-in\//, 'sent to the sign-in page');
    await page.getByLabel('Username').fill(`admin@${fx.domain}`);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Home').waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/', 'the callback URL is left behind');
    await page.getByRole('banner').getByText(`admin@${fx.domain}`).waitFor();
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    assert.equal(focused, 'H1', 'the page heading takes the focus');
    const csp = (await page.request.get(`${fx.url}/admin/`)).headers()['content-security-policy'];
    assert.match(csp ?? '', /script-src 'self'/);
    // Keyboard: from the focused heading, Tab goes into the page's content; "Skip to content" (the
    // first stop of the document) moves the focus to the main region.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Manage cloud sync');
    await page.getByRole('button', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await shot('home');
  });

  test('a new configuration with password hash sync, enabled, shows its status', async () => {
    await nav('Cloud sync').click();
    await heading('Cloud sync').waitFor();
    await page.getByRole('cell', { name: 'dc1.corp.example.test' }).waitFor();
    await page.getByRole('link', { name: 'New configuration' }).click();
    await heading('New configuration').waitFor();
    const domain = page.getByLabel('Active Directory domain');
    await domain.locator('option', { hasText: AD_DOMAIN }).waitFor({ state: 'attached' });
    await page.waitForFunction(
      (want) => (document.getElementById('nc-domain') as HTMLSelectElement | null)?.value === want,
      AD_DOMAIN,
    );
    assert.equal(await page.getByLabel('NetBIOS name').inputValue(), 'CORP');
    assert.ok(await page.getByLabel('Password hash sync').isChecked());
    // A refusal is shown in words next to the field that caused it.
    await page.getByLabel('Domain SID').fill('not-a-sid');
    await page.getByRole('button', { name: 'Create' }).click();
    const sidError = page.getByRole('alert').filter({ hasText: /sid/i });
    await sidError.waitFor();
    assert.equal(await page.getByLabel('Domain SID').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Domain SID').fill('S-1-5-21-1004336348-1177238915-682003330');
    await page.getByRole('button', { name: 'Create' }).click();
    await heading(`Configuration ${AD_DOMAIN}`).waitFor();
    configurationId = new URL(page.url()).hash.split('/').at(-1) ?? '';
    assert.ok(configurationId);
    const toggle = page.getByRole('switch', { name: 'Sync enabled' });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await page.getByText('disabled', { exact: true }).first().waitFor();
    await toggle.click();
    await page.getByRole('status').filter({ hasText: 'Sync enabled.' }).waitFor();
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    await page.getByText('healthy', { exact: true }).first().waitFor();
    const api = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}`);
    const body = api.body as { enabled: boolean; passwordHashSync: boolean };
    assert.deepEqual([body.enabled, body.passwordHashSync], [true, true]);
    await shot('configuration');
  });

  test('the threshold refused by the API is shown next to its field; the mapping preview runs', async () => {
    await page.getByLabel('Accidental delete threshold').fill('0');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    const field = page.getByLabel('Accidental delete threshold');
    await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const errorId = (await field.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
    assert.match((await page.locator(`[id="${errorId}"]`).textContent()) ?? '', /deleteGuard\.threshold/);
    await field.fill('25');
    await page.getByRole('button', { name: 'Preview mappings' }).click();
    const preview = page.getByRole('table', { name: /Preview of the user mappings/ });
    await preview.waitFor();
    assert.match(
      (await preview.getByRole('row', { name: /^displayName/ }).textContent()) ?? '',
      /Bobby Tables/,
    );
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const api = await fx.call('GET', `/v1.0/cloudsync/configurations/${configurationId}`);
    assert.equal((api.body as { deleteGuard: { threshold: number } }).deleteGuard.threshold, 25);
  });

  test('a synced user: marked as synced, usage location set, a licence assigned', async () => {
    await runCycle(fx, agent, configurationId, [adUser(7, 'bobby', BOBBY_DN)]);
    await nav('Users').click();
    await heading('Users').waitFor();
    await page.getByLabel('Search by name or UPN').fill('bobby');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row', { name: /Bobby Tables/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`bobby@${fx.domain.replace(/\./g, '\\.')}`));
    assert.match((await row.textContent()) ?? '', /Yes.*Windows Server AD/);
    await shot('users');
    await row.getByRole('link').click();
    await heading('Bobby Tables').waitFor();
    const displayName = page.getByLabel('Display name');
    assert.equal(await displayName.getAttribute('readonly'), '');
    const reasonId = (await displayName.getAttribute('aria-describedby')) ?? '';
    assert.match(
      (await page.locator(`[id="${reasonId}"]`).textContent()) ?? '',
      /on-premises Active Directory/,
    );

    // A licence before the usage location is refused, in words, beside the licence picker.
    const sku = page.getByLabel('Licence to assign');
    await sku.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Assign licence' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /usage location/ })
      .waitFor();

    await page.getByLabel('Usage location').fill('FR');
    await page.getByRole('button', { name: 'Save properties' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await sku.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Assign licence' }).click();
    await page.getByRole('button', { name: /^Remove licence / }).waitFor();
    const users = await fx.call(
      'GET',
      `/v1.0/users?$filter=onPremisesImmutableId eq '${Buffer.alloc(16, 7).toString('base64')}'`,
    );
    const bobby = (users.body as { value: { usageLocation: string; assignedLicenses: unknown[] }[] })
      .value[0];
    assert.equal(bobby?.usageLocation, 'FR');
    assert.equal(bobby?.assignedLicenses.length, 1);
    await shot('user');
  });

  test('his provisioning log entry, with steps and modified properties', async () => {
    await page.getByRole('link', { name: 'Provisioning log entries of this user' }).click();
    await heading('Provisioning logs').waitFor();
    const entry = page
      .getByRole('button', { name: 'Bobby Tables' })
      .or(page.getByRole('button', { name: `bobby@${fx.domain}` }));
    await entry.first().click();
    const details = page.getByRole('region', { name: /^Details/ });
    await details.waitFor();
    const upn = details.getByRole('row', { name: /^userPrincipalName/ });
    assert.match((await upn.textContent()) ?? '', new RegExp(`—bobby@${fx.domain.replace(/\./g, '\\.')}`));
    assert.ok((await details.getByRole('listitem').count()) > 0, 'steps are listed');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^provisioning-.*\.csv$/);
    const csv = readFileSync(await file.path(), 'utf8');
    assert.match(csv, /^activityDateTime,status,action,/);
    assert.match(csv, new RegExp(`success,create,user,.*bobby@${fx.domain.replace(/\./g, '\\.')}`));
    await shot('provisioning-logs');
  });

  test('provision on demand shows the agent’s step-by-step answer', async () => {
    await page.goto(`${fx.url}/admin/#/cloud-sync/configurations/${configurationId}`);
    await heading(`Configuration ${AD_DOMAIN}`).waitFor();
    await page.getByLabel('Distinguished name of the AD object').fill(BOBBY_DN);
    await page.getByRole('button', { name: 'Provision', exact: true }).click();
    const dn = await answerProvisionJob(fx, agent, [
      { name: 'import', status: 'succeeded', description: 'Read the object from AD' },
      { name: 'scope', status: 'succeeded', description: 'In scope (whole domain)' },
      { name: 'export', status: 'succeeded', description: 'Updated bobby in the cloud' },
    ]);
    assert.equal(dn, BOBBY_DN);
    await page.getByText('Updated bobby in the cloud').waitFor();
    assert.ok((await page.textContent('.pod-result'))?.includes('succeeded'));
    await shot('provision-on-demand');
  });

  test('a cloud user: password reset, delete, restore; the audit log shows it', async () => {
    const upn = `dana@${fx.domain}`;
    const created = await fx.call('POST', '/v1.0/users', {
      body: { displayName: 'Dana Cloud', userPrincipalName: upn, accountEnabled: true },
    });
    assert.equal(created.status, 201, created.text);
    const id = (created.body as { id: string }).id;
    await page.goto(`${fx.url}/admin/#/users/${id}`);
    await heading('Dana Cloud').waitFor();
    assert.equal(
      await page.getByLabel('Display name').getAttribute('readonly'),
      null,
      'cloud users are editable',
    );
    const newPassword = 'Fresh-Passw0rd-42';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Require a new password at next sign-in').uncheck();
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('status').filter({ hasText: 'The password was reset.' }).waitFor();
    assert.ok(await fx.tokenFor(upn, newPassword), 'Dana signs in with the new password');

    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('button', { name: `Yes, delete ${upn}` }).click();
    await heading('Deleted users').waitFor();
    await page.getByRole('button', { name: `Restore ${upn}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${upn} was restored.` })
      .waitFor();
    assert.equal((await fx.call('GET', `/v1.0/users/${id}`)).status, 200);

    await nav('Audit logs').click();
    await heading('Audit logs').waitFor();
    await page
      .getByRole('row', { name: /Restore user.*Dana Cloud|Restore user.*dana@/ })
      .first()
      .waitFor();
  });

  test('domains: add one and read the TXT record to publish', async () => {
    await nav('Domains').click();
    await heading('Domains').waitFor();
    await page.getByLabel('Domain name to add').fill('fabrikam.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('heading', { name: 'fabrikam.test' }).waitFor();
    await page.getByRole('button', { name: 'Show the TXT record for fabrikam.test' }).click();
    await page.getByText(/^cloudsync-verification=/).waitFor();
    await page.getByLabel('Domain name to add').fill('not a domain');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
    await shot('domains');
  });

  test('password reset: enabled for everyone', async () => {
    await nav('Password reset').click();
    await heading('Password reset').waitFor();
    await page.getByLabel('Everyone').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const policy = await fx.call('GET', '/v1.0/cloudsync/passwordResetPolicy');
    assert.equal((policy.body as { enabledFor: string }).enabledFor, 'all');
    await page.getByRole('cell', { name: AD_DOMAIN, exact: true }).waitFor();
    await shot('password-reset');
  });

  test('sync health charts and a narrow screen', async () => {
    await runCycle(fx, agent, configurationId, [
      adUser(7, 'bobby', BOBBY_DN),
      adUser(8, 'carla', 'CN=Carla Tables,OU=Staff,DC=corp,DC=example,DC=test'),
      {
        op: 'upsert',
        objectType: 'group',
        anchor: Buffer.alloc(16, 9).toString('base64'),
        objectGuid: '00000009-0000-4000-8000-000000000000',
        distinguishedName: 'CN=Sales,OU=Staff,DC=corp,DC=example,DC=test',
        attributes: {
          displayName: 'Sales',
          mailNickname: 'sales',
          securityEnabled: true,
          mailEnabled: false,
        },
        members: {
          mode: 'complete',
          anchors: [Buffer.alloc(16, 7).toString('base64'), Buffer.alloc(16, 8).toString('base64')],
        },
      },
    ]);
    await nav('Sync health').click();
    await heading('Sync health').waitFor();
    const chart = page.getByRole('img', { name: /Objects changed per cycle/ });
    await chart.waitFor();
    await chart.locator('rect').nth(1).waitFor({ state: 'attached' });
    assert.equal(await chart.locator('rect').count(), 2, 'one bar per cycle');
    await shot('sync-health');
    await page.setViewportSize({ width: 390, height: 800 });
    await nav('Users').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav('Users').click();
    await heading('Users').waitFor();
    await shot('users-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('groups: a synced group and its members, linked to the users', async () => {
    await nav('Groups').click();
    await heading('Groups').waitFor();
    await page.getByRole('link', { name: 'Sales' }).click();
    await heading('Sales').waitFor();
    assert.ok((await page.textContent('dl'))?.includes('Windows Server AD'));
    await page.getByRole('link', { name: 'Carla Tables' }).waitFor();
    await page.getByRole('link', { name: 'Bobby Tables' }).click();
    await heading('Bobby Tables').waitFor();
  });
});
