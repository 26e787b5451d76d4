// The Mail pages in headless Chromium, served with the demo's real headers: the stylesheet applies
// under the CSP, the landmarks and controls are found by role, focus is visible, and nothing
// overflows sideways at a phone's width.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../../tests/harness/browser.js';
import { errorPage, inboxPage, noLicencePage, signedOutPage } from './pages.js';
import { PAGE_HEADERS } from './style.js';

const USER = 'adele.vance-f587c6@contoso.cloudsync.test';
// Intercepted by the browser: nothing listens on this origin.
const ORIGIN = 'http://mail.invalid';
let browser: TestBrowser;

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Opens `html` as the demo serves it; `problems` collects console errors (CSP refusals among them). */
async function open(html: string, width: number): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url() === `${ORIGIN}/`
      ? route.fulfill({
          status: 200,
          headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
          body: html,
        })
      : route.fulfill({ status: 404, body: '' }),
  );
  await page.setViewportSize({ width, height: 640 });
  await page.goto(`${ORIGIN}/`);
  return { page, problems };
}

const PAGES = {
  'signed out': signedOutPage(),
  inbox: inboxPage(USER),
  'no licence': noLicencePage(USER),
  error: errorPage('This sign-in has expired. Start again.'),
};

for (const width of [320, 960]) {
  test(`at ${width}px every page is styled under the CSP and fits the width`, async () => {
    for (const [name, html] of Object.entries(PAGES)) {
      const { page, problems } = await open(html, width);
      const looks = await page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      assert.equal(looks.background, 'rgb(238, 241, 245)', `${name}: the stylesheet applied`);
      assert.ok(looks.overflow <= 0, `${name}: ${looks.overflow}px wider than the window`);
      assert.deepEqual(problems, [], `${name}: no console errors`);
      assert.equal(await page.getByRole('banner').count(), 1, `${name}: a banner`);
      assert.equal(await page.getByRole('main').count(), 1, `${name}: a main`);
      await page.close();
    }
  });
}

test('the inbox: top bar with the user and Sign out, folders as plain labels, a focus ring', async () => {
  const { page } = await open(inboxPage(USER), 960);
  assert.ok((await page.getByRole('banner').textContent())?.includes(USER));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inbox');
  assert.equal(await page.getByRole('status').textContent(), 'Your inbox is empty.');
  const folders = page.getByRole('navigation', { name: 'Folders' });
  assert.deepEqual(await folders.getByRole('listitem').allTextContents(), ['Inbox', 'Sent', 'Drafts']);
  assert.equal(await folders.getByRole('link').count(), 0);
  await page.keyboard.press('Tab');
  const focused = page.getByRole('button', { name: 'Sign out' });
  assert.ok(await focused.evaluate((el) => el === document.activeElement), 'Sign out is the first stop');
  assert.equal(await focused.evaluate((el) => getComputedStyle(el).outlineStyle), 'solid');
  await page.close();
});

test('no licence: the alert, the one Sign out button, and another way out', async () => {
  const { page } = await open(noLicencePage(USER), 960);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'No mailbox for this account');
  assert.match((await page.getByRole('alert').textContent()) ?? '', /no licence that includes mail/);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Use a different account' }).count(), 1);
  assert.equal(await page.getByRole('navigation').count(), 0, 'no folders without a mailbox');
  await page.close();
});
