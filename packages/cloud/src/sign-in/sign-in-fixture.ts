// For tests only: a real cloud slice (store, Fastify, createAuth) listening on a loopback port, with
// pino's output captured so tests can search it.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { freePort } from '../../../../tests/harness/process.js';
import { type Auth, createAuth } from '../auth/create-auth.js';
import type { Role } from '../auth/principal.js';
import { openStore, type Store } from '../store/index.js';
import { hashPassword } from './password-hash.js';

export interface FixtureUser {
  id: string;
  upn: string;
  password: string;
}

export interface SignInFixture {
  url: string;
  issuer: string;
  app: FastifyInstance;
  auth: Auth;
  store: Store;
  /** Every log line written so far (JSON text). */
  logs: string[];
  /** Adds a cloud user (scrypt hash of `password`), or a synced one when `passwordHash` is given. */
  addUser(input: {
    upn?: string;
    password?: string;
    passwordHash?: string;
    roles?: Role[];
    displayName?: string;
  }): Promise<FixtureUser>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  setAccountEnabled(userId: string, enabled: boolean): Promise<void>;
  softDelete(userId: string): Promise<void>;
  assignRole(principalId: string, role: Role): Promise<void>;
  removeRole(principalId: string, role: Role): Promise<void>;
  close(): Promise<void>;
}

export interface SignInFixtureOptions {
  /** PostgreSQL URL; a SQLite file in memory otherwise. */
  databaseUrl?: string;
  /** Reuse the store (and tenant) of an earlier fixture, e.g. to restart the cloud; not closed by `close`. */
  store?: Store;
  /** The cloud's public URL (and so its issuer), when it must differ from where it listens (a restart). */
  publicUrl?: string;
  /** Adds routes (e.g. a protected test route) before the server listens. */
  register?: (app: FastifyInstance, auth: Auth) => void;
}

/** Starts the sign-in slice of the cloud with one tenant, on SQLite unless told otherwise. */
export async function startSignInFixture(options: SignInFixtureOptions = {}): Promise<SignInFixture> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const store =
    options.store ??
    (await openStore(
      options.databaseUrl ? { databaseUrl: options.databaseUrl } : { sqliteFile: ':memory:' },
    ));
  const { db } = store;
  if (!options.store)
    await db
      .insertInto('tenant')
      .values({
        id: randomUUID(),
        display_name: 'Contoso',
        initial_domain: 'contoso.cloudsync.test',
        created_at: new Date().toISOString(),
      })
      .execute();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logger: FastifyBaseLogger = pino({ level: 'debug' }, sink);
  const app = Fastify({ loggerInstance: logger });
  const auth = await createAuth({ db, config: { publicUrl: options.publicUrl ?? url }, log: app.log });
  await auth.register(app);
  options.register?.(app, auth);
  await app.listen({ host: '127.0.0.1', port });

  const assignRole = async (principalId: string, role: Role) => {
    await db
      .insertInto('directory_role_assignments')
      .values({
        id: randomUUID(),
        principal_id: principalId,
        role_name: role,
        created_at: new Date().toISOString(),
      })
      .execute();
  };

  return {
    url,
    issuer: auth.issuer,
    app,
    auth,
    store,
    logs,
    async addUser(input) {
      const id = randomUUID();
      const upn = input.upn ?? `user-${id.slice(0, 8)}@contoso.cloudsync.test`;
      const password = input.password ?? `Pw-${randomUUID()}`;
      await db
        .insertInto('users')
        .values({
          id,
          user_principal_name: upn,
          upn_key: upn.toLowerCase(),
          display_name: input.displayName ?? upn.split('@')[0] ?? upn,
          mail: upn,
          account_enabled: 1,
          password_hash: input.passwordHash ?? (await hashPassword(password)),
          on_premises_sync_enabled: input.passwordHash ? 1 : 0,
          created_at: new Date().toISOString(),
        })
        .execute();
      for (const role of input.roles ?? []) await assignRole(id, role);
      return { id, upn, password };
    },
    async setAccountEnabled(userId, enabled) {
      await db
        .updateTable('users')
        .set({ account_enabled: enabled ? 1 : 0 })
        .where('id', '=', userId)
        .execute();
    },
    async setPasswordHash(userId, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    },
    async softDelete(userId) {
      await db
        .updateTable('users')
        .set({ deleted_at: new Date().toISOString() })
        .where('id', '=', userId)
        .execute();
    },
    assignRole,
    async removeRole(principalId, role) {
      await db
        .deleteFrom('directory_role_assignments')
        .where('principal_id', '=', principalId)
        .where('role_name', '=', role)
        .execute();
    },
    async close() {
      await app.close();
      if (!options.store) await store.close();
    },
  };
}
