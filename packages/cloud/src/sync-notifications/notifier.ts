import type { ErrorBody } from '@cloudsync/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { Mailer } from '../password-reset/mailer.js';
import type { Database } from '../store/schema.js';
import {
  agentErrorMail,
  type Composed,
  heldMail,
  type MailSubject,
  quarantineMail,
  recoveredMail,
} from './messages.js';
import { type DeliveryResult, deliverDue, enqueue, purgeSent } from './outbox.js';
import type { NotifiedCondition, SyncNotificationDatabase, SyncNotificationTables } from './schema.js';

/** A cycle's outcome as the sync ingest wrote it into the configuration's status. */
export interface CycleReport {
  configurationId: string;
  status: 'healthy' | 'error' | 'quarantine';
  reason: string | null;
  /** Set when the accidental-delete guard held the cycle. */
  held?: { deletions: number };
  /** When the quarantine's automatic retry is. */
  quarantinedUntil?: Date | null;
}

/** The part of a pino (Fastify) logger the notifications use. */
export interface NotificationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SyncNotificationsDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: NotificationLog;
  /** The cloud's public URL, for the links in the e-mails. */
  publicUrl: string;
  /** The SMTP mailer (`CLOUDSYNC_SMTP_URL`); without one, e-mails wait in the outbox. */
  mailer?: Mailer;
  /** How often the outbox is looked at for due e-mails (default 30 s). */
  intervalMs?: number;
}

export interface SyncNotifications {
  /** After the ingest wrote a cycle's status: e-mails a hold or a quarantine once, and the recovery. */
  cycleReported(report: CycleReport): Promise<void>;
  /** The admin approved or rejected held deletions: a later hold is e-mailed again. */
  heldResolved(configurationId: string): Promise<void>;
  /** An agent's on-premises error put the configuration in error state: e-mailed once per code. */
  agentError(configurationId: string, error: ErrorBody, agent: { id: string; host: string }): Promise<void>;
  /** Sends what is due now (after any pass in progress) and returns what happened. */
  flush(): Promise<DeliveryResult>;
  /** Starts the outbox loop. */
  start(): void;
  /** Stops the loop and waits for a pass in progress. */
  close(): Promise<void>;
}

interface Target {
  recipient: string;
  threshold: number;
  about: MailSubject;
}

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * The notification e-mail of sync configurations: e-mails the configuration's `notificationEmail`
 * when a cycle is held by the accidental-delete guard, when it goes into quarantine and when it
 * recovers, and when an agent's error puts it in error state. What was e-mailed is remembered in the
 * store until the condition clears, so a lasting condition is e-mailed once. E-mails go through an
 * outbox: a cycle or heartbeat never waits for SMTP or fails because of it.
 * @example
 *   const notifications = createSyncNotifications({ db, clock, log, publicUrl, mailer });
 *   notifications.start();
 *   await notifications.cycleReported({ configurationId, status: 'quarantine', reason, quarantinedUntil });
 */
