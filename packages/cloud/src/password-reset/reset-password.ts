import { hashOfHash, ntHash, ProtocolError, writebackResultSchema } from '@cloudsync/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { JobQueue } from '../agents/jobs.js';
import { queueWriteback, waitForAnswer } from '../agents/writeback-jobs.js';
import type { Actor } from '../directory/actor.js';
import type { AuditLog } from '../directory/audit-log.js';
import { assertPasswordComplexity } from '../directory/users/user-rules.js';
import { CloudError } from '../errors.js';
import type { Lockout } from '../sign-in/lockout.js';
import { hashPassword } from '../sign-in/password-hash.js';
import { isSet } from '../store/schema.js';
import { createLateWriteback, type ResetKind, resetAuditEvent } from './late-writeback.js';
import type { PolicyStore } from './policy.js';
import type { PasswordResetDatabase } from './schema.js';

export type { ResetKind } from './late-writeback.js';

/**
 * `unknown`: the agent had taken the job to AD but had not answered when the wait ended; its
 * answer is applied when it comes (the reason tells the user what to do meanwhile).
 */
export type ResetOutcome = { ok: true } | { ok: false; reason: string; unknown?: true };

export interface ResetDeps {
  db: Kysely<PasswordResetDatabase>;
  audit: AuditLog;
  policies: PolicyStore;
  lockout: Lockout;
  writeback: { registry: AgentRegistry; jobs: JobQueue };
  log: FastifyBaseLogger;
  /** How long a reset waits for AD's answer through the agent; 30 s by default. */
  writebackTimeoutMs?: number;
  /** When the agent already took the job at the timeout: how much longer to wait (5 s by default). */
  writebackGraceMs?: number;
  /** How long this process still waits for a late answer in the background (10 minutes by default). */
  lateAnswerMs?: number;
}

/** Refused with words shown to the user (and recorded in the audit log as the reason). */
class Refused extends CloudError {
  constructor(message: string) {
    super('Request_BadRequest', 400, message);
  }
}

/** The agent holds the job and has not answered: AD may or may not take the password. */
class OutcomeUnknown extends Error {
  constructor(readonly jobId: string) {
    super('writeback outcome unknown');
  }
}

/** AD's refusal as the agent reported it. */
function refusedByAd(result: unknown): Refused {
  const parsed = writebackResultSchema.safeParse(result);
  const said = parsed.success
    ? (parsed.data.adMessage ?? parsed.data.code ?? 'no reason given')
    : 'no reason given';
  return new Refused(`Active Directory refused the new password: ${said}`);
}

/**
 * Sets a user's new password: in the cloud for cloud-only users; for synced users in AD first,
 * through the agent (the cloud hash changes only after AD accepted). Every attempt is audited,
 * never with the password.
 * @example
 *   const reset = createPasswordResetter(deps);
 *   const outcome = await reset(user.id, newPassword, 'password-reset');
 */
