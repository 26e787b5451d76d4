// The whole cloud (buildCloudApp) at debug level: every way a password reaches it — the sign-in
// page, the password grant, the admin API — and then no password in what was logged.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import pino from 'pino';
import { freePort } from '../../../../tests/harness/process.js';
import { bearer, userToken } from '../../../../tests/support/tokens.js';
import { buildCloudApp, type CloudApp } from '../app.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../directory/clock.js';
import { FormBrowser, formAction } from '../sign-in/form-browser.js';
import { initTenant } from '../tenant/init-tenant.js';

const ADMIN_PASSWORD = 'Correct-Horse-7!';
const WRONG_PASSWORD = 'Wrong-Battery-9!';
const NEW_USER_PASSWORD = 'Fresh-Staple-3!';
const REDIRECT = 'http://127.0.0.1:9/cb';

const lines: string[] = [];
let cloud: CloudApp;
let url: string;
let adminUpn: string;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cloudsync-logs-'));
  const port = await freePort();
  const config = loadConfig({
    env: {},
    flags: { data: dataDir, port, host: '127.0.0.1', logLevel: 'debug' },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  cloud = await buildCloudApp({ config, logger: pino({ level: 'trace' }, sink) });
  await cloud.app.listen({ host: '127.0.0.1', port });
  url = `http://127.0.0.1:${port}`;
  const init = await initTenant(
    { directory: cloud.directory, clock: systemClock },
    { name: 'contoso', domainSuffix: 'cloudsync.test', adminPassword: ADMIN_PASSWORD },
  );
  adminUpn = init.adminUserPrincipalName;
});
after(async () => {
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('passwords typed anywhere never reach the logs', async () => {
  // The password grant, wrong then right.
  await assert.rejects(userToken(url, { username: adminUpn, password: WRONG_PASSWORD }), /incorrect/);
  const token = await userToken(url, { username: adminUpn, password: ADMIN_PASSWORD });

  // The sign-in page, wrong then right, for a first-party app.
  const mail = await cloud.auth.apps.create({
    displayName: 'Mail',
    credential: { type: 'public' },
    grantTypes: ['authorization_code'],
    redirectUris: [REDIRECT],
    firstParty: true,
  });
  const config = await oidc.discovery(new URL(cloud.auth.issuer), mail.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const auth = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new FormBrowser();
  const page = await browser.open(auth.href, REDIRECT);
  const again = await browser.submit(page, formAction(page.html), {
    username: adminUpn,
    password: WRONG_PASSWORD,
  });
  assert.equal(again.status, 401);
  const back = await browser.submit(
    again,
    formAction(again.html),
    { username: adminUpn, password: ADMIN_PASSWORD },
    REDIRECT,
  );
  assert.ok(new URL(back.url).searchParams.get('code'));

  // The admin API: a user created with a password, and a refused one (too simple).
  const created = await fetch(`${url}/v1.0/users`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify({
      accountEnabled: true,
      displayName: 'Lee Gu',
      mailNickname: 'lee',
      userPrincipalName: `lee@${adminUpn.split('@')[1]}`,
      passwordProfile: { password: NEW_USER_PASSWORD },
    }),
  });
  assert.equal(created.status, 201);
  await fetch(`${url}/v1.0/users`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: `{"displayName":"broken","passwordProfile":{"password":"${NEW_USER_PASSWORD}"`,
  });

  const all = lines.join('');
  assert.ok(lines.length > 10, 'the cloud logged at debug level');
  assert.ok(all.includes('sign-in refused'), 'the refused sign-in was logged');
  for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, NEW_USER_PASSWORD]) {
    assert.ok(!all.includes(secret), `"${secret}" is not in the logs`);
  }
});
