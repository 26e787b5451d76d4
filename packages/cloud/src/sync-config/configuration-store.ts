import { randomUUID } from 'node:crypto';
import {
  type AttributeMappings,
  attributeMappingsSchema,
  type ConfigurationDomain,
  DEFAULT_DELETE_THRESHOLD,
  type Scope,
  type SyncConfiguration,
  scopeSchema,
} from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Clock } from '../directory/clock.js';
import { duplicateValue, notFound } from '../errors.js';
import { isUniqueViolation } from '../store/open-store.js';
import type { Database } from '../store/schema.js';
import { isSet } from '../store/schema.js';
import type {
  ConfigurationStatus,
  SyncConfigDatabase,
  SyncConfigTables,
  SyncConfigurationsTable,
} from './schema.js';

/** What an admin gives to create a configuration; everything but the domain has a default. */
export interface NewConfiguration {
  domain: ConfigurationDomain;
  passwordHashSync?: boolean;
  passwordWriteback?: boolean;
  scope?: Scope;
  mappings?: AttributeMappings;
  deleteGuard?: { enabled?: boolean; threshold?: number };
  notificationEmail?: string | null;
  enabled?: boolean;
}

/** A change to a configuration; the domain cannot change (create another configuration). */
export type ConfigurationPatch = Omit<NewConfiguration, 'domain'>;

/** What the ingest reports after a cycle (see {@link SyncConfigurations.updateStatus}). */
export interface StatusUpdate {
  status: Exclude<ConfigurationStatus, 'disabled'>;
  reason?: string | null;
  /** When the cycle ended; left out to keep the previous one. */
  lastCycleAt?: Date;
  /** Counts of the cycle (applied, deleted, errors...), shown as they are. */
  counts?: Record<string, number>;
}

/** A configuration as the admin API shows it: the protocol's view plus status and bookkeeping. */
export interface ConfigurationView extends SyncConfiguration {
  /** True until a full cycle starts after the admin asked for a restart. */
  restartPending: boolean;
  status: {
    state: ConfigurationStatus;
    reason: string | null;
    lastCycleAt: string | null;
    lastCycleCounts: Record<string, number> | null;
    updatedAt: string | null;
  };
  createdAt: string;
}

export interface SyncConfigurations {
  create(input: NewConfiguration): Promise<ConfigurationView>;
  /** The configuration, or undefined. */
  find(id: string): Promise<ConfigurationView | undefined>;
  /** The configuration, or Graph's 404. */
  get(id: string): Promise<ConfigurationView>;
  list(): Promise<ConfigurationView[]>;
  /** Configurations of the given AD domains (any case), as agents pull them. */
  listForDomains(domains: readonly string[]): Promise<ConfigurationView[]>;
  /** Applies a change and bumps `version` (agents apply it from their next cycle). */
  update(id: string, patch: ConfigurationPatch): Promise<ConfigurationView>;
  remove(id: string): Promise<void>;
  /** Asks the agents for a full cycle with cleared cursors (`runNow` in heartbeats). */
  requestRestart(id: string): Promise<ConfigurationView>;
  /** Clears a restart request older than a full cycle that started at `cycleStartedAt`. */
  restartStarted(id: string, cycleStartedAt: Date): Promise<void>;
  /** For the sync ingest: health, reason, last cycle time and counts. Does not bump `version`. */
  updateStatus(id: string, update: StatusUpdate): Promise<void>;
}

const domainKey = (dnsName: string) => dnsName.toLowerCase();

function parseJson<T>(text: string | null, parse: (value: unknown) => T): T | null {
  return text === null ? null : parse(JSON.parse(text));
}

const countsOf = (value: unknown): Record<string, number> => {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
};

function toView(row: SyncConfigurationsTable): ConfigurationView {
  const enabled = isSet(row.enabled);
  return {
    id: row.id,
    version: Number(row.version),
    domain: { dnsName: row.domain_dns_name, netbiosName: row.domain_netbios_name, sid: row.domain_sid },
    enabled,
    passwordHashSync: isSet(row.password_hash_sync),
    passwordWriteback: isSet(row.password_writeback),
    scope: scopeSchema.parse(JSON.parse(row.scope)),
    mappings: attributeMappingsSchema.parse(JSON.parse(row.mappings)),
    deleteGuard: { enabled: isSet(row.delete_guard_enabled), threshold: Number(row.delete_threshold) },
    notificationEmail: row.notification_email,
    updatedAt: row.updated_at,
    restartPending: row.restart_requested_at !== null,
    status: {
      state: enabled ? row.status : 'disabled',
      reason: row.status_reason,
      lastCycleAt: row.last_cycle_at,
      lastCycleCounts: parseJson(row.last_cycle_counts, countsOf),
      updatedAt: row.status_updated_at,
    },
    createdAt: row.created_at,
  };
}

/** The protocol's `SyncConfiguration` (what `GET /agent/v1/configurations` sends) of a view. */
export function toProtocolConfiguration(view: ConfigurationView): SyncConfiguration {
  const { restartPending: _r, status: _s, createdAt: _c, ...configuration } = view;
  return configuration;
}

type Changes = Partial<SyncConfigurationsTable>;

