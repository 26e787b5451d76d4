import type { Database } from '../store/schema.js';
import type { SyncConfigTables } from '../sync-config/schema.js';

/** The conditions a configuration's notification e-mail reports. */
export type NotifiedCondition = 'held' | 'quarantine' | 'agent-error';

/**
 * What was already e-mailed and has not cleared yet, so a condition that lasts is e-mailed once
 * (migration `0006-sync-notifications`). A row goes when its condition clears.
 */
export interface SyncNotificationStateTable {
  configuration_id: string;
  condition: NotifiedCondition;
  /** What distinguishes two conditions of one kind: the error code of an agent error, else ''. */
  subject: string;
  notified_at: string;
}

/** E-mails waiting to be sent, and sent ones for a while: sending is retried, never lost. */
export interface SyncNotificationOutboxTable {
  id: string;
  configuration_id: string;
  /** `held`, `quarantine`, `agent-error` or `recovered`. */
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: string;
  /** Tries so far (a try claims the row before it sends). */
  attempts: number;
  /** The row is sent (or claimed by a sender) no earlier than this. */
  next_attempt_at: string;
  sent_at: string | null;
  /** Why the last try failed, without secrets. */
  last_error: string | null;
}

export type SyncNotificationTables = {
  sync_notification_state: SyncNotificationStateTable;
  sync_notification_outbox: SyncNotificationOutboxTable;
} & SyncConfigTables;

export type SyncNotificationDatabase = Database & SyncNotificationTables;
