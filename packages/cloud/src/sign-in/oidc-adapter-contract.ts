// One contract for oidc-provider's storage adapter, run against SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { createOidcAdapter, purgeExpiredOidcModels } from './oidc-adapter.js';
import type { SignInDatabase, SignInTables } from './schema.js';

/** Runs the adapter contract on the store that `location` opens. */
export function runOidcAdapterContract(name: string, location: () => Promise<StoreLocation>): void {
  describe(`oidc-provider adapter on ${name}`, () => {
    let store: Store;
    let db: Kysely<SignInDatabase>;
    let factory: ReturnType<typeof createOidcAdapter>;
    const lookups: string[] = [];

    before(async () => {
      store = await openStore(await location());
      db = store.db.withTables<SignInTables>();
      factory = createOidcAdapter(db, async (id) => {
        lookups.push(id);
        return id === 'known' ? { client_id: 'known', client_name: 'Known' } : undefined;
      });
    });
    after(() => store.close());

    const expire = (model: string, id: string) =>
      db
        .updateTable('oidc_models')
        .set({ expires_at: Math.floor(Date.now() / 1000) - 1 })
        .where('model', '=', model)
        .where('id', '=', id)
        .execute();

    test('stores and finds a payload as given, and replaces it on a second upsert', async () => {
      const sessions = factory('Session');
      const payload = {
        jti: 's1',
        uid: 'u1',
        kind: 'Session',
        accountId: 'a',
        authorizations: { c: { sid: 'x' } },
      };
      await sessions.upsert('s1', payload, 3600);
      assert.deepEqual(await sessions.find('s1'), payload);
      assert.deepEqual(await sessions.findByUid('u1'), payload);
      await sessions.upsert('s1', { ...payload, accountId: 'b' }, 3600);
      assert.equal((await sessions.find('s1'))?.accountId, 'b');
      assert.equal(await factory('Grant').find('s1'), undefined, 'models do not see each other');
    });

    test('an expired model is not found, and purge removes only expired rows', async () => {
      const codes = factory('AuthorizationCode');
      await codes.upsert('old', { jti: 'old', kind: 'AuthorizationCode' }, 60);
      await codes.upsert('new', { jti: 'new', kind: 'AuthorizationCode' }, 60);
      await codes.upsert('forever', { jti: 'forever', kind: 'AuthorizationCode' });
      await expire('AuthorizationCode', 'old');
      assert.equal(await codes.find('old'), undefined);
      assert.ok(await codes.find('new'));
      assert.ok((await purgeExpiredOidcModels(db)) >= 1);
      const left = await db
        .selectFrom('oidc_models')
        .select('id')
        .where('model', '=', 'AuthorizationCode')
        .execute();
      assert.deepEqual(left.map((r) => r.id).sort(), ['forever', 'new']);
    });

    test('every n-th write purges expired rows in the background', async () => {
      const purging = createOidcAdapter(db, async () => undefined, { purgeEvery: 3 })('Interaction');
      await purging.upsert('stale', { jti: 'stale' }, 60);
      await expire('Interaction', 'stale');
      await purging.upsert('i2', { jti: 'i2' }, 60);
      const count = () =>
        db
          .selectFrom('oidc_models')
          .select('id')
          .where('model', '=', 'Interaction')
          .where('id', '=', 'stale')
          .execute();
      assert.equal((await count()).length, 1, 'still there after two writes');
      await purging.upsert('i3', { jti: 'i3' }, 60);
      for (let i = 0; i < 50 && (await count()).length > 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal((await count()).length, 0, 'gone after the third');
    });

    test('consume marks the model consumed', async () => {
      const codes = factory('AuthorizationCode');
      await codes.upsert('c1', { jti: 'c1', kind: 'AuthorizationCode' }, 60);
      assert.equal((await codes.find('c1'))?.consumed, undefined);
      await codes.consume('c1');
      assert.equal(typeof (await codes.find('c1'))?.consumed, 'number');
    });

    test('finds a device code by its user code', async () => {
      const devices = factory('DeviceCode');
      await devices.upsert('d1', { jti: 'd1', kind: 'DeviceCode', userCode: 'BCDF-GHJK' }, 600);
      assert.equal((await devices.findByUserCode('BCDF-GHJK'))?.jti, 'd1');
      assert.equal(await devices.findByUserCode('XXXX-XXXX'), undefined);
    });

    test('destroy and revokeByGrantId remove what they name, and only that', async () => {
      const tokens = factory('RefreshToken');
      const other = factory('AccessToken');
      await tokens.upsert('r1', { jti: 'r1', grantId: 'g1' }, 600);
      await tokens.upsert('r2', { jti: 'r2', grantId: 'g2' }, 600);
      await tokens.upsert('r3', { jti: 'r3', grantId: 'g1' }, 600);
      await other.upsert('a1', { jti: 'a1', grantId: 'g1' }, 600);
      await tokens.revokeByGrantId('g1');
      assert.equal(await tokens.find('r1'), undefined);
      assert.equal(await tokens.find('r3'), undefined);
      assert.ok(await tokens.find('r2'));
      assert.ok(await other.find('a1'), 'each model revokes its own rows');
      await tokens.destroy('r2');
      assert.equal(await tokens.find('r2'), undefined);
    });

    test('clients come from the lookup and cannot be written', async () => {
      const clients = factory('Client');
      assert.deepEqual(await clients.find('known'), { client_id: 'known', client_name: 'Known' });
      assert.equal(await clients.find('unknown'), undefined);
      assert.deepEqual(lookups, ['known', 'unknown']);
      await assert.rejects(clients.upsert('x', { client_id: 'x' }), /app registrations/);
    });
  });
}
