import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { JobQueue } from '../agents/jobs.js';
import { waitForAnswer } from '../agents/writeback-jobs.js';
import type { Actor } from '../directory/actor.js';
import type { AuditEvent, AuditLog } from '../directory/audit-log.js';
import type { Lockout } from '../sign-in/lockout.js';
import type { PasswordResetDatabase } from './schema.js';

export type ResetKind = 'password-reset' | 'password-change';

/** A pending writeback is forgotten after a day: an agent that held a job this long lost it. */
const PENDING_KEPT_MS = 24 * 60 * 60_000;

/** The audit entry of a self-service reset or change (never with the password). */
export function resetAuditEvent(kind: ResetKind, target: { id: string; name: string }): AuditEvent {
  return {
    category: 'UserManagement',
    activity: kind === 'password-reset' ? 'Reset password (self-service)' : 'Change password (self-service)',
    operationType: 'Update',
    target: { ...target, type: 'User' },
    modifiedProperties: [{ displayName: 'PasswordProfile', oldValue: null, newValue: null }],
  };
}

export interface LateWritebackDeps {
  db: Kysely<PasswordResetDatabase>;
  audit: AuditLog;
  lockout: Lockout;
  jobs: JobQueue;
  log: FastifyBaseLogger;
  /** How long this process still waits for a late answer in the background (10 minutes by default). */
  lateAnswerMs?: number;
}

/**
 * Writebacks whose outcome the user was told is unknown (the agent held the job when the wait
 * ended): the would-be hash is kept in `password_reset_pending` and applied when AD's late answer
 * says it accepted. The answer may reach any cloud process (the job store is shared).
 * @example
 *   const late = createLateWriteback({ db, audit, lockout, jobs, log });
 *   await late.hold({ jobId, userId, kind: 'password-reset', passwordHash });
 *   await late.settlePending(); // at start, and before each reset
 */
export function createLateWriteback(deps: LateWritebackDeps) {
  const { jobs } = deps;
  const lateAnswerMs = deps.lateAnswerMs ?? 10 * 60_000;

  /**
   * Applies a pending writeback whose job has an answer: the cloud takes the password hash once AD
   * accepted (unless the user's password changed since), and forgets it when AD refused or after a
   * day. Deleting the pending row claims it, so of two processes settling it one applies it.
   */
  async function settle(jobId: string): Promise<'applied' | 'dropped' | 'open'> {
    const row = await deps.db
      .selectFrom('password_reset_pending')
      .selectAll()
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    if (!row) return 'dropped';
    const job = await jobs.get(jobId);
    const stale = Date.parse(row.created_at) + PENDING_KEPT_MS < Date.now();
    if (job && job.state !== 'succeeded' && job.state !== 'failed' && job.state !== 'cancelled' && !stale)
      return 'open';
    const user = await deps.db
      .selectFrom('users')
      .select(['id', 'user_principal_name'])
      .where('id', '=', row.user_id)
      .executeTakeFirst();
    const claimed = await deps.db
      .deleteFrom('password_reset_pending')
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    const applied = Number(claimed.numDeletedRows) === 1 && job?.state === 'succeeded' && user !== undefined;
    if (applied) {
      const actor: Actor = { kind: 'user', id: user.id, userPrincipalName: user.user_principal_name };
      const kind: ResetKind = row.kind === 'password-change' ? 'password-change' : 'password-reset';
      const event = resetAuditEvent(kind, { id: user.id, name: user.user_principal_name });
      // The entry says it came late: the user had been told the outcome was not known.
      event.modifiedProperties?.push({
        displayName: 'WritebackOutcome',
        oldValue: JSON.stringify('unknown'),
        newValue: JSON.stringify('accepted by Active Directory after the wait'),
      });
      await deps.audit.audited(actor, event, async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: row.password_hash, password_changed_at: new Date().toISOString() })
          .where('id', '=', user.id)
          // A password set since (another reset, a sync) is newer than this late one.
          .where((eb) =>
            eb.or([eb('password_changed_at', 'is', null), eb('password_changed_at', '<=', row.created_at)]),
          )
          .execute();
      });
      await deps.lockout.unlock(row.user_id);
      deps.log.info({ userId: row.user_id, jobId }, 'late writeback answer applied');
      return 'applied';
    }
    deps.log.info({ userId: row.user_id, jobId, state: job?.state ?? 'gone' }, 'pending writeback dropped');
    return 'dropped';
  }

  /** Settles every pending writeback that has an answer by now (any process may have received it). */
  async function settlePending(): Promise<void> {
    const rows = await deps.db.selectFrom('password_reset_pending').select('job_id').execute();
    for (const r of rows) await settle(r.job_id);
  }

  /** Waits in the background for the late answer, then settles it (the sweep covers a restart). */
  function settleWhenAnswered(jobId: string): void {
    void (async () => {
      await waitForAnswer(jobs, jobId, lateAnswerMs, { intervalMs: 1_000, unref: true });
      await settle(jobId);
    })().catch((err: unknown) => deps.log.warn({ err, jobId }, 'pending writeback not settled'));
  }

  return {
    /** Keeps the hash-of-hash of a writeback whose outcome is unknown, and watches for the answer. */
    async hold(pending: { jobId: string; userId: string; kind: ResetKind; passwordHash: string }) {
      await deps.db
        .insertInto('password_reset_pending')
        .values({
          job_id: pending.jobId,
          user_id: pending.userId,
          kind: pending.kind,
          password_hash: pending.passwordHash,
          created_at: new Date().toISOString(),
        })
        .execute();
      settleWhenAnswered(pending.jobId);
    },
    settle,
    settlePending,
  };
}

export type LateWriteback = ReturnType<typeof createLateWriteback>;
