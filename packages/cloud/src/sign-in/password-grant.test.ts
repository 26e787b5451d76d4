import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashOfHash, ntHash } from '@cloudsync/protocol';
import { GRAPH_RESOURCE } from './resources.js';
import type { SignInTables } from './schema.js';
import { type FixtureUser, type SignInFixture, startSignInFixture } from './sign-in-fixture.js';

let fx: SignInFixture;
let admin: FixtureUser;

before(async () => {
  fx = await startSignInFixture();
  admin = await fx.addUser({ roles: ['GlobalAdministrator'] });
});
after(() => fx.close());

async function passwordGrant(fields: Record<string, string>, basic?: { id: string; secret: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  const res = await fetch(`${fx.issuer}/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'password', ...fields }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('cloudsync-cli gets an admin API JWT, and nothing more', async () => {
  const { status, body } = await passwordGrant({
    client_id: 'cloudsync-cli',
    username: admin.upn,
    password: admin.password,
  });
  assert.equal(status, 200);
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 3600);
  assert.equal(body.refresh_token, undefined);
  assert.equal(body.id_token, undefined);
  const [, payload] = String(body.access_token).split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  assert.equal(claims.aud, GRAPH_RESOURCE);
  assert.equal(claims.sub, admin.id);
  assert.equal(claims.client_id, 'cloudsync-cli');
  assert.equal(claims.idtyp, 'user');
  assert.equal(claims.iss, fx.issuer);
});

test('a wrong password, and a disabled account, are refused with their reason', async () => {
  const wrong = await passwordGrant({ client_id: 'cloudsync-cli', username: admin.upn, password: 'nope' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, 'invalid_grant');
  assert.equal(wrong.body.error_description, 'Your account or password is incorrect.');

  const user = await fx.addUser({});
  await fx.setAccountEnabled(user.id, false);
  const disabled = await passwordGrant({
    client_id: 'cloudsync-cli',
    username: user.upn,
    password: user.password,
  });
  assert.equal(disabled.body.error, 'invalid_grant');
  assert.match(String(disabled.body.error_description), /disabled/);
});

test('a synced user signs in with the AD password behind the hash-of-hash, and only the latest one', async () => {
  const synced = await fx.addUser({ passwordHash: await hashOfHash(ntHash('Summer-2026!')) });
  const grant = (password: string) =>
    passwordGrant({ client_id: 'cloudsync-cli', username: synced.upn, password });
  assert.equal((await grant('Summer-2026!')).status, 200);
  // The password changes in AD; the next cycle brings the new hash-of-hash.
  await fx.setPasswordHash(synced.id, await hashOfHash(ntHash('Autumn-2026!')));
  assert.equal((await grant('Summer-2026!')).body.error, 'invalid_grant');
  assert.equal((await grant('Autumn-2026!')).status, 200);
});

test('another resource than the admin API is refused', async () => {
  const { body } = await passwordGrant({
    client_id: 'cloudsync-cli',
    username: admin.upn,
    password: admin.password,
    resource: 'https://elsewhere.example',
  });
  assert.equal(body.error, 'invalid_target');
});

test('any other client is refused, even one registered with the password grant', async () => {
  const plain = await fx.auth.apps.create({
    displayName: 'Ordinary app',
    credential: { type: 'secret' },
    grantTypes: ['client_credentials'],
  });
  const refused = await passwordGrant(
    { username: admin.upn, password: admin.password },
    { id: plain.clientId, secret: plain.clientSecret ?? '' },
  );
  // The provider's own check: the grant is not among this client's grant_types.
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error_description, 'requested grant type is not allowed for this client');

  // apps.create refuses the password grant, so write the misregistration straight into the store.
  await assert.rejects(
    fx.auth.apps.create({ displayName: 'x', credential: { type: 'secret' }, grantTypes: ['password'] }),
    /cannot use the grant password/,
  );
  const sneaky = await fx.auth.apps.create({
    displayName: 'Misregistered app',
    credential: { type: 'secret' },
    grantTypes: ['client_credentials'],
  });
  await fx.store.db
    .withTables<SignInTables>()
    .updateTable('app_registrations')
    .set({ grant_types: JSON.stringify(['password']) })
    .where('client_id', '=', sneaky.clientId)
    .execute();
  const alsoRefused = await passwordGrant(
    { username: admin.upn, password: admin.password },
    { id: sneaky.clientId, secret: sneaky.clientSecret ?? '' },
  );
  // Our check in the grant itself, for a client whose grant_types wrongly include it.
  assert.equal(alsoRefused.body.error, 'unauthorized_client');
  assert.equal(alsoRefused.body.error_description, 'the password grant is reserved for cloudsync-cli');
});

test('passwords given to the token endpoint are not logged', () => {
  const all = fx.logs.join('\n');
  assert.ok(all.includes('oidc request refused'), 'refusals are logged');
  assert.ok(!all.includes(admin.password));
});
