import type { Kysely, Migration } from 'kysely';

// Same portable DDL as 0001: text, integer, ISO-8601 text timestamps.
// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/** Notification e-mails of sync configurations: what was notified, and the outbox of e-mails to send. */
export const syncNotifications: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('sync_notification_state')
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('condition', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_notification_state_pk', ['configuration_id', 'condition', 'subject'])
      .execute();

    await db.schema
      .createTable('sync_notification_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema
      .createIndex('sync_notification_outbox_due')
      .on('sync_notification_outbox')
      .columns(['sent_at', 'next_attempt_at'])
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('sync_notification_outbox').ifExists().execute();
    await db.schema.dropTable('sync_notification_state').ifExists().execute();
  },
};
