import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SYSTEM_ACTOR } from '../directory/actor.js';
import { type ApiFixture, startApiFixture } from './api-fixture.js';

const E5 = 'c42b9cae-ea4f-4ab7-9717-81576235ccac';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;
const errorOf = (v: unknown) => obj(obj(v).error) as { code: string; message: string; target?: string };

let fx: ApiFixture;
before(async () => {
  fx = await startApiFixture();
});
after(async () => {
  await fx.close();
});

describe('POST /v1.0/users and GET /v1.0/users/{id}', () => {
  test('creates a user and reads it by id or UPN; no secret ever appears', async () => {
    const created = await fx.call('POST', '/v1.0/users', {
      body: {
        accountEnabled: true,
        displayName: 'Adele Vance',
        mailNickname: 'adelev',
        userPrincipalName: `AdeleV@${fx.domain}`,
        passwordProfile: { password: 'Adele-Pass-1', forceChangePasswordNextSignIn: false },
        usageLocation: 'US',
      },
    });
    assert.equal(created.status, 201, created.text);
    const user = obj(created.body);
    assert.equal(user['@odata.context'], `${fx.url}/v1.0/$metadata#users/$entity`);
    assert.equal(user.userPrincipalName, `AdeleV@${fx.domain}`);
    assert.equal(user.onPremisesSyncEnabled, null);
    assert.doesNotMatch(created.text, /scrypt|password/i);
    const byUpn = await fx.call('GET', `/v1.0/users/adelev@${fx.domain.toUpperCase()}`);
    assert.equal(byUpn.status, 200);
    assert.equal(obj(byUpn.body).id, user.id);
    assert.doesNotMatch(byUpn.text, /scrypt|password/i);
    const token = await fx.tokenFor(`adelev@${fx.domain}`, 'Adele-Pass-1');
    assert.equal((await fx.call('GET', '/v1.0/me', { token })).status, 200);
  });

  test('400 naming the field: malformed JSON, unknown or read-only property, over-long value, bad UPN, duplicate', async () => {
    const cases: [unknown, RegExp, string | undefined][] = [
      ['{"displayName": ', /Unable to read JSON/, undefined],
      [
        { displayName: 'x', userPrincipalName: `x@${fx.domain}`, favouriteColour: 'red' },
        /'favouriteColour' does not exist/,
        'favouriteColour',
      ],
      [
        { displayName: 'x'.repeat(257), userPrincipalName: `x@${fx.domain}` },
        /'displayName'.*257|longer than 256/,
        'displayName',
      ],
      [{ displayName: 'x', userPrincipalName: 'not-an-upn' }, /userPrincipalName/, 'userPrincipalName'],
      [
        { displayName: 'x', userPrincipalName: 'x@unverified.example' },
        /verified domain/,
        'userPrincipalName',
      ],
      [{ userPrincipalName: `x@${fx.domain}` }, /'displayName' is required/, 'displayName'],
      [
        { displayName: 'x', userPrincipalName: `ADELEV@${fx.domain}` },
        /same value for property userPrincipalName/,
        'userPrincipalName',
      ],
      [
        { displayName: 'x', userPrincipalName: `y@${fx.domain}`, usageLocation: 'usa' },
        /usageLocation/,
        'usageLocation',
      ],
      [
        { displayName: 'x', userPrincipalName: `y@${fx.domain}`, passwordProfile: { password: 'weak' } },
        /complexity/,
        'passwordProfile.password',
      ],
    ];
    for (const [body, message, target] of cases) {
      const res = await fx.call('POST', '/v1.0/users', { body });
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${res.text}`);
      const error = errorOf(res.body);
      assert.match(error.message, message);
      assert.equal(error.target, target);
    }
    const all = await fx.call(
      'GET',
      `/v1.0/users?$filter=startswith(userPrincipalName,'x@') or startswith(userPrincipalName,'y@')`,
    );
    assert.deepEqual(obj(all.body).value, [], 'no partial writes');
  });

  test('PATCH updates, DELETE soft-deletes, deletedItems lists and restores', async () => {
    const created = obj(
      (
        await fx.call('POST', '/v1.0/users', {
          body: { displayName: 'Bianca', userPrincipalName: `bianca@${fx.domain}` },
        })
      ).body,
    );
    const id = String(created.id);
    const patched = await fx.call('PATCH', `/v1.0/users/${id}`, {
      body: { jobTitle: 'Pilot', department: 'Air' },
    });
    assert.equal(patched.status, 204, patched.text);
    assert.equal(obj((await fx.call('GET', `/v1.0/users/${id}`)).body).jobTitle, 'Pilot');
    const readOnly = await fx.call('PATCH', `/v1.0/users/${id}`, { body: { jobTitle: 'x', id: 'abc' } });
    assert.equal(readOnly.status, 400);
    assert.equal(errorOf(readOnly.body).target, 'id');
    assert.equal(obj((await fx.call('GET', `/v1.0/users/${id}`)).body).jobTitle, 'Pilot');
    assert.equal((await fx.call('DELETE', `/v1.0/users/${id}`)).status, 204);
    const gone = await fx.call('GET', `/v1.0/users/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(errorOf(gone.body).code, 'Request_ResourceNotFound');
    const deleted = await fx.call('GET', '/v1.0/directory/deletedItems/microsoft.graph.user');
    assert.ok((obj(deleted.body).value as Json[]).some((u) => u.id === id));
    const restored = await fx.call('POST', `/v1.0/directory/deletedItems/${id}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.equal(obj(restored.body).deletedDateTime, null);
    assert.equal((await fx.call('GET', `/v1.0/users/${id}`)).status, 200);
  });

  test('synced users: on-premises attributes refused naming the property, usage location and licences allowed', async () => {
    const { user } = await fx.cloud.directory.syncedUsers.upsertSyncedUser(SYSTEM_ACTOR, {
      onPremisesImmutableId: 'c3luY2VkLXVzZXItMQ==',
      userPrincipalName: `synced1@${fx.domain}`,
      displayName: 'Synced One',
      accountEnabled: true,
      onPremisesSamAccountName: 'synced1',
    });
    for (const [property, value] of [
      ['displayName', 'Renamed'],
      ['accountEnabled', false],
      ['onPremisesSamAccountName', 'other'],
    ] as const) {
      const res = await fx.call('PATCH', `/v1.0/users/${user.id}`, { body: { [property]: value } });
      assert.equal(res.status, 400, res.text);
      assert.equal(errorOf(res.body).target, property);
      assert.match(errorOf(res.body).message, new RegExp(`'${property}' is managed by on-premises sync`));
    }
    assert.equal(
      (await fx.call('PATCH', `/v1.0/users/${user.id}`, { body: { usageLocation: 'GB' } })).status,
      204,
    );
    const licensed = await fx.call('POST', `/v1.0/users/${user.id}/assignLicense`, {
      body: { addLicenses: [{ skuId: E5, disabledPlans: [] }], removeLicenses: [] },
    });
    assert.equal(licensed.status, 200, licensed.text);
    assert.deepEqual(obj(licensed.body).assignedLicenses, [{ skuId: E5, disabledPlans: [] }]);
    const details = await fx.call('GET', `/v1.0/users/${user.id}/licenseDetails`);
    assert.equal((obj(details.body).value as Json[])[0]?.skuPartNumber, 'DEVELOPERPACK_E5');
    const got = obj((await fx.call('GET', `/v1.0/users/${user.id}`)).body);
    assert.equal(got.onPremisesSyncEnabled, true);
    assert.equal(got.displayName, 'Synced One');
  });

  test("assignLicense without usage location is refused with Graph's message", async () => {
    const u = obj(
      (
        await fx.call('POST', '/v1.0/users', {
          body: { displayName: 'NoLoc', userPrincipalName: `noloc@${fx.domain}` },
        })
      ).body,
    );
    const res = await fx.call('POST', `/v1.0/users/${String(u.id)}/assignLicense`, {
      body: { addLicenses: [{ skuId: E5 }], removeLicenses: [] },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      [errorOf(res.body).code, errorOf(res.body).message],
      ['Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.'],
    );
    const skus = await fx.call('GET', '/v1.0/subscribedSkus');
    const e5 = (obj(skus.body).value as Json[]).find((s) => s.skuId === E5);
    assert.equal(e5?.consumedUnits, 1);
    assert.deepEqual(e5?.prepaidUnits, { enabled: 25, suspended: 0, warning: 0, lockedOut: 0 });
  });
});

describe('GET /v1.0/users lists with OData', () => {
  test('$filter, $top paging with @odata.nextLink to the end, $count, $select, $orderby', async () => {
    for (let i = 0; i < 7; i += 1) {
      await fx.cloud.directory.users.create(SYSTEM_ACTOR, {
        displayName: `Pager ${i}`,
        userPrincipalName: `pager${i}@${fx.domain}`,
        department: i % 2 === 0 ? 'Even' : 'Odd',
      });
    }
    const seen: string[] = [];
    let next: string | undefined = `/v1.0/users?$filter=startswith(displayName,'pager')&$top=3&$count=true`;
    let pages = 0;
    while (next) {
      const res = await fx.call('GET', next);
      assert.equal(res.status, 200, res.text);
      const body = obj(res.body);
      assert.equal(body['@odata.count'], 7);
      seen.push(...(body.value as Json[]).map((u) => String(u.userPrincipalName)));
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' ? link.slice(fx.url.length) : undefined;
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      [...seen].sort(),
      Array.from({ length: 7 }, (_, i) => `pager${i}@${fx.domain}`),
    );
    const selected = await fx.call(
      'GET',
      `/v1.0/users?$filter=department eq 'odd'&$select=displayName,department&$orderby=displayName desc`,
    );
    assert.deepEqual(obj(selected.body).value, [
      { displayName: 'Pager 5', department: 'Odd' },
      { displayName: 'Pager 3', department: 'Odd' },
      { displayName: 'Pager 1', department: 'Odd' },
    ]);
    const bad = await fx.call('GET', `/v1.0/users?$filter=displayName eq`);
    assert.equal(bad.status, 400);
    assert.match(errorOf(bad.body).message, /filter/i);
    const unknown = await fx.call('GET', `/v1.0/users?$filter=passwordHash eq 'x'`);
    assert.equal(unknown.status, 400);
  });
});
