import type { Kysely, Migration } from 'kysely';

// Same portable DDL as 0001: text, integer, ISO-8601 text timestamps, JSON as text, flags as 0/1.
// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/**
 * Smart lockout state per user, the self-service password reset policy, users' registered reset
 * methods, and reset flows in progress (one-time codes stored as hashes only).
 */
export const passwordReset: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('sign_in_lockouts')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lockout_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('last_failure_at', 'text')
      .execute();

    await db.schema
      .createTable('password_reset_policy')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enabled_for', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text')
      .addColumn('methods', 'text', (c) => c.notNull())
      .addColumn('registration_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unlock_on_reset', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('keep_must_change', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('auth_methods')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('auth_methods_pk', ['user_id', 'kind'])
      .execute();

    await db.schema
      .createTable('password_reset_flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('method', 'text')
      .addColumn('code_hash', 'text')
      .addColumn('code_expires_at', 'text')
      .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pending_value', 'text')
      .addColumn('verified_at', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('password_reset_flows_expiry')
      .on('password_reset_flows')
      .column('expires_at')
      .execute();
  },
  async down(db: Db) {
    for (const table of [
      'password_reset_flows',
      'auth_methods',
      'password_reset_policy',
      'sign_in_lockouts',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
