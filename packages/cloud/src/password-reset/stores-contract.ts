// One suite for the password reset stores (policy, methods, flows), run against SQLite and
// PostgreSQL (stores.sqlite.test.ts, stores.postgres.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { CLOUD_ONLY_COLUMNS } from '../directory/cloud-only.js';
import { openStore, type Store } from '../store/index.js';
import { createStoreRateLimiter } from './counters.js';
import { CODE_TTL_MS, createFlowStore, MAX_CODE_ATTEMPTS, MAX_RESET_CHALLENGES } from './flows.js';
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
          ...CLOUD_ONLY_COLUMNS,
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
      assert.equal(await flows.challenge(token, 'email', '12345678'), true);
      assert.equal(await flows.checkCode(token, '87654321'), 'wrong');
      assert.equal(await flows.checkCode(token, '12345678'), 'ok');
      assert.ok((await flows.find(token))?.verified_at);
      assert.equal(await flows.checkCode(token, '12345678'), 'expired', 'used codes are gone');

      const racing = await flows.create(randomUUID(), 'reset');
      await flows.challenge(racing, 'email', '11112222');
      t += CODE_TTL_MS;
      assert.equal(await flows.checkCode(racing, '11112222'), 'expired');

      await flows.challenge(racing, 'email', '33334444');
      const results = await Promise.all(
        Array.from({ length: 12 }, () => flows.checkCode(racing, '00000000')),
      );
      assert.equal(results.filter((r) => r === 'wrong').length, MAX_CODE_ATTEMPTS);
      assert.equal(await flows.checkCode(racing, '33334444'), 'too_many');
      assert.equal((await flows.find('not-a-token')) === undefined, true);
    });

    test('tries count per flow: a new challenge does not reset them; a reset flow allows 3 challenges', async () => {
      const flows = createFlowStore({ db, clock });
      const token = await flows.create(randomUUID(), 'reset');
      for (let i = 0; i < MAX_RESET_CHALLENGES; i++) {
        assert.equal(await flows.challenge(token, 'authenticatorApp', undefined), true, `challenge ${i + 1}`);
        assert.equal(await flows.checkCode(token, '000000', async () => 'wrong'), 'wrong');
      }
      assert.equal(await flows.challenge(token, 'email', '12345678'), false, 'a fourth challenge is refused');
      assert.equal(await flows.checkCode(token, '000000', async () => 'wrong'), 'wrong');
      assert.equal(await flows.checkCode(token, '000000', async () => 'wrong'), 'wrong');
      assert.equal(
        await flows.checkCode(token, '000000', async () => 'ok'),
        'too_many',
        'five tries in the flow in all, across its challenges',
      );
      // Registration flows are bounded by the e-mail limit instead.
      const register = await flows.create(randomUUID(), 'register');
      for (let i = 0; i < MAX_RESET_CHALLENGES + 2; i++)
        assert.equal(await flows.challenge(register, 'email', '12345678', 'a@example.org'), true);
    });

    test('an authenticator time step is accepted once per user', async () => {
      const methods = createMethodStore({ db, clock });
      const user = randomUUID();
      assert.equal(await methods.acceptTotpStep(user, 100), false, 'no authenticator registered');
      await methods.set(user, { kind: 'authenticatorApp', value: 'JBSWY3DPEHPK3PXP' }, 100);
      assert.equal(await methods.acceptTotpStep(user, 100), false, 'the registration proof is used');
      assert.equal(await methods.acceptTotpStep(user, 101), true);
      assert.equal(await methods.acceptTotpStep(user, 101), false, 'a reused step is refused');
      assert.equal(await methods.acceptTotpStep(user, 100), false, 'an older step is refused');
      const racing = await Promise.all([102, 102, 102].map((s) => methods.acceptTotpStep(user, s)));
      assert.deepEqual(racing.filter(Boolean), [true], 'racing uses of one step: one wins');
    });

    test('store counters: a fixed window per key, shared by two limiters on one store (two processes)', async () => {
      const options = { db, clock, name: `mail-${randomUUID()}`, limit: 5, windowMs: 15 * 60_000 };
      const a = createStoreRateLimiter(options);
      const b = createStoreRateLimiter(options);
      const taken = await Promise.all(Array.from({ length: 5 }, (_, i) => (i % 2 ? a : b).take('u1')));
      assert.ok(taken.every((d) => d.ok));
      assert.deepEqual(await a.peek('u1'), { ok: false, retryAfterSeconds: 900 });
      t += 60_000;
      assert.deepEqual(await b.take('u1'), { ok: false, retryAfterSeconds: 840 }, 'the sixth is refused');
      assert.deepEqual(await a.take('u2'), { ok: true }, 'other keys count on their own');
      t += 14 * 60_000;
      assert.deepEqual(await a.peek('u1'), { ok: true });
      assert.deepEqual(await b.take('u1'), { ok: true }, 'a new window starts');
      t += 2 * 60_000;
      assert.deepEqual(await a.take('u3'), { ok: true });
      const rows = await db
        .selectFrom('password_reset_counters')
        .select(['key', 'count'])
        .where('key', 'like', `${options.name}:%`)
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.key, Number(r.count)]).sort(),
        [
          [`${options.name}:u1`, 1],
          [`${options.name}:u3`, 1],
        ],
        'the windows that ended (u2) went as a new one started',
      );
    });
  });
}