export function createPasswordResetter(deps: ResetDeps) {
  const timeoutMs = deps.writebackTimeoutMs ?? 30_000;
  const graceMs = deps.writebackGraceMs ?? 5_000;
  const { jobs } = deps.writeback;
  const late = createLateWriteback({ ...deps, jobs });

  async function writeBack(
    user: { id: string; anchor: string; dn: string; domain: string },
    newPassword: string,
    kind: ResetKind,
    oldPassword: string | undefined,
  ): Promise<void> {
    const config = await deps.db
      .selectFrom('sync_configurations')
      .select(['id', 'password_writeback'])
      .where('domain_key', '=', user.domain.toLowerCase())
      .executeTakeFirst();
    if (!config || !isSet(config.password_writeback))
      throw new Refused(
        'Password writeback to your on-premises directory is off: ask your administrator to reset your password.',
      );
    const policy = await deps.policies.get();
    let jobId: string;
    try {
      ({ jobId } = await queueWriteback(deps.writeback, {
        configurationId: config.id,
        domain: user.domain,
        kind,
        anchor: user.anchor,
        distinguishedName: user.dn,
        newPassword,
        ...(oldPassword === undefined ? {} : { oldPassword }),
        unlockAccount: policy.unlockOnPremisesAccount,
        forceChangeAtNextLogon: policy.keepMustChangeAtNextLogon,
        ttlMs: timeoutMs,
      }));
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'AGENT_NOT_FOUND')
        throw new Refused(
          `The on-premises agent did not answer: no agent of ${user.domain} is active. Your password was not changed.`,
        );
      throw err;
    }
    const outcome = await jobs.waitForJobResult(jobId, timeoutMs);
    if (outcome.state === 'succeeded') return;
    if (outcome.state === 'failed') throw refusedByAd(outcome.result);
    const notChanged = new Refused(
      `The on-premises agent did not answer: it gave no result within ${Math.round(timeoutMs / 1000)} s. Your password was not changed.`,
    );
    // Cancelled before any agent took it: AD never sees this password.
    if (await jobs.cancel(jobId).catch(() => false)) throw notChanged;
    // An agent holds it (or answered just now): its answer decides, if it comes soon.
    const answer = await waitForAnswer(jobs, jobId, graceMs);
    if (answer?.state === 'succeeded') return;
    if (answer?.state === 'failed') throw refusedByAd(answer.result);
    if (answer?.state === 'cancelled') throw notChanged;
    throw new OutcomeUnknown(jobId);
  }

  async function resetPassword(
    userId: string,
    newPassword: string,
    kind: ResetKind,
    oldPassword?: string,
  ): Promise<ResetOutcome> {
    await late
      .settlePending()
      .catch((err: unknown) => deps.log.warn({ err }, 'pending writebacks not settled'));
    const user = await deps.db
      .selectFrom('users')
      .select([
        'id',
        'user_principal_name',
        'on_premises_sync_enabled',
        'on_premises_immutable_id',
        'on_premises_distinguished_name',
        'on_premises_domain_name',
      ])
      .where('id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!user) return { ok: false, reason: 'This account does not exist any more.' };
    const actor: Actor = { kind: 'user', id: user.id, userPrincipalName: user.user_principal_name };
    const synced = isSet(user.on_premises_sync_enabled);
    const event = resetAuditEvent(kind, { id: user.id, name: user.user_principal_name });
    const outcomeUnknown = async (jobId: string): Promise<ResetOutcome> => {
      // What the cloud takes if AD's late answer says it accepted: a hash, never the password.
      const passwordHash = await hashOfHash(ntHash(newPassword));
      const waited = Math.round((timeoutMs + graceMs) / 1000);
      // Audited as a failure whose reason says the outcome is not known yet.
      const unknown = new Refused(
        `Outcome unknown: the on-premises agent took the password to Active Directory and gave no answer within ${waited} s; its answer is applied when it comes.`,
      );
      await deps.audit
        .audited(actor, event, async () => {
          throw unknown;
        })
        .catch(() => undefined);
      await late.hold({ jobId, userId: user.id, kind, passwordHash });
      deps.log.warn({ userId: user.id, kind, jobId }, 'password writeback outcome unknown');
      return {
        ok: false,
        unknown: true,
        reason: `The on-premises agent took your new password to Active Directory but gave no answer within ${waited} s, so we do not know yet whether it was changed. In a minute, try signing in with the new password; if that fails, reset your password again.`,
      };
    };
    try {
      // AD first, outside any transaction (the agent's answer is written by other requests meanwhile).
      let stored: string;
      try {
        if (synced) {
          const { on_premises_immutable_id: anchor, on_premises_distinguished_name: dn } = user;
          const domain = user.on_premises_domain_name;
          if (!anchor || !dn || !domain)
            throw new Refused('Your account has no on-premises address yet: try again after the next sync.');
          await writeBack({ id: user.id, anchor, dn, domain }, newPassword, kind, oldPassword);
          // AD accepted: the cloud keeps what password hash sync would send next cycle.
          stored = await hashOfHash(ntHash(newPassword));
        } else {
          assertPasswordComplexity(newPassword);
          stored = await hashPassword(newPassword);
        }
      } catch (err) {
        if (err instanceof OutcomeUnknown) return await outcomeUnknown(err.jobId);
        // Recorded as a failure with the safe reason (the rollback of nothing), then told to the user.
        await deps.audit.audited(actor, event, async () => {
          throw err;
        });
        throw err;
      }
      await deps.audit.audited(actor, event, async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: stored, password_changed_at: new Date().toISOString() })
          .where('id', '=', user.id)
          .execute();
      });
    } catch (err) {
      if (err instanceof CloudError && err.expose) {
        deps.log.info({ userId: user.id, kind, reason: err.message }, 'password reset refused');
        return { ok: false, reason: err.message };
      }
      throw err;
    }
    await deps.lockout.unlock(user.id);
    deps.log.info({ userId: user.id, kind, synced }, 'password reset');
    return { ok: true };
  }

  return Object.assign(resetPassword, { settlePending: late.settlePending });
}

export type PasswordResetter = ReturnType<typeof createPasswordResetter>;
