import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiFixture, startApiFixture } from './api-fixture.js';

type Json = Record<string, unknown>;
const errorCode = (v: unknown) => ((v as Json).error as Json).code;

let fx: ApiFixture;
let userAdmin: { id: string; upn: string; token: string };
let plain: { id: string; upn: string; token: string };
before(async () => {
  fx = await startApiFixture();
  userAdmin = await fx.userWithRoles('helpdesk', ['UserAdministrator']);
  plain = await fx.userWithRoles('plain', ['User']);
});
after(async () => {
  await fx.close();
});

test('no token or a bad token: 401 InvalidAuthenticationToken', async () => {
  for (const token of [null, 'not-a-jwt']) {
    const res = await fx.call('GET', '/v1.0/users', { token });
    assert.equal(res.status, 401);
    assert.equal(errorCode(res.body), 'InvalidAuthenticationToken');
  }
});

test('an ordinary user reads /me and the organization, and nothing else', async () => {
  const me = await fx.call('GET', '/v1.0/me', { token: plain.token });
  assert.equal(me.status, 200);
  assert.equal((me.body as Json).userPrincipalName, plain.upn);
  assert.equal((await fx.call('GET', '/v1.0/organization', { token: plain.token })).status, 200);
  for (const [method, path] of [
    ['GET', '/v1.0/users'],
    ['GET', `/v1.0/users/${plain.id}`],
    ['GET', '/v1.0/groups'],
    ['GET', '/v1.0/domains'],
    ['GET', '/v1.0/subscribedSkus'],
    ['DELETE', `/v1.0/users/${fx.adminId}`],
  ] as const) {
    const res = await fx.call(method, path, { token: plain.token });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(errorCode(res.body), 'Authorization_RequestDenied');
  }
});

test('a User Administrator manages users and groups but not domains, audit logs or Global Administrators', async () => {
  const token = userAdmin.token;
  const created = await fx.call('POST', '/v1.0/users', {
    token,
    body: { displayName: 'Made by helpdesk', userPrincipalName: `helpdesk-made@${fx.domain}` },
  });
  assert.equal(created.status, 201, created.text);
  const group = await fx.call('POST', '/v1.0/groups', {
    token,
    body: { displayName: 'Helpdesk', mailNickname: 'helpdesk', mailEnabled: false, securityEnabled: true },
  });
  assert.equal(group.status, 201, group.text);
  assert.equal((await fx.call('GET', '/v1.0/domains', { token })).status, 200);
  assert.equal(
    (await fx.call('POST', '/v1.0/domains', { token, body: { id: 'fabrikam.test' } })).status,
    403,
  );
  assert.equal((await fx.call('GET', '/v1.0/auditLogs/directoryAudits', { token })).status, 403);
  const onAdmin = await fx.call('PATCH', `/v1.0/users/${fx.adminId}`, {
    token,
    body: { jobTitle: 'Demoted' },
  });
  assert.equal(onAdmin.status, 403);
  assert.equal((await fx.call('DELETE', `/v1.0/users/${fx.adminId}`, { token })).status, 403);
  assert.equal((await fx.call('GET', `/v1.0/users/${fx.adminId}`)).status, 200, 'the admin is untouched');
});

test('the audit log shows who did what, newest first', async () => {
  const res = await fx.call('GET', '/v1.0/auditLogs/directoryAudits?$top=5');
  assert.equal(res.status, 200, res.text);
  const entries = (res.body as Json).value as Json[];
  const times = entries.map((e) => String(e.activityDateTime));
  assert.deepEqual(times, [...times].sort().reverse());
  const byHelpdesk = entries.find((e) => e.activityDisplayName === 'Add group');
  assert.ok(byHelpdesk);
  assert.equal(((byHelpdesk.initiatedBy as Json).user as Json).userPrincipalName, userAdmin.upn);
  assert.equal(byHelpdesk.result, 'success');
});
