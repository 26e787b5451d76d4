import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { appToken, bearer } from '../../../../tests/support/tokens.js';
import type { SignInTables } from './schema.js';
import { type SignInFixture, startSignInFixture } from './sign-in-fixture.js';
import { retireSigningKeys, rotateSigningKey } from './signing-keys.js';

const protectedRoute: Parameters<typeof startSignInFixture>[0] = {
  register(app, auth) {
    app.get('/test/me', { preHandler: [auth.authenticate] }, async (req) => req.principal);
  },
};
const kidOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

const started: SignInFixture[] = [];
after(async () => {
  for (const fx of started.reverse()) await fx.close();
});

async function restart(previous: SignInFixture): Promise<SignInFixture> {
  await previous.app.close();
  // Listens on a new port (a client may still hold a keep-alive socket to the old one); same issuer.
  const fx = await startSignInFixture({
    ...protectedRoute,
    store: previous.store,
    publicUrl: previous.issuer.replace(/\/oauth2$/, ''),
  });
  started.push(fx);
  return fx;
}

test('rotation: the newest key signs after a restart, older tokens stay valid until the key is retired', async () => {
  const first = await startSignInFixture(protectedRoute);
  started.push(first);
  const created = await first.auth.apps.create({
    displayName: 'Reporting',
    credential: { type: 'secret' },
    grantTypes: ['client_credentials'],
  });
  const creds = { clientId: created.clientId, clientSecret: created.clientSecret ?? '' };
  const before = await appToken(first.url, creds);

  const db = first.store.db.withTables<SignInTables>();
  const newKid = await rotateSigningKey(db, new Date(Date.now() + 60_000));
  assert.notEqual(newKid, kidOf(before));

  const second = await restart(first);
  const afterRotation = await appToken(second.url, creds);
  assert.equal(kidOf(afterRotation), newKid, 'the new key signs');
  const jwks = (await (await fetch(`${second.url}/oauth2/jwks`)).json()) as { keys: { kid: string }[] };
  assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [kidOf(before), newKid].sort(), 'both are published');
  assert.equal((await fetch(`${second.url}/test/me`, { headers: bearer(before) })).status, 200);
  assert.equal((await fetch(`${second.url}/test/me`, { headers: bearer(afterRotation) })).status, 200);

  assert.deepEqual(await retireSigningKeys(db, new Date(Date.now() + 120_000)), [kidOf(before)]);
  const third = await restart(second);
  assert.equal((await fetch(`${third.url}/test/me`, { headers: bearer(before) })).status, 401);
  assert.equal((await fetch(`${third.url}/test/me`, { headers: bearer(afterRotation) })).status, 200);
});
