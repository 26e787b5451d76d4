import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { appToken, bearer, userToken } from '../../../../tests/support/tokens.js';
import { GRAPH_RESOURCE } from '../sign-in/resources.js';
import { type SignInFixture, startSignInFixture } from '../sign-in/sign-in-fixture.js';

let fx: SignInFixture;
let app: { clientId: string; clientSecret: string };

before(async () => {
  fx = await startSignInFixture({
    register(server, auth) {
      server.get('/test/me', { preHandler: [auth.authenticate] }, async (req) => req.principal);
      server.get(
        '/test/users-admin',
        { preHandler: [auth.authenticate, auth.requireRole('GlobalAdministrator', 'UserAdministrator')] },
        async () => ({ ok: true }),
      );
      server.get(
        '/test/global-admin',
        { preHandler: [auth.authenticate, auth.requireRole('GlobalAdministrator')] },
        async () => ({ ok: true }),
      );
    },
  });
  const created = await fx.auth.apps.create({
    displayName: 'HR import',
    credential: { type: 'secret' },
    grantTypes: ['client_credentials'],
  });
  assert.ok(created.clientSecret);
  app = { clientId: created.clientId, clientSecret: created.clientSecret };
});
after(() => fx.close());

const get = (path: string, token?: string) =>
  fetch(`${fx.url}${path}`, { headers: token ? bearer(token) : {} });

async function refused(res: Response, message: RegExp): Promise<void> {
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
  const body = (await res.json()) as { error: { code: string; message: string; innerError: object } };
  assert.equal(body.error.code, 'InvalidAuthenticationToken');
  assert.match(body.error.message, message);
  assert.ok(body.error.innerError);
}

/** A token signed with the tenant's real key, with claims chosen by the test. */
async function forge(
  claims: Record<string, unknown>,
  options: { key?: JWK; typ?: string } = {},
): Promise<string> {
  const rows = await fx.store.db
    .withTables<{ sign_in_keys: { kid: string; purpose: string; material: string } }>()
    .selectFrom('sign_in_keys')
    .select(['material'])
    .where('purpose', '=', 'signing')
    .execute();
  const jwk = options.key ?? (JSON.parse(rows[0]?.material ?? '{}') as JWK);
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: fx.issuer,
    aud: GRAPH_RESOURCE,
    sub: app.clientId,
    client_id: app.clientId,
    idtyp: 'app',
    iat: now - 30,
    exp: now + 300,
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid ?? '', typ: options.typ ?? 'at+jwt' })
    .sign(await importJWK(jwk, 'RS256'));
}

describe('client credentials', () => {
  test('an app token is accepted and names the app', async () => {
    await fx.assignRole(app.clientId, 'UserAdministrator');
    const token = await appToken(fx.url, app);
    const res = await get('/test/me', token);
    assert.equal(res.status, 200);
    const principal = (await res.json()) as Record<string, unknown>;
    assert.equal(principal.kind, 'app');
    assert.equal(principal.id, app.clientId);
    assert.deepEqual(principal.roles, ['UserAdministrator']);
    assert.equal((await get('/test/users-admin', token)).status, 200);
    await fx.removeRole(app.clientId, 'UserAdministrator');
  });

  test('an app (or agent) with its own key pair authenticates with private_key_jwt', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'agent-key-1', alg: 'ES256', use: 'sig' };
    const agent = await fx.auth.apps.create({
      displayName: 'Sync agent DC01',
      credential: { type: 'private_key_jwt', jwks: { keys: [jwk] } },
      grantTypes: ['client_credentials'],
    });
    assert.equal(agent.clientSecret, undefined, 'no secret for a key-based client');
    const config = await oidc.discovery(
      new URL(fx.issuer),
      agent.clientId,
      undefined,
      oidc.PrivateKeyJwt({ key: privateKey, kid: 'agent-key-1' }),
      { execute: [oidc.allowInsecureRequests] },
    );
    const tokens = await oidc.clientCredentialsGrant(config, { resource: GRAPH_RESOURCE });
    const res = await get('/test/me', tokens.access_token);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { id: string }).id, agent.clientId);

    const stranger = await generateKeyPair('ES256');
    const forged = await oidc.discovery(
      new URL(fx.issuer),
      agent.clientId,
      undefined,
      oidc.PrivateKeyJwt({ key: stranger.privateKey, kid: 'agent-key-1' }),
      { execute: [oidc.allowInsecureRequests] },
    );
    await assert.rejects(
      oidc.clientCredentialsGrant(forged, { resource: GRAPH_RESOURCE }),
      (err) => err instanceof oidc.ResponseBodyError && err.error === 'invalid_client',
    );
  });

  test('a wrong client secret gets no token', async () => {
    await assert.rejects(
      appToken(fx.url, { ...app, clientSecret: `${app.clientSecret}x` }),
      /invalid_client/,
    );
  });

  test('the secret is stored hashed, never in clear', async () => {
    const rows = await fx.store.db
      .withTables<{ app_registrations: { client_id: string; client_secret_hash: string | null } }>()
      .selectFrom('app_registrations')
      .select('client_secret_hash')
      .where('client_id', '=', app.clientId)
      .execute();
    assert.match(rows[0]?.client_secret_hash ?? '', /^\$sha256\$/);
    assert.ok(!rows[0]?.client_secret_hash?.includes(app.clientSecret));
  });

  test('a disabled app registration is refused, old tokens included', async () => {
    const other = await fx.auth.apps.create({
      displayName: 'Old sync job',
      credential: { type: 'secret' },
      grantTypes: ['client_credentials'],
    });
    const creds = { clientId: other.clientId, clientSecret: other.clientSecret ?? '' };
    const token = await appToken(fx.url, creds);
    await fx.auth.apps.setEnabled(other.clientId, false);
    await refused(await get('/test/me', token), /disabled or no longer exists/);
    await assert.rejects(appToken(fx.url, creds), /invalid_client/);
  });
});

