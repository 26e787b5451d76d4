// "More information required": the sign-in interrupted for a user whom the password reset policy
// requires to register a method, over real HTTP (a form browser with a cookie jar) against a whole
// cloud whose e-mail goes to a local SMTP sink.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { type ResetCloud, startResetCloud } from '../../../../tests/e2e/password-reset/cloud-fixture.js';
import { SYSTEM_ACTOR } from '../directory/actor.js';
import { MAIL_WINDOW_MS, MAX_REGISTRATION_MAILS } from '../password-reset/registration.js';
import { FormBrowser, formAction, type Page } from './form-browser.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
let rc: ResetCloud;
let client: oidc.Configuration;

before(async () => {
  rc = await startResetCloud();
  const app = await rc.cloud.auth.apps.create({
    displayName: 'Team Calendar',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
    firstParty: true,
  });
  client = await oidc.discovery(new URL(rc.cloud.auth.issuer), app.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
});
after(() => rc?.close());
beforeEach(() =>
  rc.cloud.passwordReset.policies.update({
    enabledFor: 'all',
    groupId: null,
    methods: ['email', 'authenticatorApp'],
    registrationRequired: true,
  }),
);

const codeIn = (text: string) => /verification code is (\d{8})/.exec(text)?.[1] ?? '';
const registered = (userId: string) => rc.cloud.passwordReset.methods.list(userId);

/** Opens the app's sign-in and posts the password; returns the page that follows (or the callback). */
async function signIn(user: { upn: string; password: string }, browser = new FormBrowser()) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const login = await browser.open(url.href, REDIRECT);
  const next = await browser.submit(
    login,
    formAction(login.html),
    { username: user.upn, password: user.password },
    REDIRECT,
  );
  return { browser, login, next, verifier };
}

async function tokensFrom(callback: Page, verifier: string) {
  const tokens = await oidc.authorizationCodeGrant(client, new URL(callback.url), {
    pkceCodeVerifier: verifier,
  });
  return tokens.claims();
}

test('no method yet: the sign-in stops at "More information required", an e-mail is registered, the app gets its code', async () => {
  const user = await rc.addUser('nestor');
  const { browser, next: page, verifier } = await signIn(user);
  assert.equal(page.status, 200);
  assert.match(page.html, /<h1>More information required<\/h1>/);
  assert.match(page.html, /<label for="address">E-mail address<\/label>/);
  assert.match(page.html, />Use an authenticator app</);
  assert.match(page.html, />Cancel sign-in</);
  assert.match(page.html, new RegExp(`Signed in as ${user.upn.replaceAll('.', '\\.')}`));

  const bad = await browser.submit(page, formAction(page.html, 'Send a code'), { address: 'not-an-address' });
  assert.equal(bad.status, 400);
  assert.match(bad.html, /role="alert">Enter an e-mail address/);
  assert.match(bad.html, /aria-invalid="true"/);

  const since = rc.sink.messages().length;
  const codePage = await browser.submit(bad, formAction(bad.html, 'Send a code'), {
    address: 'nestor@example.org',
  });
  assert.equal(codePage.status, 200);
  assert.match(codePage.html, /We sent a code to nestor@example\.org/);
  const code = codeIn((await rc.sink.waitFor('nestor@example.org', { since })).text);
  const wrong = await browser.submit(codePage, formAction(codePage.html), {
    code: code === '00000000' ? '11111111' : '00000000',
  });
  assert.equal(wrong.status, 401);
  assert.match(wrong.html, /That code is not right/);
  assert.deepEqual(await registered(user.id), [], 'nothing saved before the right code');

  const callback = await browser.submit(wrong, formAction(wrong.html), { code }, REDIRECT);
  assert.ok(callback.url.startsWith(REDIRECT), `back to the app: ${callback.url}`);
  assert.equal((await tokensFrom(callback, verifier))?.sub, user.id);
  assert.deepEqual(await registered(user.id), [{ kind: 'email', value: 'nestor@example.org' }]);

  const again = await signIn(user);
  assert.ok(again.next.url.startsWith(REDIRECT), 'a second sign-in is not interrupted');
});

test('an authenticator app: the key is shown as text, link and QR code; a current code registers it', async () => {
  const user = await rc.addUser('irvin');
  const { browser, next: page } = await signIn(user);
  const keyPage = await browser.submit(page, formAction(page.html, 'Use an authenticator app'), {});
  assert.equal(keyPage.status, 200);
  const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(keyPage.html)?.[1] ?? '';
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.match(keyPage.html, new RegExp(`href="otpauth://totp/[^"]*secret=${secret}`));
  assert.match(keyPage.html, /<svg role="img" aria-label="QR image of the authenticator key"/);
  const callback = await browser.submit(
    keyPage,
    formAction(keyPage.html),
    { code: await generate({ secret }) },
    REDIRECT,
  );
  assert.ok(callback.url.startsWith(REDIRECT));
  assert.deepEqual(await registered(user.id), [{ kind: 'authenticatorApp', value: secret }]);
});

