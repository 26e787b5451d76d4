// One suite for the password reset stores (policy, methods, flows), run against SQLite and
// PostgreSQL (stores.sqlite.test.ts, stores.postgres.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { openStore, type Store } from '../store/index.js';
import { CODE_TTL_MS, createFlowStore, MAX_CODE_ATTEMPTS } from './flows.js';
import { createMethodStore } from './methods.js';
import { createPolicyStore, PolicyError } from './policy.js';
import type { PasswordResetDatabase, PasswordResetExtraTables } from './schema.js';

export function runResetStoresContract(name: string, open: () => Promise<{ databaseUrl?: string }>): void {
  describe(`password reset stores (${name})`, () => {
    let store: Store;
    let db: Kysely<PasswordResetDatabase>;
    let t = Date.parse('2026-03-01T00:00:00Z');
    const clock = { now: () => new Date(t) };
    before(async () => {
      const o = await open();
      store = await openStore(o.databaseUrl ? { databaseUrl: o.databaseUrl } : { sqliteFile: ':memory:' });
      db = store.db.withTables<PasswordResetExtraTables>();
    });
    after(() => store?.close());

    test('the policy starts closed, is patched, and applies to a group’s direct members', async () => {
      const policies = createPolicyStore({ db, clock });
      assert.equal((await policies.get()).enabledFor, 'none');
      assert.equal(await policies.appliesTo(randomUUID()), false);
      await assert.rejects(policies.update({ enabledFor: 'group' }), PolicyError);
      const groupId = randomUUID();
      const member = randomUUID();
      const now = clock.now().toISOString();
      await db
        .insertInto('groups')
        .values({
          id: groupId,
          display_name: 'SSPR',
          description: null,
          mail_nickname: 'sspr',
          mail: null,
          mail_enabled: 0,
          security_enabled: 1,
          group_types: '[]',
          created_at: now,
          on_premises_sync_enabled: 0,
          on_premises_immutable_id: null,
          on_premises_sam_account_name: null,
          on_premises_distinguished_name: null,
          on_premises_domain_name: null,
          on_premises_security_identifier: null,
          on_premises_last_sync_at: null,
        })
        .execute();
      await db
        .insertInto('group_members')
        .values({ group_id: groupId, member_id: member, member_type: 'user', created_at: now })
        .execute();
      const p = await policies.update({ enabledFor: 'group', groupId, keepMustChangeAtNextLogon: true });
      assert.equal(p.keepMustChangeAtNextLogon, true);
      assert.deepEqual(await policies.get(), p);
      assert.equal(await policies.appliesTo(member), true);
      assert.equal(await policies.appliesTo(randomUUID()), false);
      await policies.update({ enabledFor: 'all', methods: ['email'] });
      assert.deepEqual((await policies.get()).methods, ['email']);
    });

    test('one method per kind: registering again replaces it', async () => {
      const methods = createMethodStore({ db, clock });
      const user = randomUUID();
      await methods.set(user, { kind: 'email', value: 'a@example.org' });
      await methods.set(user, { kind: 'email', value: 'b@example.org' });
      await methods.set(user, { kind: 'authenticatorApp', value: 'JBSWY3DPEHPK3PXP' });
      assert.deepEqual(
        (await methods.list(user)).sort((a, b) => a.kind.localeCompare(b.kind)),
        [
          { kind: 'authenticatorApp', value: 'JBSWY3DPEHPK3PXP' },
          { kind: 'email', value: 'b@example.org' },
        ],
      );
    });

    test('a code is single use, expires, and allows a bounded number of tries even when racing', async () => {
      const flows = createFlowStore({ db, clock });
      const token = await flows.create(randomUUID(), 'reset');
      await flows.challenge(token, 'email', '12345678');
      assert.equal(await flows.checkCode(token, '87654321'), 'wrong');
      assert.equal(await flows.checkCode(token, '12345678'), 'ok');
      assert.ok((await flows.find(token))?.verified_at);
      assert.equal(await flows.checkCode(token, '12345678'), 'expired', 'used codes are gone');

      await flows.challenge(token, 'email', '11112222');
      t += CODE_TTL_MS;
      assert.equal(await flows.checkCode(token, '11112222'), 'expired');

      await flows.challenge(token, 'email', '33334444');
      const results = await Promise.all(Array.from({ length: 12 }, () => flows.checkCode(token, '00000000')));
      assert.equal(results.filter((r) => r === 'wrong').length, MAX_CODE_ATTEMPTS);
      assert.equal(await flows.checkCode(token, '33334444'), 'too_many');
      assert.equal((await flows.find('not-a-token')) === undefined, true);
    });
  });
}
