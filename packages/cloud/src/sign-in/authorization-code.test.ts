import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { FormBrowser, formAction } from './form-browser.js';
import { GRAPH_RESOURCE } from './resources.js';
import { type FixtureUser, type SignInFixture, startSignInFixture } from './sign-in-fixture.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

let fx: SignInFixture;
let adele: FixtureUser;
let thirdParty: oidc.Configuration;
let firstParty: oidc.Configuration;

before(async () => {
  fx = await startSignInFixture({
    register(app, auth) {
      app.get('/test/me', { preHandler: [auth.authenticate] }, async (req) => req.principal);
    },
  });
  adele = await fx.addUser({ upn: 'adele.vance@contoso.cloudsync.test', displayName: 'Adele Vance' });
  const external = await fx.auth.apps.create({
    displayName: 'Expense Reports (third party)',
    credential: { type: 'secret' },
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: [`${REDIRECT}/signed-out`],
  });
  const mail = await fx.auth.apps.create({
    displayName: 'Mail',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
    firstParty: true,
  });
  const options = { execute: [oidc.allowInsecureRequests] };
  thirdParty = await oidc.discovery(
    new URL(fx.issuer),
    external.clientId,
    undefined,
    oidc.ClientSecretBasic(external.clientSecret),
    options,
  );
  firstParty = await oidc.discovery(new URL(fx.issuer), mail.clientId, undefined, oidc.None(), options);
});
after(() => fx.close());

async function startFlow(config: oidc.Configuration, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid profile email roles',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  const browser = new FormBrowser();
  const page = await browser.open(url.href, REDIRECT);
  return { browser, page, verifier, state };
}

