// A writeback whose agent answers late, run against SQLite and PostgreSQL
// (late-writeback.sqlite.test.ts, late-writeback.postgres.test.ts): the whole cloud on a loopback
// port, a test agent that long-polls and claims the job as the real one does, and answers when the
// test says so. The resetter is the one the pages use, with short waits.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { Kysely } from 'kysely';
import {
  claimWriteback,
  type HeldWritebackJob,
  registerTestAgent,
  sendHeartbeat,
  type TestAgent,
} from '../agents/test-agent.js';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.js';
import { systemClock } from '../directory/clock.js';
import { createAccountQueries } from '../sign-in/accounts.js';
import { registerFormBody } from '../sign-in/form-body.js';
import { verifyPassword } from '../sign-in/password-hash.js';
import { createStoreRateLimiter } from './counters.js';
import { createPasswordResetter, type ResetDeps } from './reset-password.js';
import { registerResetRoutes } from './routes.js';
import type { PasswordResetDatabase, PasswordResetExtraTables } from './schema.js';

const OLD = 'Old-Passw0rd!1';

/** Polls `check` every 50 ms until it holds, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function runLateWritebackContract(name: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`late writeback answers (${name})`, () => {
    let fx: ApiFixture;
    let db: Kysely<PasswordResetDatabase>;
    let agent: TestAgent;
    const domain = `late-${randomUUID().slice(0, 6)}.test`;

    before(async () => {
      const url = await databaseUrl();
      fx = await startApiFixture(url ? { databaseUrl: url } : {});
      db = fx.cloud.store.db.withTables<PasswordResetExtraTables>();
      agent = await registerTestAgent(fx, `dc1.${domain}`, [domain]);
      await sendHeartbeat(fx, agent);
      const cfg = await fx.call('POST', '/v1.0/cloudsync/configurations', {
        body: { domain: { dnsName: domain, netbiosName: 'LATE', sid: 'S-1-5-21-7-8-9' } },
      });
      assert.equal(cfg.status, 201, cfg.text);
      await db
        .updateTable('sync_configurations')
        .set({ password_writeback: 1 })
        .where('domain_key', '=', domain)
        .execute();
    });
    after(() => fx?.close());

    /** A synced user of the domain, with `OLD` as its cloud password. */
    async function syncedUser(local: string) {
      const upn = `${local}-${randomUUID().slice(0, 6)}@${fx.domain}`;
      const user = await fx.cloud.directory.users.create(
        { kind: 'user', id: fx.adminId },
        { displayName: local, userPrincipalName: upn, passwordProfile: { password: OLD } },
      );
      await db
        .updateTable('users')
        .set({
          on_premises_sync_enabled: 1,
          // objectGUID: 16 bytes, base64.
          on_premises_immutable_id: randomBytes(16).toString('base64'),
          on_premises_distinguished_name: `CN=${local},OU=Staff,DC=late,DC=test`,
          on_premises_domain_name: domain,
        })
        .where('id', '=', user.id)
        .execute();
      return user.id;
    }

    const resetter = (waits: Pick<ResetDeps, 'writebackTimeoutMs' | 'writebackGraceMs' | 'lateAnswerMs'>) =>
      createPasswordResetter({
        db,
        audit: fx.cloud.directory.audit,
        policies: fx.cloud.passwordReset.policies,
        lockout: fx.cloud.auth.guard.lockout,
        writeback: fx.cloud.cloudSync,
        log: fx.cloud.app.log,
        ...waits,
      });

    async function cloudHasPassword(userId: string, password: string): Promise<boolean> {
      const row = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', userId)
        .executeTakeFirst();
      return row?.password_hash ? verifyPassword(password, row.password_hash) : false;
    }
    const pendingOf = (userId: string) =>
      db.selectFrom('password_reset_pending').selectAll().where('user_id', '=', userId).execute();
    const audits = (userId: string) =>
      db
        .selectFrom('directory_audits')
        .select(['result', 'result_reason', 'modified_properties'])
        .where('target_id', '=', userId)
        .where('activity_display_name', '=', 'Reset password (self-service)')
        .orderBy('activity_date_time')
        .orderBy('id')
        .execute();

    /** Runs a reset while the agent claims its job and holds it without answering. */
    async function resetWhileHeld(reset: ReturnType<typeof resetter>, userId: string, password: string) {
      const claiming = claimWriteback(fx, agent);
      const outcome = await reset(userId, password, 'password-reset');
      const held: HeldWritebackJob = await claiming;
      return { outcome, held };
    }

    test('no agent takes the job: it is cancelled and the user is told nothing changed', async () => {
      const userId = await syncedUser('nobody');
      const outcome = await resetter({ writebackTimeoutMs: 300 })(userId, 'Never-Used9!', 'password-reset');
      assert.deepEqual(outcome, {
        ok: false,
        reason:
          'The on-premises agent did not answer: it gave no result within 0 s. Your password was not changed.',
      });
      assert.deepEqual(await pendingOf(userId), []);
      assert.equal(await cloudHasPassword(userId, OLD), true);
    });

    test('the agent took the job and answers after the wait: the user hears "not known yet"; the cloud applies AD’s yes', async () => {
      const userId = await syncedUser('slow');
      const next = 'Late-Passw0rd!2';
      const { outcome, held } = await resetWhileHeld(
        resetter({ writebackTimeoutMs: 3_000, writebackGraceMs: 300 }),
        userId,
        next,
      );
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.unknown, true);
      assert.match(
        !outcome.ok ? outcome.reason : '',
        /gave no answer within 3 s, so we do not know yet whether it was changed\. In a minute, try signing in with the new password; if that fails, reset your password again\.$/,
      );
      assert.equal(await cloudHasPassword(userId, OLD), true, 'nothing applied before AD answered');
      assert.equal((await pendingOf(userId)).length, 1);
      const [unknown] = await audits(userId);
      assert.equal(unknown?.result, 'failure');
      assert.match(unknown?.result_reason ?? '', /^Outcome unknown: /);

      assert.equal(await held.answer({ status: 'succeeded' }), 204, 'the late answer is taken');
      await eventually(() => cloudHasPassword(userId, next), 'the cloud takes the new password');
      assert.equal(await cloudHasPassword(userId, OLD), false);
      assert.deepEqual(await pendingOf(userId), []);
      const entries = await audits(userId);
      assert.deepEqual(
        entries.map((e) => e.result),
        ['failure', 'success'],
      );
      assert.match(entries[1]?.modified_properties ?? '', /accepted by Active Directory after the wait/);
      for (const e of entries) assert.ok(!JSON.stringify(e).includes(next), 'no password in the audit');
    });

    test('the page says the outcome is not known yet (202), and the flow is over', async () => {
      const userId = await syncedUser('page');
      const next = 'Paged-Passw0rd!5';
      // The reset pages over the cloud's own stores, with this test's short waits.
      const app = Fastify();
      const { flows, methods, policies } = fx.cloud.passwordReset;
      const limiter = (name: string) =>
        createStoreRateLimiter({ db, clock: systemClock, name, limit: 5, windowMs: 60_000 });
      await app.register(async (scope) => {
        await registerFormBody(scope);
        registerResetRoutes(scope, {
          accounts: createAccountQueries(fx.cloud.store.db),
          guard: fx.cloud.auth.guard,
          policies,
          methods,
          flows,
          sendCode: async () => true,
          mails: limiter('test-mail'),
          wrongCodes: limiter('test-wrong'),
          resetPassword: resetter({ writebackTimeoutMs: 3_000, writebackGraceMs: 300 }),
          log: fx.cloud.app.log,
        });
      });
      const flow = await flows.create(userId, 'reset');
      await flows.challenge(flow, 'email', '12345678');
      assert.equal(await flows.checkCode(flow, '12345678'), 'ok');
      const claiming = claimWriteback(fx, agent);
      const res = await app.inject({
        method: 'POST',
        url: '/password-reset/password',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ flow, newPassword: next, confirmPassword: next }).toString(),
      });
      const held = await claiming;
      assert.equal(res.statusCode, 202);
      assert.match(res.body, /<h1>Outcome not known yet<\/h1>/);
      assert.match(
        res.body,
        /In a minute, try signing in with the new password; if that fails, reset your password again\./,
      );
      assert.doesNotMatch(res.body, /was not changed/);
      assert.equal(await flows.find(flow), undefined, 'the flow is over: a second try would race AD');
      assert.equal(await held.answer({ status: 'succeeded' }), 204);
      await eventually(() => cloudHasPassword(userId, next), 'the cloud takes the new password');
      await app.close();
    });

    test('a late refusal leaves the password as it was', async () => {
      const userId = await syncedUser('refused');
      const { outcome, held } = await resetWhileHeld(
        resetter({ writebackTimeoutMs: 3_000, writebackGraceMs: 300 }),
        userId,
        'Short1!',
      );
      assert.equal(!outcome.ok && outcome.unknown, true);
      assert.equal(
        await held.answer({ status: 'failed', code: 'WRITEBACK_REFUSED', adErrorCode: '0000052D' }),
        204,
      );
      await eventually(
        async () => (await pendingOf(userId)).length === 0,
        'the pending writeback is dropped',
      );
      assert.equal(await cloudHasPassword(userId, OLD), true);
      assert.equal(await cloudHasPassword(userId, 'Short1!'), false);
    });

    test('an answer within the grace after the wait decides at once', async () => {
      const userId = await syncedUser('grace');
      const next = 'Grace-Passw0rd!3';
      const claiming = claimWriteback(fx, agent);
      const resetting = resetter({ writebackTimeoutMs: 1_500, writebackGraceMs: 10_000 })(
        userId,
        next,
        'password-reset',
      );
      const held = await claiming;
      // Past the wait (the job shows as expired), inside the grace: the agent answers.
      await eventually(
        async () => (await fx.cloud.cloudSync.jobs.get(held.job.jobId))?.state === 'expired',
        'the wait ends',
      );
      assert.equal(await held.answer({ status: 'succeeded' }), 204);
      assert.deepEqual(await resetting, { ok: true });
      assert.equal(await cloudHasPassword(userId, next), true);
      assert.deepEqual(await pendingOf(userId), []);
    });

    test('an answer no process waited for (a restart) is applied by the next sweep', async () => {
      const userId = await syncedUser('restart');
      const next = 'Swept-Passw0rd!4';
      const reset = resetter({ writebackTimeoutMs: 3_000, writebackGraceMs: 300, lateAnswerMs: 0 });
      const { outcome, held } = await resetWhileHeld(reset, userId, next);
      assert.equal(!outcome.ok && outcome.unknown, true);
      assert.equal(await held.answer({ status: 'succeeded' }), 204);
      assert.equal(await cloudHasPassword(userId, OLD), true, 'no waiter applied it');
      await reset.settlePending();
      assert.equal(await cloudHasPassword(userId, next), true);
      assert.deepEqual(await pendingOf(userId), []);
    });
  });
}
