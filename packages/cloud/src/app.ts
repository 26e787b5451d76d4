// The composition root of the cloud process: the one place where the parts are built and wired.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAPPINGS } from '@cloudsync/sync-engine';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { mountAdminCenter } from './admin-center/index.js';
import { type CloudSync, mountCloudSync } from './agents/index.js';
import { registerAdminApi } from './api/index.js';
import { createOData } from './api/odata/index.js';
import { type Auth, createAuth } from './auth/create-auth.js';
import type { CloudConfig } from './config.js';
import { SYSTEM_ACTOR } from './directory/actor.js';
import { type Clock, systemClock } from './directory/clock.js';
import { createTxtLookup, type TxtLookup } from './directory/domains/dns-txt.js';
import { createDirectory, type Directory } from './directory/index.js';
import {
  createSmtpMailer,
  type Mailer,
  mountPasswordReset,
  type PasswordReset,
} from './password-reset/index.js';
import { openStore, type Store } from './store/open-store.js';
import { clearQuarantine } from './sync-ingest/health.js';
import { mountSyncIngest, type SyncIngest } from './sync-ingest/index.js';
import { createAgentErrorLog } from './sync-ingest/provisioning-log.js';
import type { SyncIngestTables } from './sync-ingest/schema.js';
import { mountSyncNotifications, type SyncNotifications } from './sync-notifications/index.js';

/** A built (not yet listening) cloud: the Fastify app and the parts tests and commands may reach. */
export interface CloudApp {
  app: FastifyInstance;
  store: Store;
  directory: Directory;
  auth: Auth;
  /** Agents, sync configurations, cycle leases and the job queue to agents. */
  cloudSync: CloudSync;
  /** Applies what agents send: change-set pages, cycle ends, password hashes; provisioning logs. */
  syncIngest: SyncIngest;
  /** Self-service password reset: policy, registered methods, flows. */
  passwordReset: PasswordReset;
  /** The notification e-mails of sync configurations and their outbox. */
  syncNotifications: SyncNotifications;
  /** Stops the HTTP server, the purge timer and the store. */
  close(): Promise<void>;
}

export interface BuildOptions {
  config: CloudConfig;
  /** A pino logger to use instead of one built from `config.logLevel` (tests capture logs with it). */
  logger?: FastifyBaseLogger;
  clock?: Clock;
  lookupTxt?: TxtLookup;
  /** Sends password reset codes; by default SMTP to `config.smtpUrl` when set. */
  mailer?: Mailer;
  /** Cycle lease lifetime (default 2 minutes); tests shorten it to see a takeover. */
  leaseTtlMs?: number;
}

/** Fastify's `https` options when a certificate is configured: TLS 1.2 at least. */
export function httpsOptions(config: Pick<CloudConfig, 'tlsCert' | 'tlsKey'>) {
  if (!config.tlsCert || !config.tlsKey) return {};
  return {
    https: {
      cert: readFileSync(config.tlsCert),
      key: readFileSync(config.tlsKey),
      minVersion: 'TLSv1.2' as const,
    },
  };
}

const PURGE_EVERY_MS = 6 * 60 * 60 * 1000;

/** Opens the store (migrating it) and the directory, for commands that do not serve HTTP. */
export async function openDirectory(config: CloudConfig, clock: Clock = systemClock) {
  const store = await openStore(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile },
  );
  const directory = createDirectory({ db: store.db, clock, lookupTxt: createTxtLookup(config.dnsServers) });
  return { store, directory };
}

/**
 * Builds the cloud service from its configuration: store, directory, sign-in, admin API.
 * @example
 *   const cloud = await buildCloudApp({ config: loadConfig() });
 *   await cloud.app.listen({ host: config.host, port: config.port });
 */
export async function buildCloudApp(options: BuildOptions): Promise<CloudApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const store = await openStore(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile },
  );
  try {
    const directory = createDirectory({
      db: store.db,
      clock,
      lookupTxt: options.lookupTxt ?? createTxtLookup(config.dnsServers),
    });
    const app = Fastify({
      ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel } }),
      ...httpsOptions(config),
      bodyLimit: 1024 * 1024,
    });
    for (const warning of config.warnings) app.log.warn(warning);
    const auth = await createAuth({
      db: store.db,
      config,
      log: app.log,
      clock,
      signInRegistration: () => passwordReset.signInRegistration,
    });
    await auth.register(app);
    // Skip tokens are signed with a per-process secret: a restart invalidates open nextLinks, nothing else.
    const odata = createOData({ skipTokenSecret: randomBytes(32) });
    registerAdminApi(app, { directory, odata, access: auth, publicUrl: config.publicUrl });
    const mailer =
      options.mailer ??
      (config.smtpUrl ? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : undefined);
    const syncNotifications = mountSyncNotifications(app, {
      db: store.db,
      clock,
      log: app.log,
      publicUrl: config.publicUrl,
      access: auth,
      ...(mailer ? { mailer } : {}),
    });
    const agentErrorLog = createAgentErrorLog(store.db.withTables<SyncIngestTables>(), () => clock.now());
    const cloudSync = await mountCloudSync(app, {
      db: store.db,
      clock,
      auth,
      publicUrl: config.publicUrl,
      defaultMappings: DEFAULT_MAPPINGS,
      ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
      onRestart: (configurationId) =>
        clearQuarantine(store.db.withTables<SyncIngestTables>(), configurationId),
      onAgentError: async (configurationId, error, agent) => {
        await agentErrorLog(configurationId, error, agent);
        await syncNotifications.agentError(configurationId, error, agent);
      },
    });
    const passwordReset = await mountPasswordReset(app, {
      db: store.db,
      auth,
      directory,
      cloudSync,
      clock,
      log: app.log,
      ...(mailer ? { mailer } : {}),
      writebackTimeoutMs: config.writebackTimeoutMs,
    });
    const syncIngest = await mountSyncIngest(app, {
      db: store.db,
      directory,
      cloudSync,
      clock,
      access: auth,
      publicUrl: config.publicUrl,
      notifications: syncNotifications,
    });
    await mountAdminCenter(app, { auth, db: store.db, publicUrl: config.publicUrl });

    const purge = setInterval(() => {
      directory.deletedUsers
        .purgeExpired(SYSTEM_ACTOR)
        .then((n) => n > 0 && app.log.info({ purged: n }, 'purged users deleted more than 30 days ago'))
        .catch((err: unknown) => app.log.error({ err }, 'purge of deleted users failed'));
    }, PURGE_EVERY_MS);
    purge.unref();

    let closed = false;
    return {
      app,
      store,
      directory,
      auth,
      cloudSync,
      syncIngest,
      passwordReset,
      syncNotifications,
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(purge);
        cloudSync.close();
        await syncNotifications.close();
        await app.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
