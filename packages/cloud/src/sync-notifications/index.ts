export { agentErrorMail, heldMail, type MailSubject, quarantineMail, recoveredMail } from './messages.js';
export { mountSyncNotifications } from './mount.js';
export {
  type CycleReport,
  createSyncNotifications,
  type SyncNotifications,
  type SyncNotificationsDeps,
} from './notifier.js';
export { CLAIM_MS, type DeliveryResult, retryDelayMs, SENT_RETENTION_MS } from './outbox.js';
export { notificationRoutes } from './routes.js';
export type { SyncNotificationOutboxTable, SyncNotificationStateTable } from './schema.js';
