import { type Kysely, type Migration, sql } from 'kysely';

// Portable DDL only: text, integer, boolean (0/1 in SQLite), primary keys, unique and plain indexes,
// and expression indexes on lower(column) for the case-insensitive filters Graph offers.
// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/** The unique index `<table>_immutable_id` on a synced table's anchor, `on_premises_immutable_id`. */
function createAnchorIndex(db: Db, table: 'users' | 'groups' | 'contacts') {
  return db.schema
    .createIndex(`${table}_immutable_id`)
    .unique()
    .on(table)
    .column('on_premises_immutable_id')
    .execute();
}

export const directory: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('tenant')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('initial_domain', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_principal_name', 'text', (c) => c.notNull())
      .addColumn('upn_key', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('given_name', 'text')
      .addColumn('surname', 'text')
      .addColumn('mail', 'text')
      .addColumn('mail_nickname', 'text')
      .addColumn('account_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`true`))
      .addColumn('usage_location', 'text')
      .addColumn('job_title', 'text')
      .addColumn('department', 'text')
      .addColumn('office_location', 'text')
      .addColumn('mobile_phone', 'text')
      .addColumn('company_name', 'text')
      .addColumn('employee_id', 'text')
      .addColumn('on_premises_sync_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('on_premises_immutable_id', 'text')
      .addColumn('on_premises_sam_account_name', 'text')
      .addColumn('on_premises_distinguished_name', 'text')
      .addColumn('on_premises_domain_name', 'text')
      .addColumn('on_premises_security_identifier', 'text')
      .addColumn('on_premises_user_principal_name', 'text')
      .addColumn('on_premises_last_sync_at', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema.createIndex('users_upn_key').unique().on('users').column('upn_key').execute();
    await createAnchorIndex(db, 'users');
    await db.schema.createIndex('users_deleted_id').on('users').columns(['deleted_at', 'id']).execute();
    await db.schema
      .createIndex('users_lower_upn')
      .on('users')
      .expression(sql`lower(user_principal_name)`)
      .execute();
    await db.schema
      .createIndex('users_lower_display_name')
      .on('users')
      .expression(sql`lower(display_name), id`)
      .execute();
    await db.schema.createIndex('users_lower_mail').on('users').expression(sql`lower(mail)`).execute();

    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('mail_nickname', 'text', (c) => c.notNull())
      .addColumn('mail', 'text')
      .addColumn('mail_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('security_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`true`))
      .addColumn('group_types', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('on_premises_sync_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('on_premises_immutable_id', 'text')
      .addColumn('on_premises_sam_account_name', 'text')
      .addColumn('on_premises_distinguished_name', 'text')
      .addColumn('on_premises_domain_name', 'text')
      .addColumn('on_premises_security_identifier', 'text')
      .addColumn('on_premises_last_sync_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await createAnchorIndex(db, 'groups');
    await db.schema
      .createIndex('groups_lower_display_name')
      .on('groups')
      .expression(sql`lower(display_name), id`)
      .execute();

    await db.schema
      .createTable('group_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('member_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'member_id'])
      .execute();
    await db.schema.createIndex('group_members_member').on('group_members').column('member_id').execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('given_name', 'text')
      .addColumn('surname', 'text')
      .addColumn('mail', 'text')
      .addColumn('mail_nickname', 'text')
      .addColumn('company_name', 'text')
      .addColumn('job_title', 'text')
      .addColumn('department', 'text')
      .addColumn('on_premises_sync_enabled', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('on_premises_immutable_id', 'text')
      .addColumn('on_premises_last_sync_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await createAnchorIndex(db, 'contacts');

    await db.schema
      .createTable('domains')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('is_verified', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('is_initial', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
      .addColumn('authentication_type', 'text', (c) => c.notNull().defaultTo('Managed'))
      .addColumn('verification_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'text')
      .execute();

    await db.schema
      .createTable('subscribed_skus')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sku_id', 'text', (c) => c.notNull().unique())
      .addColumn('sku_part_number', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('applies_to', 'text', (c) => c.notNull())
      .addColumn('capability_status', 'text', (c) => c.notNull())
      .addColumn('enabled_units', 'integer', (c) => c.notNull())
      .addColumn('consumed_units', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('service_plans', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('license_assignments')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('sku_id', 'text', (c) => c.notNull().references('subscribed_skus.sku_id'))
      .addColumn('disabled_plans', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('license_assignments_pk', ['user_id', 'sku_id'])
      .execute();
    await db.schema
      .createIndex('license_assignments_sku')
      .on('license_assignments')
      .column('sku_id')
      .execute();

    await db.schema
      .createTable('directory_role_assignments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('role_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('directory_role_assignments_unique', ['principal_id', 'role_name'])
      .execute();

    await db.schema
      .createTable('directory_audits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('activity_date_time', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('activity_display_name', 'text', (c) => c.notNull())
      .addColumn('operation_type', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('result_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('initiated_by_kind', 'text', (c) => c.notNull())
      .addColumn('initiated_by_id', 'text', (c) => c.notNull())
      .addColumn('initiated_by_name', 'text')
      .addColumn('target_id', 'text')
      .addColumn('target_type', 'text')
      .addColumn('target_name', 'text')
      .addColumn('modified_properties', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .createIndex('directory_audits_time')
      .on('directory_audits')
      .columns(['activity_date_time', 'id'])
      .execute();
  },

  async down(db: Db) {
    for (const table of [
      'directory_audits',
      'directory_role_assignments',
      'license_assignments',
      'subscribed_skus',
      'domains',
      'contacts',
      'group_members',
      'groups',
      'users',
      'tenant',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