describe('tokens the admin API refuses with 401', () => {
  test('(control: a forged-by-the-test token with the right claims passes)', async () => {
    assert.equal((await get('/test/me', await forge({}))).status, 200);
  });

  test('no token', async () => {
    await refused(await get('/test/me'), /^Access token is empty\.$/);
  });

  test('an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await forge({ exp: now - 120, iat: now - 3720 });
    await refused(await get('/test/me', token), /expired/);
  });

  test('a tampered token', async () => {
    const token = await appToken(fx.url, app);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims.sub = 'someone-else';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await refused(await get('/test/me', forged), /Invalid signature/);
  });

  test('a token for another audience', async () => {
    await refused(await get('/test/me', await forge({ aud: 'https://other.example' })), /Invalid audience/);
  });

  test('a token from another issuer', async () => {
    await refused(
      await get('/test/me', await forge({ iss: 'https://evil.example/oauth2' })),
      /Invalid issuer/,
    );
  });

  test('a token signed by a key that is not the tenant’s', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key: JWK = { ...privateKey.export({ format: 'jwk' }), kid: 'attacker' };
    await refused(await get('/test/me', await forge({}, { key })), /validation failure/);
  });

  test('an ID token presented as an access token', async () => {
    await refused(await get('/test/me', await forge({}, { typ: 'JWT' })), /validation failure/);
  });
});

describe('users: current state from the store', () => {
  test('a removed role takes effect at once', async () => {
    const admin = await fx.addUser({ roles: ['GlobalAdministrator'] });
    const token = await userToken(fx.url, { username: admin.upn, password: admin.password });
    assert.equal((await get('/test/global-admin', token)).status, 200);
    await fx.removeRole(admin.id, 'GlobalAdministrator');
    const res = await get('/test/global-admin', token);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'Authorization_RequestDenied');
    assert.equal(body.error.message, 'Insufficient privileges to complete the operation.');
  });

  test('an ordinary user is refused admin routes with 403 and allowed the rest', async () => {
    const user = await fx.addUser({});
    const token = await userToken(fx.url, { username: user.upn, password: user.password });
    const me = (await (await get('/test/me', token)).json()) as Record<string, unknown>;
    assert.deepEqual(me.roles, ['User']);
    assert.equal(me.userPrincipalName, user.upn);
    assert.equal((await get('/test/users-admin', token)).status, 403);
  });

  test('a user administrator passes a route open to either admin role', async () => {
    const user = await fx.addUser({ roles: ['UserAdministrator'] });
    const token = await userToken(fx.url, { username: user.upn, password: user.password });
    assert.equal((await get('/test/users-admin', token)).status, 200);
    assert.equal((await get('/test/global-admin', token)).status, 403);
  });

  test('an account disabled since the token was issued is refused', async () => {
    const user = await fx.addUser({ roles: ['GlobalAdministrator'] });
    const token = await userToken(fx.url, { username: user.upn, password: user.password });
    assert.equal((await get('/test/me', token)).status, 200);
    await fx.setAccountEnabled(user.id, false);
    await refused(await get('/test/me', token), /disabled or no longer exists/);
  });

  test('an account soft-deleted since the token was issued is refused', async () => {
    const user = await fx.addUser({});
    const token = await userToken(fx.url, { username: user.upn, password: user.password });
    await fx.softDelete(user.id);
    await refused(await get('/test/me', token), /disabled or no longer exists/);
  });
});
