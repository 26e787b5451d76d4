import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GLOBAL_ADMIN } from '../api/access.js';
import { type AnyRoute, getRoute } from '../api/route.js';
import { idParams } from '../api/schemas/common.js';
import { badRequest } from '../errors.js';
import type { SyncNotificationDatabase } from './schema.js';

const listQuery = z.object({ top: z.coerce.number().int().min(1).max(200).default(50) });

const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  createdDateTime: z.string(),
  /** `sent`, or `pending` (waiting for its first try or for a retry after a failure). */
  status: z.enum(['sent', 'pending']),
  sentDateTime: z.string().nullable(),
  attempts: z.number(),
  nextAttemptDateTime: z.string().nullable(),
  lastError: z.string().nullable(),
});

/**
 * `GET /v1.0/cloudsync/configurations/{id}/notifications`: the e-mails of a configuration, newest
 * first, sent and pending (with the last SMTP error), so an admin sees whether notices went out.
 */
export function notificationRoutes(deps: {
  db: Kysely<SyncNotificationDatabase>;
  publicUrl: string;
}): AnyRoute[] {
  return [
    getRoute({
      url: '/v1.0/cloudsync/configurations/:id/notifications',
      roles: GLOBAL_ADMIN,
      params: idParams,
      response: z.object({ '@odata.context': z.string(), value: z.array(notificationSchema) }),
      handler: async ({ params, request }) => {
        const query = listQuery.safeParse(request.query);
        if (!query.success) throw badRequest("Invalid query option 'top'.", 'top');
        const rows = await deps.db
          .selectFrom('sync_notification_outbox')
          .selectAll()
          .where('configuration_id', '=', params.id)
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(query.data.top)
          .execute();
        return {
          '@odata.context': `${deps.publicUrl}/v1.0/$metadata#cloudsync/configurations/notifications`,
          value: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            createdDateTime: r.created_at,
            status: r.sent_at ? ('sent' as const) : ('pending' as const),
            sentDateTime: r.sent_at,
            attempts: Number(r.attempts),
            nextAttemptDateTime: r.sent_at ? null : r.next_attempt_at,
            lastError: r.last_error,
          })),
        };
      },
    }),
  ];
}
