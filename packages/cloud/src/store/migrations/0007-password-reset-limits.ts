import type { Kysely, Migration } from 'kysely';

// Same portable DDL as 0001: text, integer, ISO-8601 text timestamps.
// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/**
 * Limits of self-service password reset that must hold across cloud processes: code challenges per
 * flow, the last accepted authenticator time step, counters (code e-mails, wrong codes a day), and
 * writebacks whose answer came after the user was told the outcome is unknown.
 */
export const passwordResetLimits: Migration = {
  async up(db: Db) {
    await db.schema
      .alterTable('password_reset_flows')
      .addColumn('challenge_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('auth_methods').addColumn('last_totp_step', 'integer').execute();
    await db.schema
      .createTable('password_reset_counters')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('password_reset_pending')
      .addColumn('job_id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Db) {
    await db.schema.dropTable('password_reset_pending').ifExists().execute();
    await db.schema.dropTable('password_reset_counters').ifExists().execute();
    await db.schema.alterTable('auth_methods').dropColumn('last_totp_step').execute();
    await db.schema.alterTable('password_reset_flows').dropColumn('challenge_count').execute();
  },
};
