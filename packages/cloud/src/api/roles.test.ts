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

test('Global Administrators assign and remove admin roles through roleAssignments; the last one stays', async () => {
  const path = '/v1.0/roleManagement/directory/roleAssignments';
  const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
  const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
  const promoted = await fx.userWithRoles('promoted', ['User']);
  assert.equal((await fx.call('GET', '/v1.0/users', { token: promoted.token })).status, 403);
  assert.equal(
    (
      await fx.call('POST', path, {
        token: userAdmin.token,
        body: { principalId: promoted.id, roleDefinitionId: USER_ADMIN },
      })
    ).status,
    403,
  );
  const created = await fx.call('POST', path, {
    body: { principalId: promoted.id, roleDefinitionId: USER_ADMIN, directoryScopeId: '/' },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal((created.body as Json).roleDefinitionId, USER_ADMIN);
  assert.equal(
    (await fx.call('GET', '/v1.0/users', { token: promoted.token })).status,
    200,
    'roles apply at once',
  );
  const unknownRole = await fx.call('POST', path, {
    body: { principalId: promoted.id, roleDefinitionId: '00000000-0000-0000-0000-000000000000' },
  });
  assert.equal(unknownRole.status, 400);
  const listed = ((await fx.call('GET', path)).body as Json).value as Json[];
  const globalAdmins = listed.filter((a) => a.roleDefinitionId === GLOBAL_ADMIN);
  assert.deepEqual(
    globalAdmins.map((a) => a.principalId),
    [fx.adminId],
  );
  const last = await fx.call('DELETE', `${path}/${String(globalAdmins[0]?.id)}`);
  assert.equal(last.status, 400);
  assert.match(((last.body as Json).error as Json).message as string, /last Global Administrator/);
  assert.equal((await fx.call('DELETE', `${path}/${String((created.body as Json).id)}`)).status, 204);
  assert.equal((await fx.call('GET', '/v1.0/users', { token: promoted.token })).status, 403);
});
