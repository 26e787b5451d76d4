import { type Kysely, type Migration, sql } from 'kysely';

// Same portable DDL as 0001: text, integer, boolean, ISO-8601 text timestamps, JSON as text.
// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/** Agents, sync configurations, the cycle lease of each configuration, and the job queue to agents. */
export const agents: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('host_key', 'text', (c) => c.notNull().unique())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('domains', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('key_generation', 'integer', (c) => c.notNull())
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('registered_by', 'text', (c) => c.notNull())
      .addColumn('last_contact_at', 'text')
      .addColumn('run_status', 'text')
      .addColumn('current_cycle', 'text')
      .addColumn('last_error', 'text')
      .execute();

    await db.schema
      .createTable('sync_configurations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('domain_dns_name', 'text', (c) => c.notNull())
      .addColumn('domain_key', 'text', (c) => c.notNull().unique())
      .addColumn('domain_netbios_name', 'text', (c) => c.notNull())
      .addColumn('domain_sid', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('password_hash_sync', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('password_writeback', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('mappings', 'text', (c) => c.notNull())
      .addColumn('delete_guard_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`true`))
      .addColumn('delete_threshold', 'integer', (c) => c.notNull())
      .addColumn('notification_email', 'text')
      .addColumn('restart_requested_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('status_updated_at', 'text')
      .addColumn('last_cycle_at', 'text')
      .addColumn('last_cycle_counts', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cycle_leases')
      .addColumn('configuration_id', 'text', (c) =>
        c.primaryKey().references('sync_configurations.id').onDelete('cascade'),
      )
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('agent_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('domain_key', 'text')
      .addColumn('configuration_id', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('claimed_by', 'text')
      .addColumn('claim_until', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .execute();
    await db.schema
      .createIndex('agent_jobs_state')
      .on('agent_jobs')
      .columns(['state', 'created_at'])
      .execute();
    await db.schema
      .createIndex('agent_jobs_configuration')
      .on('agent_jobs')
      .column('configuration_id')
      .execute();
  },

  async down(db: Db) {
    for (const table of ['agent_jobs', 'cycle_leases', 'sync_configurations', 'agents']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
