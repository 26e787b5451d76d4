import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.js';
import { createAppRegistrations } from '../sign-in/app-registrations.js';
import type { SignInTables } from '../sign-in/schema.js';
import { openStore } from '../store/open-store.js';
import { ADMIN_CENTER_CLIENT_ID, ensureAdminCenterClient } from './client-registration.js';
import { mountAdminCenter } from './index.js';
import { BUILD_COMMAND, ensureAdminUiBuilt } from './ui-build.js';

describe('admin center (served by the cloud)', () => {
  let fx: ApiFixture;
  before(async () => {
    assert.ok(ensureAdminUiBuilt(), 'the admin center builds');
    fx = await startApiFixture();
  });
  after(() => fx.close());

  test('config.json names the issuer, the first-party client and its redirect URI', async () => {
    const res = await fetch(`${fx.url}/admin/config.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      issuer: `${fx.url}/oauth2`,
      resource: 'urn:cloudsync:graph',
      clientId: ADMIN_CENTER_CLIENT_ID,
      redirectUri: `${fx.url}/admin/callback`,
      postLogoutRedirectUri: `${fx.url}/admin/`,
    });
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const app = await fx.cloud.auth.apps.find(ADMIN_CENTER_CLIENT_ID);
    assert.equal(app?.firstParty, true);
    assert.equal(app?.tokenEndpointAuthMethod, 'none', 'a public client: no secret in a browser');
    assert.deepEqual(app?.grantTypes, ['authorization_code']);
  });

  test('a new public URL moves the redirect URIs; a second start changes nothing', async () => {
    const deps = {
      apps: fx.cloud.auth.apps,
      db: fx.cloud.store.db.withTables<SignInTables>(),
      publicUrl: 'https://admin.contoso.test',
    };
    await ensureAdminCenterClient(deps);
    await ensureAdminCenterClient(deps);
    const app = await fx.cloud.auth.apps.find(ADMIN_CENTER_CLIENT_ID);
    assert.deepEqual(app?.redirectUris, ['https://admin.contoso.test/admin/callback']);
    await ensureAdminCenterClient({ ...deps, publicUrl: fx.url });
  });

  test('/admin/ and /admin/callback serve the app; /admin redirects', async () => {
    for (const path of ['/admin/', '/admin/callback?code=x&state=y']) {
      const res = await fetch(`${fx.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(await res.text(), /<div id="root">/);
    }
    const bare = await fetch(`${fx.url}/admin`, { redirect: 'manual' });
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.get('location'), '/admin/');
  });

  test('mapping preview: values from the sample, parse errors in words, admins only', async () => {
    const body = {
      objectType: 'user',
      mappings: [
        { target: 'displayName', source: { kind: 'expression', expression: 'Join(" ", [givenName], [sn])' } },
        { target: 'department', source: { kind: 'expression', expression: 'Join(" ", [givenName]' } },
      ],
      sample: { givenName: 'Bobby', sn: 'Tables' },
    };
    const res = await fx.call('POST', '/v1.0/cloudsync/mappingPreview', { body });
    assert.equal(res.status, 200, res.text);
    const [ok, broken] = (res.body as { value: { ok: boolean; value?: string; message?: string }[] }).value;
    assert.equal(ok?.ok, true);
    assert.equal(ok?.value, 'Bobby Tables');
    assert.equal(broken?.ok, false);
    assert.ok(broken?.message);
    const user = await fx.userWithRoles('previewer', ['User']);
    const refused = await fx.call('POST', '/v1.0/cloudsync/mappingPreview', { token: user.token, body });
    assert.equal(refused.status, 403);
    const bad = await fx.call('POST', '/v1.0/cloudsync/mappingPreview', { body: { ...body, extra: 1 } });
    assert.equal(bad.status, 400);
  });

  test('cycles of a configuration with no cycle: an empty list', async () => {
    const res = await fx.call('GET', '/v1.0/cloudsync/configurations/nope/cycles?top=5');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { value: unknown[] }).value, []);
    const bad = await fx.call('GET', '/v1.0/cloudsync/configurations/nope/cycles?top=0');
    assert.equal(bad.status, 400);
  });
});

test('without a build, /admin/ says how to build it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudsync-admin-center-'));
  const store = await openStore({ sqliteFile: join(dir, 'cloud.sqlite') });
  const app = Fastify();
  try {
    const pass = async () => {};
    await mountAdminCenter(app, {
      auth: {
        apps: createAppRegistrations(store.db.withTables<SignInTables>()),
        issuer: 'http://127.0.0.1:9/oauth2',
        authenticate: pass,
        requireRole: () => pass,
      },
      db: store.db,
      publicUrl: 'http://127.0.0.1:9',
      distDir: join(dir, 'no-dist'),
    });
    const res = await app.inject({ method: 'GET', url: '/admin/' });
    assert.equal(res.statusCode, 503);
    assert.ok(res.body.includes(BUILD_COMMAND), res.body);
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
