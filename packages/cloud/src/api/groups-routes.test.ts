import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTxtLookup } from '../directory/domains/dns-txt.js';
import { startTinyDnsServer, type TinyDnsServer } from '../directory/domains/tiny-dns-server.js';
import { type ApiFixture, startApiFixture } from './api-fixture.js';

type Json = Record<string, unknown>;
const error = (v: unknown) => (v as Json).error as { code: string; message: string; target?: string };

let fx: ApiFixture;
let dns: TinyDnsServer;
before(async () => {
  dns = await startTinyDnsServer();
  fx = await startApiFixture({ lookupTxt: createTxtLookup([dns.address]) });
});
after(async () => {
  await fx.close();
  await dns.close();
});

const post = async (path: string, body: unknown) => {
  const res = await fx.call('POST', path, { body });
  assert.ok(res.status < 300, `${path}: ${res.text}`);
  return res.body as Json;
};

test('groups: members by $ref (users, contacts, nested groups), no cycles, remove', async () => {
  const outer = await post('/v1.0/groups', {
    displayName: 'Outer',
    mailNickname: 'outer',
    mailEnabled: false,
    securityEnabled: true,
  });
  const inner = await post('/v1.0/groups', {
    displayName: 'Inner',
    mailNickname: 'inner',
    mailEnabled: false,
    securityEnabled: true,
  });
  const user = await post('/v1.0/users', { displayName: 'Member', userPrincipalName: `member@${fx.domain}` });
  const contact = await post('/v1.0/contacts', { displayName: 'Vendor', mail: 'vendor@example.com' });
  const ref = (id: unknown) => ({
    '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${String(id)}`,
  });
  for (const member of [user, contact, inner]) {
    const res = await fx.call('POST', `/v1.0/groups/${String(outer.id)}/members/$ref`, {
      body: ref(member.id),
    });
    assert.equal(res.status, 204, res.text);
  }
  const cycle = await fx.call('POST', `/v1.0/groups/${String(inner.id)}/members/$ref`, {
    body: ref(outer.id),
  });
  assert.equal(cycle.status, 400);
  assert.match(error(cycle.body).message, /cycle/);
  const again = await fx.call('POST', `/v1.0/groups/${String(outer.id)}/members/$ref`, {
    body: ref(user.id),
  });
  assert.equal(again.status, 400);
  const badRef = await fx.call('POST', `/v1.0/groups/${String(outer.id)}/members/$ref`, {
    body: { '@odata.id': 'nonsense' },
  });
  assert.equal(error(badRef.body).target, '@odata.id');
  const members = await fx.call('GET', `/v1.0/groups/${String(outer.id)}/members`);
  assert.deepEqual(((members.body as Json).value as Json[]).map((m) => m['@odata.type']).sort(), [
    '#microsoft.graph.group',
    '#microsoft.graph.orgContact',
    '#microsoft.graph.user',
  ]);
  const removed = await fx.call(
    'DELETE',
    `/v1.0/groups/${String(outer.id)}/members/${String(contact.id)}/$ref`,
  );
  assert.equal(removed.status, 204);
  const listed = await fx.call('GET', `/v1.0/groups?$filter=displayName eq 'outer'`);
  assert.deepEqual(
    ((listed.body as Json).value as Json[]).map((g) => g.id),
    [outer.id],
  );
  assert.equal(
    (await fx.call('PATCH', `/v1.0/groups/${String(outer.id)}`, { body: { description: 'Outer group' } }))
      .status,
    204,
  );
  assert.equal(
    ((await fx.call('GET', `/v1.0/groups/${String(outer.id)}`)).body as Json).description,
    'Outer group',
  );
  assert.equal((await fx.call('DELETE', `/v1.0/groups/${String(inner.id)}`)).status, 204);
  assert.equal((await fx.call('GET', `/v1.0/groups/${String(inner.id)}`)).status, 404);
});

