import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { Mailer } from '../password-reset/mailer.js';
import type { SyncNotificationDatabase, SyncNotificationOutboxTable } from './schema.js';

/** A sender holds a claimed row this long: longer than nodemailer's own connection and greeting timeouts. */
export const CLAIM_MS = 15 * 60_000;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;
/** Sent e-mails are kept this long (to read what went out), then purged. */
export const SENT_RETENTION_MS = 30 * 24 * 60 * 60_000;
const BATCH = 50;

/** The wait before the next try after `attempts` failed ones: 1 min, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/** An SMTP error as it may be logged and stored: no credentials of the SMTP URL, bounded. */
export function safeError(err: unknown): string {
  const text = err instanceof Error ? `${err.message}` : 'sending failed';
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 300);
}

export type OutboxRow = SyncNotificationOutboxTable;

/** Queues one e-mail, due at once (inside the caller's transaction). */
export async function enqueue(
  trx: Transaction<SyncNotificationDatabase>,
  now: Date,
  mail: Pick<OutboxRow, 'configuration_id' | 'kind' | 'recipient' | 'subject' | 'body'>,
): Promise<void> {
  await trx
    .insertInto('sync_notification_outbox')
    .values({
      id: randomUUID(),
      ...mail,
      created_at: now.toISOString(),
      attempts: 0,
      next_attempt_at: now.toISOString(),
      sent_at: null,
      last_error: null,
    })
    .execute();
}

export interface DeliveryResult {
  sent: number;
  failed: number;
  /** Failures of this pass, as logged (row id, kind, error without secrets). */
  failures: { id: string; kind: string; error: string }[];
}

/**
 * Sends the e-mails that are due. Each row is claimed first (a conditional update on the values
 * read), so two senders, in this process or another, never send the same row; a failed try is
 * retried with backoff and never dropped. An e-mail is sent twice only if the process dies between
 * the SMTP server's acceptance and the row's update.
 */
export async function deliverDue(deps: {
  db: Kysely<SyncNotificationDatabase>;
  clock: Clock;
  mailer: Mailer;
}): Promise<DeliveryResult> {
  const { db, clock, mailer } = deps;
  const result: DeliveryResult = { sent: 0, failed: 0, failures: [] };
  const due = await db
    .selectFrom('sync_notification_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', clock.now().toISOString())
    .orderBy('created_at')
    .limit(BATCH)
    .execute();
  for (const row of due) {
    const attempts = Number(row.attempts) + 1;
    const claimed = await db
      .updateTable('sync_notification_outbox')
      .set({ attempts, next_attempt_at: new Date(clock.now().getTime() + CLAIM_MS).toISOString() })
      .where('id', '=', row.id)
      .where('sent_at', 'is', null)
      .where('attempts', '=', row.attempts)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await mailer.send({ to: row.recipient, subject: row.subject, text: row.body });
    } catch (err) {
      const error = safeError(err);
      await db
        .updateTable('sync_notification_outbox')
        .set({
          next_attempt_at: new Date(clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
          last_error: error,
        })
        .where('id', '=', row.id)
        .execute();
      result.failed++;
      result.failures.push({ id: row.id, kind: row.kind, error });
      continue;
    }
    await db
      .updateTable('sync_notification_outbox')
      .set({ sent_at: clock.now().toISOString(), last_error: null })
      .where('id', '=', row.id)
      .execute();
    result.sent++;
  }
  return result;
}

/** Removes e-mails sent longer ago than {@link SENT_RETENTION_MS}. */
export async function purgeSent(db: Kysely<SyncNotificationDatabase>, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('sync_notification_outbox')
    .where('sent_at', 'is not', null)
    .where('sent_at', '<', new Date(now.getTime() - SENT_RETENTION_MS).toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
