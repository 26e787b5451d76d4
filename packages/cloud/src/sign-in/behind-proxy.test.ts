// The cloud on a loopback plain-HTTP port behind a TLS reverse proxy: the issuer is the https public
// URL, cookies are Secure, and every URL the provider builds names the public origin.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { FormBrowser, formAction } from './form-browser.js';
import { type SignInFixture, startSignInFixture } from './sign-in-fixture.js';

const PUBLIC = 'https://cloud.contoso.test';
const REDIRECT = 'https://app.contoso.test/cb';
const proxyHeaders = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cloud.contoso.test' };

let fx: SignInFixture;
before(async () => {
  fx = await startSignInFixture({ publicUrl: PUBLIC });
});
after(() => fx.close());

const toLocal = (url: string) => (url.startsWith(PUBLIC) ? `${fx.url}${url.slice(PUBLIC.length)}` : url);

test('discovery names the public https origin', async () => {
  const res = await fetch(`${fx.url}/oauth2/.well-known/openid-configuration`, { headers: proxyHeaders });
  const meta = (await res.json()) as Record<string, string>;
  assert.equal(meta.issuer, `${PUBLIC}/oauth2`);
  assert.equal(meta.token_endpoint, `${PUBLIC}/oauth2/token`);
  assert.equal(meta.authorization_endpoint, `${PUBLIC}/oauth2/auth`);
});

test('a browser signs in through the proxy, with Secure cookies', async () => {
  const user = await fx.addUser({});
  const app = await fx.auth.apps.create({
    displayName: 'Portal',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
    firstParty: true,
  });
  const server = new oidc.Configuration(
    { issuer: `${PUBLIC}/oauth2`, authorization_endpoint: `${PUBLIC}/oauth2/auth` },
    app.clientId,
  );
  const url = oidc.buildAuthorizationUrl(server, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const setCookies: string[] = [];
  const probe = await fetch(toLocal(url.href), { headers: proxyHeaders, redirect: 'manual' });
  setCookies.push(...probe.headers.getSetCookie());
  assert.ok(setCookies.length > 0);
  for (const cookie of setCookies) assert.match(cookie, /; secure/i, cookie.split(';')[0]);

  const browser = new FormBrowser({ rewrite: toLocal, headers: proxyHeaders });
  const page = await browser.open(url.href, REDIRECT);
  const back = await browser.submit(
    page,
    formAction(page.html),
    { username: user.upn, password: user.password },
    REDIRECT,
  );
  const params = new URL(back.url).searchParams;
  assert.ok(params.get('code'));
  assert.equal(params.get('iss'), `${PUBLIC}/oauth2`);
});
