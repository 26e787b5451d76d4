/** Row type of `sync_configurations` (migration `0003-agents`). */
import type { Database, Flag } from '../store/schema.js';

export type ConfigurationStatus = 'healthy' | 'quarantine' | 'error' | 'disabled';

export interface SyncConfigurationsTable {
  id: string;
  /** Grows by one on every change; agents pull the configuration again when it differs. */
  version: number;
  domain_dns_name: string;
  /** Lower-cased DNS name: one configuration per AD domain. */
  domain_key: string;
  domain_netbios_name: string;
  domain_sid: string;
  enabled: Flag;
  password_hash_sync: Flag;
  password_writeback: Flag;
  /** JSON of the protocol's `Scope`. */
  scope: string;
  /** JSON of the protocol's `AttributeMappings`. */
  mappings: string;
  delete_guard_enabled: Flag;
  delete_threshold: number;
  notification_email: string | null;
  /** Set by "restart": agents see a full `runNow` until a full cycle starts after it. */
  restart_requested_at: string | null;
  /** Written by the sync ingest (`disabled` is shown whenever `enabled` is off). */
  status: Exclude<ConfigurationStatus, 'disabled'>;
  status_reason: string | null;
  status_updated_at: string | null;
  last_cycle_at: string | null;
  /** JSON counts of the last cycle, as the ingest reports them. */
  last_cycle_counts: string | null;
  created_at: string;
  updated_at: string;
}

export type SyncConfigTables = { sync_configurations: SyncConfigurationsTable };

export type SyncConfigDatabase = Database & SyncConfigTables;