export function createSyncNotifications(deps: SyncNotificationsDeps): SyncNotifications {
  const db: Kysely<SyncNotificationDatabase> = deps.db.withTables<SyncNotificationTables>();
  const { clock, log, mailer } = deps;
  let running: Promise<unknown> | undefined;
  let again = false;
  let timers: NodeJS.Timeout[] = [];
  let closed = false;

  /** Where and about what to e-mail; read with `q` (the caller's transaction, if any). */
  async function target(
    configurationId: string,
    q: Kysely<SyncNotificationDatabase> = db,
  ): Promise<Target | undefined> {
    const row = await q
      .selectFrom('sync_configurations')
      .select(['notification_email', 'domain_dns_name', 'delete_threshold'])
      .where('id', '=', configurationId)
      .executeTakeFirst();
    if (!row?.notification_email) return undefined;
    const tenant = await q.selectFrom('tenant').select('display_name').executeTakeFirst();
    const initial = await q.selectFrom('domains').select('id').where('is_initial', '=', 1).executeTakeFirst();
    return {
      recipient: row.notification_email,
      threshold: Number(row.delete_threshold),
      about: {
        tenantName: tenant?.display_name ?? 'cloudsync',
        initialDomain: initial?.id ?? '',
        configurationId,
        domain: row.domain_dns_name,
        publicUrl: deps.publicUrl.replace(/\/$/, ''),
      },
    };
  }

  async function queue(
    trx: Transaction<SyncNotificationDatabase>,
    t: Target,
    kind: string,
    mail: Composed,
  ): Promise<void> {
    await enqueue(trx, clock.now(), {
      configuration_id: t.about.configurationId,
      kind,
      recipient: t.recipient,
      subject: mail.subject,
      body: mail.text,
    });
    if (!mailer) {
      log.warn(
        { configurationId: t.about.configurationId, kind },
        'notification e-mail queued, but no SMTP server is configured (CLOUDSYNC_SMTP_URL): it is sent once one is',
      );
    }
  }

  /** Records the condition and queues its e-mail, unless it was already e-mailed and has not cleared. */
  async function raise(
    configurationId: string,
    condition: NotifiedCondition,
    subject: string,
    compose: (t: Target) => Composed,
  ): Promise<void> {
    const t = await target(configurationId);
    if (!t) return;
    const queued = await db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('sync_notification_state')
        .values({
          configuration_id: configurationId,
          condition,
          subject,
          notified_at: clock.now().toISOString(),
        })
        .onConflict((oc) => oc.columns(['configuration_id', 'condition', 'subject']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      await queue(trx, t, condition, compose(t));
      return true;
    });
    if (queued) kick();
  }

  /** Forgets cleared conditions; after a quarantine or agent error that was e-mailed, e-mails the recovery. */
  async function clear(configurationId: string, conditions: NotifiedCondition[], recovery: boolean) {
    const queued = await db.transaction().execute(async (trx) => {
      const cleared = await trx
        .deleteFrom('sync_notification_state')
        .where('configuration_id', '=', configurationId)
        .where('condition', 'in', conditions)
        .returning('condition')
        .execute();
      const after = [...new Set(cleared.map((c) => c.condition).filter((c) => c !== 'held'))];
      // Most cycles clear nothing: the configuration is read only when a recovery is to be e-mailed.
      const t = recovery && after.length > 0 ? await target(configurationId, trx) : undefined;
      if (!t) return false;
      const what = after.map((c) => (c === 'quarantine' ? 'quarantine' : 'error state (agent error)'));
      await queue(
        trx,
        t,
        'recovered',
        recoveredMail(t.about, { after: what.join(' and '), at: clock.now().toISOString() }),
      );
      return true;
    });
    if (queued) kick();
  }

  /** Notification trouble is logged, never passed on: the cycle or heartbeat that caused it goes on. */
  async function guarded(what: string, configurationId: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log.error(
        { configurationId, err: err instanceof Error ? err.message : String(err) },
        `notification e-mail (${what}) could not be queued`,
      );
    }
  }

  async function pass(): Promise<DeliveryResult> {
    if (!mailer) return { sent: 0, failed: 0, failures: [] };
    const result = await deliverDue({ db, clock, mailer });
    for (const f of result.failures) {
      log.warn(
        { outboxId: f.id, kind: f.kind, error: f.error },
        'notification e-mail not sent; it is retried later',
      );
    }
    if (result.sent > 0) log.info({ sent: result.sent }, 'notification e-mails sent');
    return result;
  }

  function kick(): void {
    if (!mailer || closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again);
    })()
      .catch((err: unknown) =>
        log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'notification outbox pass failed',
        ),
      )
      .finally(() => {
        running = undefined;
      });
  }

  return {
    cycleReported: (report) =>
      guarded(report.held ? 'held' : report.status, report.configurationId, async () => {
        const id = report.configurationId;
        if (report.held) {
          const deletions = report.held.deletions;
          await raise(id, 'held', '', (t) =>
            heldMail(t.about, {
              deletions,
              threshold: t.threshold,
              heldAt: clock.now().toISOString(),
            }),
          );
        } else if (report.status === 'quarantine') {
          const retryAt = report.quarantinedUntil?.toISOString() ?? null;
          await raise(id, 'quarantine', '', (t) =>
            quarantineMail(t.about, { reason: report.reason ?? 'repeated failed cycles', retryAt }),
          );
        } else if (report.status === 'healthy') {
          await clear(id, ['held', 'quarantine', 'agent-error'], true);
        }
      }),
    heldResolved: (configurationId) =>
      guarded('held resolved', configurationId, () => clear(configurationId, ['held'], false)),
    agentError: (configurationId, error, agent) =>
      guarded('agent error', configurationId, () =>
        raise(configurationId, 'agent-error', error.code, (t) =>
          agentErrorMail(t.about, { error, agentHost: agent.host, at: clock.now().toISOString() }),
        ),
      ),
    async flush() {
      await running;
      return pass();
    },
    start() {
      if (!mailer || closed || timers.length > 0) return;
      const every = setInterval(kick, deps.intervalMs ?? 30_000);
      const purge = setInterval(() => {
        purgeSent(db, clock.now()).catch((err: unknown) =>
          log.error(
            { err: err instanceof Error ? err.message : String(err) },
            'purge of sent notification e-mails failed',
          ),
        );
      }, PURGE_EVERY_MS);
      every.unref();
      purge.unref();
      timers = [every, purge];
      kick();
    },
    async close() {
      closed = true;
      for (const t of timers) clearInterval(t);
      timers = [];
      await running;
    },
  };
}
