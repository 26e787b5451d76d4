import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_PASSWORD, type ApiFixture, startApiFixture } from './api-fixture.js';

const PASSWORD = 'Leak-Check-Pass-9';
const logs: string[] = [];
let fx: ApiFixture;
before(async () => {
  fx = await startApiFixture({ logs });
});
after(async () => {
  await fx.close();
});

test('passwords never reach the logs, the audit log, the store in clear, or a response', async () => {
  const created = await fx.call('POST', '/v1.0/users', {
    body: {
      displayName: 'Leak',
      userPrincipalName: `leak@${fx.domain}`,
      passwordProfile: { password: PASSWORD },
    },
  });
  assert.equal(created.status, 201);
  const patched = await fx.call('PATCH', `/v1.0/users/leak@${fx.domain}`, {
    body: { passwordProfile: { password: `${PASSWORD}-2` } },
  });
  assert.equal(patched.status, 204);
  const bad = await fx.call('POST', '/v1.0/users', {
    body: { displayName: 'x', userPrincipalName: 'bad', passwordProfile: { password: PASSWORD } },
  });
  assert.equal(bad.status, 400);
  assert.ok(logs.length > 5, 'the logs were captured');
  const everything = [
    ...logs,
    created.text,
    bad.text,
    (await fx.call('GET', '/v1.0/auditLogs/directoryAudits?$top=50')).text,
    (await fx.call('GET', `/v1.0/users/leak@${fx.domain}`)).text,
  ].join('\n');
  for (const secret of [PASSWORD, ADMIN_PASSWORD, 'scrypt']) assert.ok(!everything.includes(secret), secret);
  const row = await fx.cloud.store.db
    .selectFrom('users')
    .select('password_hash')
    .where('upn_key', '=', `leak@${fx.domain}`)
    .executeTakeFirstOrThrow();
  assert.match(row.password_hash ?? '', /^\$scrypt\$/);
  assert.ok(!row.password_hash?.includes(PASSWORD));
  assert.equal(typeof (await fx.tokenFor(`leak@${fx.domain}`, `${PASSWORD}-2`)), 'string');
});