test('the registration cannot be skipped: resuming early, or another flow token, starts over', async () => {
  const user = await rc.addUser('lidia');
  const { browser, next: page } = await signIn(user);
  const uid = /action="\/sign-in\/([^/]+)\/register\/email"/.exec(page.html)?.[1] ?? '';
  assert.ok(uid);
  // The provider's resume URL without a login result: a new sign-in, not the app.
  const resumed = await browser.open(`${rc.url}/oauth2/auth/${uid}`, REDIRECT);
  assert.ok(!resumed.url.startsWith(REDIRECT), 'not back in the app');
  assert.match(resumed.html, /<h1>Sign in<\/h1>/);

  // A flow token of the user's own standalone registration is not this sign-in's.
  const other = await rc.cloud.passwordReset.flows.create(user.id, 'register');
  const second = await signIn(user, browser);
  const forged = await browser.submit(second.next, formAction(second.next.html, 'Use an authenticator app'), {
    flow: other,
  });
  assert.equal(forged.status, 400);
  assert.match(forged.html, /role="alert">This page has expired\. Choose a method again\./);
  assert.doesNotMatch(forged.html, /totp-secret/, 'no key was made for the foreign flow');
  // Another browser (no interaction cookie) with the right token gets nowhere either.
  const token = /name="flow" value="([^"]+)"/.exec(second.next.html)?.[1] ?? '';
  const stranger = await new FormBrowser().submit(
    second.next,
    formAction(second.next.html, 'Use an authenticator app'),
    {
      flow: token,
    },
  );
  assert.equal(stranger.status, 400);
  assert.match(stranger.html, /Sign-in expired/);
  // Reloading the interaction page shows the registration again (a new flow).
  const reloaded = await browser.open(second.next.url.replace(/\/login$/, ''), REDIRECT);
  assert.match(reloaded.html, /<h1>More information required<\/h1>/);
  assert.deepEqual(await registered(user.id), []);
});

test('registration e-mails are bounded: the sixth within 15 minutes is refused, and later allowed', async () => {
  const user = await rc.addUser('miriam');
  const { browser, next: page } = await signIn(user);
  const before = rc.sink.messages().length;
  let last = page;
  for (let i = 0; i < MAX_REGISTRATION_MAILS; i++) {
    const sent = await browser.submit(page, formAction(page.html, 'Send a code'), {
      address: `miriam${i}@example.org`,
    });
    assert.equal(sent.status, 200, `mail ${i + 1} is sent`);
    last = sent;
  }
  const refused = await browser.submit(page, formAction(page.html, 'Send a code'), {
    address: 'miriam9@example.org',
  });
  assert.equal(refused.status, 429);
  assert.match(
    refused.html,
    /role="alert">Too many codes were sent\. Wait 15 minutes, or use another method\./,
  );
  await rc.sink.waitFor(`miriam${MAX_REGISTRATION_MAILS - 1}@example.org`, { since: before });
  assert.equal(rc.sink.messages().length - before, MAX_REGISTRATION_MAILS, 'no sixth mail');
  rc.advance(MAIL_WINDOW_MS);
  // The registration flow (15 minutes) is over too: the page comes again with a new one.
  const stale = await browser.submit(refused, formAction(refused.html, 'Send a code'), {
    address: 'miriam9@example.org',
  });
  assert.equal(stale.status, 400);
  assert.match(stale.html, /This page has expired\. Choose a method again\./);
  const later = await browser.submit(stale, formAction(stale.html, 'Send a code'), {
    address: 'miriam9@example.org',
  });
  assert.equal(later.status, 200);
  assert.ok(last.html.includes('We sent a code'));
});

test('cancel: the app receives access_denied', async () => {
  const user = await rc.addUser('grady');
  const { browser, next: page } = await signIn(user);
  const back = await browser.submit(page, formAction(page.html, 'Cancel sign-in'), {}, REDIRECT);
  assert.equal(new URL(back.url).searchParams.get('error'), 'access_denied');
});

test('not interrupted: registration not required, the policy not for this user, a method already registered', async () => {
  const user = await rc.addUser('joni');
  await rc.cloud.passwordReset.policies.update({ registrationRequired: false });
  assert.ok((await signIn(user)).next.url.startsWith(REDIRECT), 'registration not required');

  const group = await rc.cloud.directory.groups.create(SYSTEM_ACTOR, {
    displayName: 'SSPR pilot',
    mailEnabled: false,
    securityEnabled: true,
    mailNickname: 'sspr-pilot',
  });
  await rc.cloud.passwordReset.policies.update({
    registrationRequired: true,
    enabledFor: 'group',
    groupId: group.id,
  });
  assert.ok((await signIn(user)).next.url.startsWith(REDIRECT), 'not a member of the SSPR group');

  await rc.cloud.passwordReset.policies.update({
    enabledFor: 'all',
    groupId: null,
    methods: ['authenticatorApp'],
  });
  await rc.cloud.passwordReset.methods.set(user.id, { kind: 'email', value: 'joni@example.org' });
  const { next } = await signIn(user);
  assert.match(
    next.html,
    /More information required/,
    'an e-mail the policy no longer allows does not count',
  );
  assert.doesNotMatch(next.html, /E-mail address/, 'only the allowed method is offered');
  await rc.cloud.passwordReset.methods.set(user.id, { kind: 'authenticatorApp', value: 'JBSWY3DPEHPK3PXP' });
  assert.ok((await signIn(user)).next.url.startsWith(REDIRECT), 'registered: not interrupted');
});
