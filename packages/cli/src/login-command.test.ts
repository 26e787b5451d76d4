import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { FormBrowser, formAction } from '../../cloud/src/sign-in/form-browser.js';
import {
  type FixtureUser,
  type SignInFixture,
  startSignInFixture,
} from '../../cloud/src/sign-in/sign-in-fixture.js';
import { LoginError } from './login-client.js';
import { type LoginIo, runLogin } from './login-command.js';
import { credentialsPath, readCredentials, storedAccessToken } from './login-credentials.js';

let fx: SignInFixture;
let admin: FixtureUser;
let home: string;

before(async () => {
  fx = await startSignInFixture({
    register(app, auth) {
      app.get('/test/me', { preHandler: [auth.authenticate] }, async (req) => req.principal);
    },
  });
  admin = await fx.addUser({ roles: ['GlobalAdministrator'] });
  home = await mkdtemp(join(tmpdir(), 'cloudsync-login-'));
});
after(async () => {
  await fx.close();
  await rm(home, { recursive: true, force: true });
});

function io(stdin: string, lines: string[] = []): LoginIo {
  return { stdin: Readable.from([stdin]), out: (line) => lines.push(line), home };
}

async function apiAs(token: string) {
  return fetch(`${fx.url}/test/me`, { headers: { authorization: `Bearer ${token}` } });
}

describe('cloudsync login --username U --password-stdin', () => {
  test('saves a working admin API token, readable by the user only', async () => {
    const lines: string[] = [];
    await runLogin(
      { cloud: `${fx.url}/`, username: admin.upn, passwordStdin: true },
      io(`${admin.password}\n`, lines),
    );
    const path = credentialsPath(home);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(home, '.cloudsync'))).mode & 0o777, 0o700);
    const saved = await readCredentials(undefined, home);
    assert.equal(saved?.cloudUrl, fx.url);
    assert.equal(saved?.username, admin.upn);
    assert.ok(Date.parse(saved?.expiresAt ?? '') > Date.now());
    const res = await apiAs(saved?.accessToken ?? '');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { id: string }).id, admin.id);
    assert.match(lines.join('\n'), /Signed in to http:\/\/127\.0\.0\.1:\d+\. Token saved to /);
    assert.ok(!(await readFile(path, 'utf8')).includes(admin.password), 'the password is not kept');
  });

  test('a wrong password is refused with the cloud’s reason', async () => {
    await assert.rejects(
      runLogin({ cloud: fx.url, username: admin.upn, passwordStdin: true }, io('wrong\n')),
      (err) => err instanceof LoginError && err.code === 'invalid_grant' && /incorrect/.test(err.message),
    );
  });

  test('a username without --password-stdin is refused before anything is sent', async () => {
    await assert.rejects(
      runLogin({ cloud: fx.url, username: admin.upn }, io('')),
      /never on the command line/,
    );
  });
});

describe('cloudsync login (device flow)', () => {
  test('prints a URL and a code; signing in there saves a token with a refresh token', async () => {
    const lines: string[] = [];
    const login = runLogin({ cloud: fx.url }, io('', lines));
    const deadline = Date.now() + 10_000;
    while (!lines.some((l) => l.startsWith('To sign in')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const m = /open (\S+) in a browser and enter the code (\S+)/.exec(lines[0] ?? '');
    assert.ok(m?.[1] && m[2], `instructions printed: ${lines.join(' | ')}`);
    assert.equal(m[1], `${fx.url}/oauth2/device`);

    const browser = new FormBrowser();
    const input = await browser.open(m[1]);
    assert.match(input.html, /<label for="user_code">Code<\/label>/);
    const confirm = await browser.submit(input, formAction(input.html), { user_code: m[2] });
    assert.match(confirm.html, /Confirm sign-in/);
    assert.ok(confirm.html.includes(m[2]), 'the code is shown to compare');
    const signIn = await browser.submit(confirm, formAction(confirm.html), {});
    assert.match(signIn.html, /<h1>Sign in<\/h1>/);
    const done = await browser.submit(signIn, formAction(signIn.html), {
      username: admin.upn,
      password: admin.password,
    });
    assert.match(done.html, /You are signed in/);

    await login;
    const saved = await readCredentials(fx.url, home);
    assert.ok(saved?.refreshToken, 'offline_access gives the CLI a refresh token');
    assert.equal((await apiAs(saved?.accessToken ?? '')).status, 200);

    // Later commands: the stored token while valid; a refreshed one once it is about to expire.
    assert.equal(await storedAccessToken({ home }), saved.accessToken);
    const later = new Date(Date.parse(saved.expiresAt));
    const renewed = await storedAccessToken({ home, now: later });
    assert.notEqual(renewed, saved.accessToken);
    assert.equal((await apiAs(renewed)).status, 200);
    const resaved = await readCredentials(fx.url, home);
    assert.equal(resaved?.accessToken, renewed);
    assert.notEqual(resaved?.refreshToken, saved.refreshToken, 'the refresh token rotates');
  });

  test('without a refresh token, an expired token means signing in again', async () => {
    const lines: string[] = [];
    await runLogin({ cloud: fx.url, username: admin.upn, passwordStdin: true }, io(admin.password, lines));
    const saved = await readCredentials(fx.url, home);
    await assert.rejects(
      storedAccessToken({ cloudUrl: fx.url, home, now: new Date(Date.parse(saved?.expiresAt ?? '')) }),
      /run `cloudsync login` again/,
    );
  });
});
