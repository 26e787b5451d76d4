import type { Database } from '../store/schema.js';

/** What a synced object is in the cloud, per configuration and anchor (migration `0004-sync-ingest`). */
export interface SyncObjectsTable {
  configuration_id: string;
  /** onPremisesImmutableId: base64 of ms-DS-ConsistencyGuid, else of objectGUID. */
  anchor: string;
  object_type: 'user' | 'group' | 'contact';
  /** The cloud object's id. */
  cloud_id: string;
  /** `active`, `out-of-scope` (soft-deleted, comes back when in scope again) or `deleted`. */
  state: 'active' | 'out-of-scope' | 'deleted';
  distinguished_name: string | null;
  /** The last cycle that mentioned the object: a full cycle deletes what it did not mention. */
  last_cycle_id: string;
  updated_at: string;
}

export type CycleRowState = 'open' | 'accepted' | 'held-by-delete-guard' | 'rejected' | 'quarantined';

export interface SyncCyclesTable {
  id: string;
  configuration_id: string;
  agent_id: string;
  kind: 'full' | 'delta';
  configuration_version: number;
  state: CycleRowState;
  /** Highest sequence such that it and all before it are stored. */
  committed_through: number;
  started_at: string;
  ended_at: string | null;
  /** JSON: applied, skipped, conflicts, errors, pendingDeletes. */
  counts: string;
  code: string | null;
  reason: string | null;
}

export interface SyncCyclePagesTable {
  cycle_id: string;
  sequence: number;
  /** JSON of the page acknowledgement, replayed for a resent page. */
  answer: string;
  received_at: string;
}

/** Deletions a cycle asked for, applied at its end (or held by the accidental-delete guard). */
export interface SyncPendingDeletesTable {
  cycle_id: string;
  configuration_id: string;
  anchor: string;
  object_type: 'user' | 'group' | 'contact';
  op: 'delete' | 'out-of-scope';
  distinguished_name: string | null;
}

/** Group memberships carried by a cycle, applied at its end when every member's page is in. */
export interface SyncPendingMembersTable {
  cycle_id: string;
  group_anchor: string;
  /** JSON of the protocol's `Members`. */
  members: string;
}

export interface ProvisioningLogsTable {
  id: string;
  configuration_id: string;
  cycle_id: string;
  created_at: string;
  /** Create, Update, Delete, Disable, Restore, Skip, StagedDelete. */
  action: string;
  /** success, warning, failure, skipped. */
  status: string;
  object_type: string;
  source_anchor: string;
  source_dn: string | null;
  target_id: string | null;
  target_name: string | null;
  /** JSON list of { name, oldValue, newValue }. */
  modified_properties: string;
  /** JSON list of { name, status, detail } (import, scope, match, action). */
  steps: string;
  error_code: string | null;
  reason: string | null;
}

/** Consecutive failed cycles of a configuration and its quarantine (automatic retry with backoff). */
export interface SyncHealthTable {
  configuration_id: string;
  consecutive_failures: number;
  /** While set and in the future, cycles are refused; afterwards one retry is let through. */
  quarantined_until: string | null;
  reason: string | null;
}

/** When AD last set the password whose hash the cloud holds, per synced user. */
export interface PasswordHashSyncStateTable {
  user_id: string;
  pwd_last_set: string;
  updated_at: string;
}

export type SyncIngestTables = {
  password_hash_sync_state: PasswordHashSyncStateTable;
  sync_health: SyncHealthTable;
  sync_objects: SyncObjectsTable;
  sync_cycles: SyncCyclesTable;
  sync_cycle_pages: SyncCyclePagesTable;
  sync_pending_deletes: SyncPendingDeletesTable;
  sync_pending_members: SyncPendingMembersTable;
  provisioning_logs: ProvisioningLogsTable;
};

export type SyncIngestDatabase = Database & SyncIngestTables;