test('members page with $top and @odata.nextLink, and filter', async () => {
  const group = await post('/v1.0/groups', {
    displayName: 'Big',
    mailNickname: 'big',
    mailEnabled: false,
    securityEnabled: true,
  });
  for (let i = 0; i < 5; i += 1) {
    const u = await post('/v1.0/users', {
      displayName: `Big member ${i}`,
      userPrincipalName: `big${i}@${fx.domain}`,
    });
    await fx.call('POST', `/v1.0/groups/${String(group.id)}/members/$ref`, {
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${String(u.id)}` },
    });
  }
  const seen: unknown[] = [];
  let next: string | undefined = `/v1.0/groups/${String(group.id)}/members?$top=2&$count=true`;
  while (next) {
    const page = (await fx.call('GET', next)).body as Json;
    assert.equal(page['@odata.count'], 5);
    seen.push(...(page.value as Json[]).map((m) => m.userPrincipalName));
    next =
      typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'].slice(fx.url.length) : undefined;
  }
  assert.deepEqual(
    [...seen].sort(),
    [0, 1, 2, 3, 4].map((i) => `big${i}@${fx.domain}`),
  );
  const filtered = await fx.call(
    'GET',
    `/v1.0/groups/${String(group.id)}/members?$filter=displayName eq 'BIG MEMBER 3'`,
  );
  assert.deepEqual(
    ((filtered.body as Json).value as Json[]).map((m) => m.userPrincipalName),
    [`big3@${fx.domain}`],
  );
  assert.equal(
    (await fx.call('GET', '/v1.0/groups/00000000-0000-0000-0000-000000000000/members')).status,
    404,
  );
});

test('contacts: create, filter, update, delete', async () => {
  const c = await post('/v1.0/contacts', {
    displayName: 'Partner Pat',
    mail: 'pat@partner.example',
    companyName: 'Partner',
  });
  const found = await fx.call('GET', `/v1.0/contacts?$filter=mail eq 'PAT@partner.example'`);
  assert.deepEqual(
    ((found.body as Json).value as Json[]).map((x) => x.id),
    [c.id],
  );
  assert.equal(
    (await fx.call('PATCH', `/v1.0/contacts/${String(c.id)}`, { body: { jobTitle: 'Buyer' } })).status,
    204,
  );
  const bad = await fx.call('POST', '/v1.0/contacts', { body: { displayName: 'x', mail: 'not-mail' } });
  assert.equal(error(bad.body).target, 'mail');
  assert.equal((await fx.call('DELETE', `/v1.0/contacts/${String(c.id)}`)).status, 204);
});

test('domains: add, read the TXT record to publish, verify through DNS, then use for UPNs', async () => {
  const added = await fx.call('POST', '/v1.0/domains', { body: { id: 'fabrikam.test' } });
  assert.equal(added.status, 201, added.text);
  assert.equal((added.body as Json).isVerified, false);
  const records = await fx.call('GET', '/v1.0/domains/fabrikam.test/verificationDnsRecords');
  const txt = ((records.body as Json).value as Json[])[0];
  assert.equal(txt?.recordType, 'Txt');
  const early = await fx.call('POST', '/v1.0/domains/fabrikam.test/verify');
  assert.equal(early.status, 400);
  const user = { displayName: 'F', userPrincipalName: 'f@fabrikam.test' };
  assert.equal((await fx.call('POST', '/v1.0/users', { body: user })).status, 400);
  dns.records.set('fabrikam.test', [String(txt?.text)]);
  const verified = await fx.call('POST', '/v1.0/domains/fabrikam.test/verify');
  assert.equal(verified.status, 200, verified.text);
  assert.equal((verified.body as Json).isVerified, true);
  assert.equal((await fx.call('POST', '/v1.0/users', { body: user })).status, 201);
  const org = await fx.call('GET', '/v1.0/organization');
  const first = ((org.body as Json).value as Json[])[0] ?? {};
  const domains = (first.verifiedDomains as Json[]).map((d) => d.name);
  assert.deepEqual(domains, ['contoso.cloudsync.test', 'fabrikam.test']);
});

test('unknown routes and methods answer in Graph error shape', async () => {
  const res = await fx.call('GET', '/v1.0/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(error(res.body).code, 'Request_ResourceNotFound');
});
