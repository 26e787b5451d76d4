// The sign-in flows end to end on one store backend: run against SQLite and PostgreSQL, since every
// step (sessions, interactions, grants, codes, refresh tokens) goes through the store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { appToken, bearer, userToken } from '../../../../tests/support/tokens.js';
import { FormBrowser, formAction } from './form-browser.js';
import { GRAPH_RESOURCE } from './resources.js';
import { type FixtureUser, type SignInFixture, startSignInFixture } from './sign-in-fixture.js';

const REDIRECT = 'http://127.0.0.1:9/cb';

/** Runs the flows against a fixture on the store `databaseUrl` names (SQLite when undefined). */
export function runSignInFlowsContract(name: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`sign-in flows on ${name}`, () => {
    let fx: SignInFixture;
    let user: FixtureUser;
    let client: oidc.Configuration;

    before(async () => {
      const url = await databaseUrl();
      fx = await startSignInFixture({
        ...(url ? { databaseUrl: url } : {}),
        register(app, auth) {
          app.get('/test/me', { preHandler: [auth.authenticate] }, async (req) => req.principal);
        },
      });
      user = await fx.addUser({ roles: ['UserAdministrator'] });
      const app = await fx.auth.apps.create({
        displayName: 'Partner portal',
        credential: { type: 'secret' },
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
      });
      client = await oidc.discovery(
        new URL(fx.issuer),
        app.clientId,
        undefined,
        oidc.ClientSecretPost(app.clientSecret),
        { execute: [oidc.allowInsecureRequests] },
      );
    });
    after(() => fx.close());

    test('code + PKCE with consent, then refresh: both access tokens open the admin API', async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(client, {
        redirect_uri: REDIRECT,
        scope: 'openid offline_access',
        prompt: 'consent',
        resource: GRAPH_RESOURCE,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      const browser = new FormBrowser();
      const login = await browser.open(url.href, REDIRECT);
      const consent = await browser.submit(login, formAction(login.html), {
        username: user.upn,
        password: user.password,
      });
      assert.match(consent.html, /Keep access to what you allowed/);
      const back = await browser.submit(consent, formAction(consent.html, 'Accept'), {}, REDIRECT);
      const tokens = await oidc.authorizationCodeGrant(client, new URL(back.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
      assert.equal((await fetch(`${fx.url}/test/me`, { headers: bearer(tokens.access_token) })).status, 200);

      const refreshed = await oidc.refreshTokenGrant(client, tokens.refresh_token);
      assert.notEqual(refreshed.access_token, tokens.access_token);
      const me = await fetch(`${fx.url}/test/me`, { headers: bearer(refreshed.access_token) });
      assert.equal(((await me.json()) as { id: string }).id, user.id);
    });

    test('a refresh token stops working once the account is disabled', async () => {
      const other = await fx.addUser({});
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(client, {
        redirect_uri: REDIRECT,
        scope: 'openid offline_access',
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 'st',
      });
      const browser = new FormBrowser();
      const login = await browser.open(url.href, REDIRECT);
      const consent = await browser.submit(login, formAction(login.html), {
        username: other.upn,
        password: other.password,
      });
      const back = await browser.submit(consent, formAction(consent.html, 'Accept'), {}, REDIRECT);
      const tokens = await oidc.authorizationCodeGrant(client, new URL(back.url), {
        pkceCodeVerifier: verifier,
        expectedState: 'st',
      });
      await fx.setAccountEnabled(other.id, false);
      await assert.rejects(
        oidc.refreshTokenGrant(client, tokens.refresh_token ?? ''),
        (err) => err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant',
      );
    });

    test('client credentials and the CLI password grant', async () => {
      const job = await fx.auth.apps.create({
        displayName: 'Nightly job',
        credential: { type: 'secret' },
        grantTypes: ['client_credentials'],
      });
      const app = await appToken(fx.url, { clientId: job.clientId, clientSecret: job.clientSecret ?? '' });
      assert.equal((await fetch(`${fx.url}/test/me`, { headers: bearer(app) })).status, 200);
      const cli = await userToken(fx.url, { username: user.upn, password: user.password });
      const me = (await (await fetch(`${fx.url}/test/me`, { headers: bearer(cli) })).json()) as {
        roles: string[];
      };
      assert.deepEqual(me.roles, ['User', 'UserAdministrator']);
    });
  });
}
