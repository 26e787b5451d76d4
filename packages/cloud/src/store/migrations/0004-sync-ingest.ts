import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/** Synced objects by anchor, cycles and their pages, staged deletions, provisioning logs. */
export const syncIngest: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('sync_objects')
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('anchor', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('cloud_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('distinguished_name', 'text')
      .addColumn('last_cycle_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_objects_pk', ['configuration_id', 'anchor'])
      .execute();
    await db.schema.createIndex('sync_objects_cloud_id').on('sync_objects').column('cloud_id').execute();

    await db.schema
      .createTable('sync_cycles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('configuration_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('committed_through', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('reason', 'text')
      .execute();
    await db.schema
      .createIndex('sync_cycles_configuration')
      .on('sync_cycles')
      .columns(['configuration_id', 'started_at'])
      .execute();

    await db.schema
      .createTable('sync_cycle_pages')
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_cycle_pages_pk', ['cycle_id', 'sequence'])
      .execute();

    await db.schema
      .createTable('sync_pending_deletes')
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('anchor', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('distinguished_name', 'text')
      .addPrimaryKeyConstraint('sync_pending_deletes_pk', ['cycle_id', 'anchor'])
      .execute();

    await db.schema
      .createTable('sync_pending_members')
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('group_anchor', 'text', (c) => c.notNull())
      .addColumn('members', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_pending_members_pk', ['cycle_id', 'group_anchor'])
      .execute();

    await db.schema
      .createTable('sync_health')
      .addColumn('configuration_id', 'text', (c) => c.primaryKey())
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('quarantined_until', 'text')
      .addColumn('reason', 'text')
      .execute();

    await db.schema
      .createTable('password_hash_sync_state')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('pwd_last_set', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('provisioning_logs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('configuration_id', 'text', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('source_anchor', 'text', (c) => c.notNull())
      .addColumn('source_dn', 'text')
      .addColumn('target_id', 'text')
      .addColumn('target_name', 'text')
      .addColumn('modified_properties', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('reason', 'text')
      .execute();
    await db.schema
      .createIndex('provisioning_logs_time')
      .on('provisioning_logs')
      .columns(['created_at', 'id'])
      .execute();
  },
  async down(db: Db) {
    for (const table of [
      'provisioning_logs',
      'password_hash_sync_state',
      'sync_health',
      'sync_pending_members',
      'sync_pending_deletes',
      'sync_cycle_pages',
      'sync_cycles',
      'sync_objects',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
