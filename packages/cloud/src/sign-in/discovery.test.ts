import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuth } from '../auth/create-auth.js';
import { GRAPH_RESOURCE } from './resources.js';
import type { SignInTables } from './schema.js';
import { type SignInFixture, startSignInFixture } from './sign-in-fixture.js';
import { ensureSignInKeys, publicJwks } from './signing-keys.js';

let fx: SignInFixture;
before(async () => {
  fx = await startSignInFixture();
});
after(() => fx.close());

test('discovery names the issuer under /oauth2 and the flows cloudsync offers', async () => {
  const res = await fetch(`${fx.issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  const meta = (await res.json()) as Record<string, unknown>;
  assert.equal(meta.issuer, `${fx.url}/oauth2`);
  assert.equal(meta.token_endpoint, `${fx.url}/oauth2/token`);
  assert.equal(meta.jwks_uri, `${fx.url}/oauth2/jwks`);
  assert.equal(meta.userinfo_endpoint, `${fx.url}/oauth2/me`);
  assert.equal(meta.device_authorization_endpoint, `${fx.url}/oauth2/device/auth`);
  assert.equal(meta.end_session_endpoint, `${fx.url}/oauth2/session/end`);
  assert.deepEqual(meta.response_types_supported, ['code']);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  const grants = meta.grant_types_supported as string[];
  for (const g of ['authorization_code', 'refresh_token', 'client_credentials', 'password']) {
    assert.ok(grants.includes(g), `grant ${g} in ${grants.join(' ')}`);
  }
  assert.ok(!(meta.token_endpoint_auth_methods_supported as string[]).includes('client_secret_jwt'));
  assert.ok((meta.scopes_supported as string[]).includes('roles'));
  assert.equal(typeof meta.authorization_endpoint, 'string');
  assert.ok(!JSON.stringify(meta).includes(GRAPH_RESOURCE), 'resources are not advertised');
});

test('JWKS publishes the stored signing key, public half only', async () => {
  const res = await fetch(`${fx.issuer}/jwks`);
  assert.equal(res.status, 200);
  const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
  const stored = await fx.store.db
    .withTables<{ sign_in_keys: { kid: string; purpose: string } }>()
    .selectFrom('sign_in_keys')
    .select(['kid', 'purpose'])
    .where('purpose', '=', 'signing')
    .execute();
  assert.equal(stored.length, 1);
  assert.deepEqual(
    keys.map((k) => k.kid),
    stored.map((k) => k.kid),
  );
  const [key] = keys;
  assert.equal(key?.kty, 'RSA');
  assert.equal(key?.alg, 'RS256');
  for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key?.[secret], undefined);
});

test('the keys survive a restart: a second createAuth over the same store reuses them', async () => {
  const before = (await (await fetch(`${fx.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
  const again = await createAuth({ db: fx.store.db, config: { publicUrl: fx.url }, log: fx.app.log });
  assert.equal(again.issuer, fx.issuer);
  const rows = await fx.store.db
    .withTables<SignInTables>()
    .selectFrom('sign_in_keys')
    .select(['kid', 'purpose'])
    .execute();
  assert.deepEqual(rows.map((r) => r.purpose).sort(), ['cookie', 'signing'], 'nothing new was generated');
  const restartedKeys = publicJwks(
    (await ensureSignInKeys(fx.store.db.withTables<SignInTables>())).signing,
  ).keys;
  assert.deepEqual(
    restartedKeys.map((k) => k.kid),
    before.keys.map((k) => k.kid),
  );
});
