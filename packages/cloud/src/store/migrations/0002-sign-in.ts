import type { Kysely, Migration } from 'kysely';

// Kysely<any> is what the Migrator hands a migration: the schema is not typed at this point.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
type Db = Kysely<any>;

/** Sign-in: signing keys and cookie secrets, app registrations, and oidc-provider's model storage. */
export const signIn: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable('sign_in_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('material', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('app_registrations')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('client_secret_hash', 'text')
      .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
      .addColumn('grant_types', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('jwks', 'text')
      .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('account_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('oidc_models')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('user_code', 'text')
      .addColumn('uid', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oidc_models_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_models_grant').on('oidc_models').column('grant_id').execute();
    await db.schema
      .createIndex('oidc_models_user_code')
      .on('oidc_models')
      .columns(['model', 'user_code'])
      .execute();
    await db.schema.createIndex('oidc_models_uid').on('oidc_models').columns(['model', 'uid']).execute();
    await db.schema.createIndex('oidc_models_expires').on('oidc_models').column('expires_at').execute();
  },

  async down(db: Db) {
    for (const table of ['oidc_models', 'app_registrations', 'sign_in_keys']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
