// The sign-in page in a real browser (headless Debian Chromium): found by its labels, usable with
// the keyboard, the refusal announced and tied to the fields, the app receives a code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { launchBrowser, type TestBrowser } from '../../../../tests/harness/browser.js';
import { type FixtureUser, type SignInFixture, startSignInFixture } from './sign-in-fixture.js';

const REDIRECT = 'http://127.0.0.1:9/browser-cb';

let fx: SignInFixture;
let user: FixtureUser;
let client: oidc.Configuration;
let browser: TestBrowser;

before(async () => {
  fx = await startSignInFixture();
  user = await fx.addUser({ displayName: 'Megan Bowen' });
  const app = await fx.auth.apps.create({
    displayName: 'Team Calendar',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
  });
  client = await oidc.discovery(new URL(fx.issuer), app.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fx?.close();
});

test('a user signs in with the keyboard, after a wrong password, and consents', async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const page = await browser.context.newPage();
  let callback: string | undefined;
  await page.route(`${REDIRECT}**`, (route) => {
    callback = route.request().url();
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'back in the app' });
  });

  const response = await page.goto(url.href);
  assert.equal(await page.title(), 'Sign in · cloudsync');
  assert.match((await response?.allHeaders())?.['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  const accent = await page
    .getByRole('button', { name: 'Sign in' })
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(accent, 'rgb(11, 92, 173)', 'the inline stylesheet is allowed by the page’s own CSP');
  await page.getByLabel('Username').fill(user.upn);
  await page.getByLabel('Password').fill('not the password');
  await page.keyboard.press('Enter');

  const alert = page.getByRole('alert');
  assert.equal((await alert.textContent())?.trim(), 'Your account or password is incorrect.');
  const password = page.getByLabel('Password');
  assert.equal(await password.getAttribute('aria-describedby'), await alert.getAttribute('id'));
  assert.equal(await password.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Username').inputValue(), user.upn, 'the name is kept');

  await password.fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
  assert.ok((await page.textContent('body'))?.includes('Team Calendar'));
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByText('back in the app').waitFor();

  assert.ok(callback, 'the browser was sent back to the app');
  const tokens = await oidc.authorizationCodeGrant(client, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  assert.equal(tokens.claims()?.sub, user.id);
  assert.equal(tokens.claims()?.name, undefined, 'claims come from userinfo, not the ID token');
  const info = await oidc.fetchUserInfo(client, tokens.access_token, user.id);
  assert.equal(info.name, 'Megan Bowen');
});
