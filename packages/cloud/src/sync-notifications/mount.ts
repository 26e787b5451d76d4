import type { FastifyInstance } from 'fastify';
import { type AccessControl, registerRoutes } from '../api/route.js';
import { createSyncNotifications, type SyncNotifications, type SyncNotificationsDeps } from './notifier.js';
import { notificationRoutes } from './routes.js';
import type { SyncNotificationTables } from './schema.js';

/**
 * Builds the notification e-mails of sync configurations, mounts their admin route
 * (`GET /v1.0/cloudsync/configurations/{id}/notifications`) and starts the outbox loop.
 * @example
 *   const notifications = mountSyncNotifications(app, { db: store.db, clock, log: app.log, publicUrl, mailer, access: auth });
 */
export function mountSyncNotifications(
  app: FastifyInstance,
  deps: SyncNotificationsDeps & { access: AccessControl },
): SyncNotifications {
  const { access, ...rest } = deps;
  const notifications = createSyncNotifications(rest);
  registerRoutes(
    app,
    access,
    notificationRoutes({ db: deps.db.withTables<SyncNotificationTables>(), publicUrl: deps.publicUrl }),
  );
  notifications.start();
  return notifications;
}