describe('authorization code + PKCE, as a third-party app with openid-client', () => {
  test('sign-in page, consent, tokens, ID token claims and userinfo', async () => {
    const { browser, page, verifier, state } = await startFlow(thirdParty);
    assert.equal(page.status, 200);
    assert.match(page.html, /<label for="username">Username<\/label>/);
    assert.match(page.html, /<label for="password">Password<\/label>/);
    assert.match(page.html, /Expense Reports \(third party\)/);

    const consent = await browser.submit(page, formAction(page.html), {
      username: 'ADELE.VANCE@contoso.cloudsync.test',
      password: adele.password,
    });
    assert.equal(consent.status, 200);
    assert.match(consent.html, /Permissions requested/);
    assert.match(consent.html, /Read your directory roles/);

    const callback = await browser.submit(consent, formAction(consent.html, 'Accept'), {}, REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(thirdParty, new URL(callback.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims();
    assert.equal(claims?.sub, adele.id);
    assert.equal(claims?.iss, fx.issuer);

    const info = await oidc.fetchUserInfo(thirdParty, tokens.access_token, adele.id);
    assert.equal(info.preferred_username, adele.upn);
    assert.equal(info.upn, adele.upn);
    assert.equal(info.name, 'Adele Vance');
    assert.equal(info.email, adele.upn);
    assert.deepEqual(info.roles, ['User']);
  });

  test('with resource=urn:cloudsync:graph the access token is a JWT the admin API accepts', async () => {
    const { browser, page, verifier, state } = await startFlow(thirdParty, { resource: GRAPH_RESOURCE });
    const consent = await browser.submit(page, formAction(page.html), {
      username: adele.upn,
      password: adele.password,
    });
    const callback = await browser.submit(consent, formAction(consent.html, 'Accept'), {}, REDIRECT);
    const tokens = await oidc.authorizationCodeGrant(thirdParty, new URL(callback.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    assert.equal(tokens.access_token.split('.').length, 3, 'a JWT');
    const res = await fetch(`${fx.url}/test/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      kind: 'user',
      id: adele.id,
      tenantId: await tenantIdOf(fx),
      roles: ['User'],
      userPrincipalName: adele.upn,
    });
  });

  test('a first-party app skips the consent page', async () => {
    const { browser, page, verifier, state } = await startFlow(firstParty);
    const callback = await browser.submit(
      page,
      formAction(page.html),
      { username: adele.upn, password: adele.password },
      REDIRECT,
    );
    assert.ok(callback.url.startsWith(REDIRECT), 'straight back to the app');
    const tokens = await oidc.authorizationCodeGrant(firstParty, new URL(callback.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    assert.equal(tokens.claims()?.sub, adele.id);
  });

  test('an authorization request without PKCE is refused', async () => {
    const url = oidc.buildAuthorizationUrl(thirdParty, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 's',
    });
    const page = await new FormBrowser().open(url.href, REDIRECT);
    const back = new URL(page.url);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /PKCE/);
  });

  test('cancel on the consent page returns access_denied to the app', async () => {
    const { browser, page } = await startFlow(thirdParty);
    const consent = await browser.submit(page, formAction(page.html), {
      username: adele.upn,
      password: adele.password,
    });
    const back = await browser.submit(consent, formAction(consent.html, 'Cancel'), {}, REDIRECT);
    assert.equal(new URL(back.url).searchParams.get('error'), 'access_denied');
  });
});

describe('the sign-in page refuses', () => {
  test('a wrong password, with the error bound to the inputs and the name kept', async () => {
    const { browser, page } = await startFlow(thirdParty);
    const again = await browser.submit(page, formAction(page.html), {
      username: adele.upn,
      password: 'not-it',
    });
    assert.equal(again.status, 401);
    assert.match(
      again.html,
      /id="sign-in-error"[^>]*role="alert"[^>]*>Your account or password is incorrect\./,
    );
    assert.match(again.html, /id="password"[^>]*aria-describedby="sign-in-error"/);
    assert.match(again.html, /aria-invalid="true"/);
    assert.match(again.html, new RegExp(`value="${adele.upn.replaceAll('.', '\\.')}"`));
  });

  test('an unknown user with the same words as a wrong password', async () => {
    const { browser, page } = await startFlow(thirdParty);
    const again = await browser.submit(page, formAction(page.html), {
      username: 'nobody@contoso.cloudsync.test',
      password: 'whatever',
    });
    assert.equal(again.status, 401);
    assert.match(again.html, /Your account or password is incorrect\./);
  });

  test('a disabled user, saying so', async () => {
    const user = await fx.addUser({});
    await fx.setAccountEnabled(user.id, false);
    const { browser, page } = await startFlow(thirdParty);
    const again = await browser.submit(page, formAction(page.html), {
      username: user.upn,
      password: user.password,
    });
    assert.equal(again.status, 403);
    assert.match(again.html, /Your account is disabled\./);
  });

  test('a soft-deleted user, saying so', async () => {
    const user = await fx.addUser({});
    await fx.softDelete(user.id);
    const { browser, page } = await startFlow(thirdParty);
    const again = await browser.submit(page, formAction(page.html), {
      username: user.upn,
      password: user.password,
    });
    assert.equal(again.status, 403);
    assert.match(again.html, /Your account has been deleted\./);
  });

  test('an oversized form with a page, not a JSON error', async () => {
    const { browser, page } = await startFlow(thirdParty);
    const again = await browser.submit(page, formAction(page.html), {
      username: adele.upn,
      password: 'x'.repeat(2000),
    });
    assert.equal(again.status, 400);
    assert.match(again.html, /<h1>Something went wrong<\/h1>/);
  });

  test('an expired or foreign sign-in page', async () => {
    const res = await fetch(`${fx.url}/sign-in/abcdef/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=a&password=b',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Sign-in expired/);
  });
});

test('RP-initiated logout ends the session and returns to the app', async () => {
  const { browser, page, verifier, state } = await startFlow(firstParty);
  const callback = await browser.submit(
    page,
    formAction(page.html),
    { username: adele.upn, password: adele.password },
    REDIRECT,
  );
  const tokens = await oidc.authorizationCodeGrant(firstParty, new URL(callback.url), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  const endSession = oidc.buildEndSessionUrl(firstParty, { id_token_hint: tokens.id_token ?? '' });
  const confirm = await browser.open(endSession.href);
  assert.match(confirm.html, /Sign out\?/);
  const done = await browser.submit(confirm, formAction(confirm.html), { logout: 'yes' });
  assert.match(done.html, /You signed out/);
  // The session is gone: a new authorization request shows the sign-in page again.
  const next = await startFlowWith(browser, firstParty);
  assert.match(next.html, /<h1>Sign in<\/h1>/);
});

test('a session whose account was disabled since gives no more codes', async () => {
  const user = await fx.addUser({});
  const { browser, page } = await startFlow(firstParty);
  const first = await browser.submit(
    page,
    formAction(page.html),
    { username: user.upn, password: user.password },
    REDIRECT,
  );
  assert.ok(new URL(first.url).searchParams.get('code'), 'signed in once');
  const again = await startFlowWith(browser, firstParty);
  assert.ok(
    new URL(again.url).searchParams.get('code'),
    'the session signs in silently while the account is enabled',
  );
  await fx.setAccountEnabled(user.id, false);
  const refused = await startFlowWith(browser, firstParty);
  assert.equal(new URL(refused.url).searchParams.get('code'), null, 'no code for a disabled account');
  assert.match(refused.html, /<h1>Sign in<\/h1>/, 'the sign-in page instead');
  const silent = await startFlowWith(browser, firstParty, { prompt: 'none' });
  assert.equal(new URL(silent.url).searchParams.get('error'), 'login_required');
});

async function startFlowWith(
  browser: FormBrowser,
  config: oidc.Configuration,
  extra: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: oidc.randomState(),
    ...extra,
  });
  return browser.open(url.href, REDIRECT);
}

async function tenantIdOf(f: SignInFixture): Promise<string> {
  const row = await f.store.db.selectFrom('tenant').select('id').executeTakeFirstOrThrow();
  return row.id;
}

test('no password appears in the logs', () => {
  const all = fx.logs.join('\n');
  assert.ok(fx.logs.length > 0, 'something was logged');
  assert.ok(!all.includes(adele.password), 'the password is not logged');
  assert.ok(!all.includes('not-it'), 'a wrong password is not logged either');
});
