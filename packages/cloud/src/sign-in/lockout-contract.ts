// One suite for smart lockout, sign-in rate limits and the password-sync screen, run against
// SQLite and PostgreSQL (lockout.sqlite.test.ts, lockout.postgres.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { PasswordResetDatabase, PasswordResetExtraTables } from '../password-reset/schema.js';
import { openStore, type Store } from '../store/index.js';
import { createAccountQueries } from './accounts.js';
import { checkCredentials } from './check-credentials.js';
import { hashPassword } from './password-hash.js';
import { createSignInGuard } from './sign-in-guard.js';

export function runLockoutContract(name: string, open: () => Promise<{ databaseUrl?: string }>): void {
  describe(`smart lockout (${name})`, () => {
    let store: Store;
    let db: Kysely<PasswordResetDatabase>;
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(t) };
    const password = `Pw-${randomUUID()}`;
    let hash: string;

    before(async () => {
      const options = await open();
      store = await openStore(
        options.databaseUrl ? { databaseUrl: options.databaseUrl } : { sqliteFile: ':memory:' },
      );
      db = store.db.withTables<PasswordResetExtraTables>();
      await db
        .insertInto('tenant')
        .values({
          id: randomUUID(),
          display_name: 'C',
          initial_domain: 'c.test',
          created_at: clock.now().toISOString(),
        })
        .execute();
      hash = await hashPassword(password);
    });
    after(() => store?.close());

    async function addUser(extra: { synced?: string } = {}) {
      const id = randomUUID();
      const upn = `u-${id.slice(0, 8)}@c.test`;
      await db
        .insertInto('users')
        .values({
          id,
          user_principal_name: upn,
          upn_key: upn,
          display_name: upn,
          account_enabled: 1,
          password_hash: hash,
          on_premises_sync_enabled: extra.synced ? 1 : 0,
          on_premises_domain_name: extra.synced ?? null,
          created_at: clock.now().toISOString(),
        })
        .execute();
      return upn;
    }

    const accounts = () => createAccountQueries(store.db);
    const guardOf = (limits = { perAccountPerMinute: 1000, perAddressPerMinute: 1000 }) =>
      createSignInGuard({ db, clock, limits });

    test('ten wrong passwords lock the account; the right one fails until the lock ends', async () => {
      const upn = await addUser();
      const context = { guard: guardOf(), clientAddress: '127.0.0.1' };
      for (let i = 1; i <= 9; i++) {
        const check = await checkCredentials(accounts(), upn, 'wrong', context);
        assert.deepEqual(check, { ok: false, refusal: 'invalid_credentials' }, `attempt ${i}`);
      }
      const tenth = await checkCredentials(accounts(), upn, 'wrong', context);
      assert.equal(tenth.ok, false);
      assert.equal(!tenth.ok && tenth.refusal, 'locked');
      assert.equal(!tenth.ok && tenth.lockedUntil?.toISOString(), new Date(t + 60_000).toISOString());

      const during = await checkCredentials(accounts(), upn, password, context);
      assert.equal(!during.ok && during.refusal, 'locked', 'a correct password during the lockout fails');
      t += 59_000;
      assert.equal((await checkCredentials(accounts(), upn, password, context)).ok, false);
      t += 1_000;
      assert.equal((await checkCredentials(accounts(), upn, password, context)).ok, true, 'released');
    });

    test('the next lockout lasts twice as long; a success clears the count of wrong passwords', async () => {
      const upn = await addUser();
      const context = { guard: guardOf(), clientAddress: '127.0.0.1' };
      for (let i = 0; i < 10; i++) await checkCredentials(accounts(), upn, 'wrong', context);
      t += 60_000;
      for (let i = 0; i < 9; i++) await checkCredentials(accounts(), upn, 'wrong', context);
      assert.equal((await checkCredentials(accounts(), upn, password, context)).ok, true);
      for (let i = 0; i < 9; i++) await checkCredentials(accounts(), upn, 'wrong', context);
      const locked = await checkCredentials(accounts(), upn, 'wrong', context);
      assert.equal(!locked.ok && locked.lockedUntil?.toISOString(), new Date(t + 120_000).toISOString());
      t += 120_000;
    });

    test('wrong passwords racing lock the account once', async () => {
      const upn = await addUser();
      const guard = guardOf();
      const context = { guard, clientAddress: '127.0.0.1' };
      await Promise.all(
        Array.from({ length: 25 }, () => checkCredentials(accounts(), upn, 'wrong', context)),
      );
      const row = await db
        .selectFrom('sign_in_lockouts')
        .innerJoin('users', 'users.id', 'sign_in_lockouts.user_id')
        .select(['lockout_count'])
        .where('users.upn_key', '=', upn)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.lockout_count), 1);
      t += 60_000;
    });

    test('attempts over the per-account limit get rate_limited with a wait', async () => {
      const upn = await addUser();
      const context = {
        guard: guardOf({ perAccountPerMinute: 3, perAddressPerMinute: 100 }),
        clientAddress: '::1',
      };
      for (let i = 0; i < 3; i++) await checkCredentials(accounts(), upn, 'wrong', context);
      const limited = await checkCredentials(accounts(), upn, password, context);
      assert.equal(!limited.ok && limited.refusal, 'rate_limited');
      assert.equal(!limited.ok && limited.retryAfterSeconds, 60);
      t += 60_000;
      assert.equal((await checkCredentials(accounts(), upn, password, context)).ok, true);
    });

    test('attempts over the per-address limit get rate_limited, across user names; other addresses go on', async () => {
      const upns = [await addUser(), await addUser(), await addUser(), await addUser()];
      const guard = guardOf({ perAccountPerMinute: 100, perAddressPerMinute: 3 });
      const from = (clientAddress: string) => ({ guard, clientAddress });
      for (const upn of upns.slice(0, 3)) await checkCredentials(accounts(), upn, 'wrong', from('192.0.2.7'));
      const limited = await checkCredentials(accounts(), upns[3] ?? '', password, from('192.0.2.7'));
      assert.equal(!limited.ok && limited.refusal, 'rate_limited');
      assert.equal(!limited.ok && limited.retryAfterSeconds, 60);
      assert.equal((await checkCredentials(accounts(), upns[3] ?? '', password, from('192.0.2.8'))).ok, true);
      t += 60_000;
      assert.equal((await checkCredentials(accounts(), upns[0] ?? '', password, from('192.0.2.7'))).ok, true);
    });

    test('a synced user whose configuration does not sync password hashes is told why', async () => {
      const domain = `d${randomUUID().slice(0, 8)}.test`;
      const now = clock.now().toISOString();
      await db
        .insertInto('sync_configurations')
        .values({
          id: randomUUID(),
          version: 1,
          domain_dns_name: domain,
          domain_key: domain,
          domain_netbios_name: 'D',
          domain_sid: 'S-1-5-21-1-2-3',
          enabled: 1,
          password_hash_sync: 0,
          password_writeback: 0,
          scope: '{}',
          mappings: '{}',
          delete_guard_enabled: 1,
          delete_threshold: 500,
          notification_email: null,
          restart_requested_at: null,
          status: 'healthy',
          status_reason: null,
          status_updated_at: null,
          last_cycle_at: null,
          last_cycle_counts: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const upn = await addUser({ synced: domain });
      const check = await checkCredentials(accounts(), upn, password, {
        guard: guardOf(),
        clientAddress: '::1',
      });
      assert.equal(!check.ok && check.refusal, 'password_sync_off');
    });
  });
}