function columnsOf(patch: ConfigurationPatch): Changes {
  const c: Changes = {};
  if (patch.passwordHashSync !== undefined) c.password_hash_sync = patch.passwordHashSync ? 1 : 0;
  if (patch.passwordWriteback !== undefined) c.password_writeback = patch.passwordWriteback ? 1 : 0;
  if (patch.scope !== undefined) c.scope = JSON.stringify(patch.scope);
  if (patch.mappings !== undefined) c.mappings = JSON.stringify(patch.mappings);
  if (patch.deleteGuard?.enabled !== undefined) c.delete_guard_enabled = patch.deleteGuard.enabled ? 1 : 0;
  if (patch.deleteGuard?.threshold !== undefined) c.delete_threshold = patch.deleteGuard.threshold;
  if (patch.notificationEmail !== undefined) c.notification_email = patch.notificationEmail;
  if (patch.enabled !== undefined) c.enabled = patch.enabled ? 1 : 0;
  return c;
}

/**
 * Sync configurations: one per AD domain, versioned so agents know when to pull them again.
 * @example
 *   const configurations = createSyncConfigurations({ db, clock, defaultMappings: DEFAULT_MAPPINGS });
 *   const cfg = await configurations.create({ domain: { dnsName: 'corp.contoso.com', netbiosName: 'CORP', sid } });
 *   await configurations.update(cfg.id, { deleteGuard: { threshold: 100 } }); // version 1 → 2
 */
export function createSyncConfigurations(deps: {
  db: Kysely<Database>;
  clock: Clock;
  /** Mappings of a configuration created without any (the sync engine's defaults). */
  defaultMappings: AttributeMappings;
}): SyncConfigurations {
  const db: Kysely<SyncConfigDatabase> = deps.db.withTables<SyncConfigTables>();
  const now = () => deps.clock.now().toISOString();
  const row = (id: string) =>
    db.selectFrom('sync_configurations').selectAll().where('id', '=', id).executeTakeFirst();

  async function find(id: string) {
    const r = await row(id);
    return r && toView(r);
  }
  async function get(id: string) {
    const view = await find(id);
    if (!view) throw notFound(id);
    return view;
  }
  async function change(id: string, columns: Changes, bump: boolean) {
    const result = await db
      .updateTable('sync_configurations')
      .set((eb) => ({
        ...columns,
        ...(bump ? { version: eb('version', '+', 1), updated_at: now() } : {}),
      }))
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound(id);
    return get(id);
  }

  return {
    async create(input) {
      const id = randomUUID();
      const at = now();
      try {
        await db
          .insertInto('sync_configurations')
          .values({
            id,
            version: 1,
            domain_dns_name: input.domain.dnsName,
            domain_key: domainKey(input.domain.dnsName),
            domain_netbios_name: input.domain.netbiosName,
            domain_sid: input.domain.sid,
            enabled: input.enabled ? 1 : 0,
            password_hash_sync: input.passwordHashSync === false ? 0 : 1,
            password_writeback: input.passwordWriteback ? 1 : 0,
            scope: JSON.stringify(input.scope ?? { kind: 'domain' }),
            mappings: JSON.stringify(input.mappings ?? deps.defaultMappings),
            delete_guard_enabled: input.deleteGuard?.enabled === false ? 0 : 1,
            delete_threshold: input.deleteGuard?.threshold ?? DEFAULT_DELETE_THRESHOLD,
            notification_email: input.notificationEmail ?? null,
            restart_requested_at: null,
            status: 'healthy',
            status_reason: null,
            status_updated_at: null,
            last_cycle_at: null,
            last_cycle_counts: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateValue('domain.dnsName');
        throw err;
      }
      return get(id);
    },
    find,
    get,
    async list() {
      const rows = await db.selectFrom('sync_configurations').selectAll().orderBy('domain_key').execute();
      return rows.map(toView);
    },
    async listForDomains(domains) {
      if (domains.length === 0) return [];
      const rows = await db
        .selectFrom('sync_configurations')
        .selectAll()
        .where('domain_key', 'in', domains.map(domainKey))
        .orderBy('domain_key')
        .execute();
      return rows.map(toView);
    },
    async update(id, patch) {
      const columns = columnsOf(patch);
      if (Object.keys(columns).length === 0) return get(id);
      return change(id, columns, true);
    },
    async remove(id) {
      // Its lease goes with it (foreign key); the caller cancels its queued jobs.
      const result = await db.deleteFrom('sync_configurations').where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound(id);
    },
    async requestRestart(id) {
      return change(id, { restart_requested_at: now() }, false);
    },
    async restartStarted(id, cycleStartedAt) {
      await db
        .updateTable('sync_configurations')
        .set({ restart_requested_at: null })
        .where('id', '=', id)
        .where('restart_requested_at', '<=', cycleStartedAt.toISOString())
        .execute();
    },
    async updateStatus(id, update) {
      const columns: Changes = {
        status: update.status,
        status_reason: update.reason ?? null,
        status_updated_at: now(),
      };
      if (update.lastCycleAt) columns.last_cycle_at = update.lastCycleAt.toISOString();
      if (update.counts) columns.last_cycle_counts = JSON.stringify(update.counts);
      await change(id, columns, false);
    },
  };
}
