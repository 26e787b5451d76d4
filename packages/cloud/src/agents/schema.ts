/**
 * Row types of the tables agents own (migration `0003-agents`). Same conventions as the directory:
 * timestamps as ISO-8601 UTC text (they sort as text), JSON values as text.
 */
import type { Database } from '../store/schema.js';

export interface AgentsTable {
  id: string;
  host: string;
  /** Lower-cased host: re-registering the same host repairs its agent instead of adding one. */
  host_key: string;
  version: string;
  /** JSON array of lower-cased DNS names of the AD domains the agent serves. */
  domains: string;
  /** The agent's public JWK as JSON (never a private member). */
  public_jwk: string;
  /** The OAuth client of the current key generation (see auth/agent-clients.ts). */
  client_id: string;
  key_generation: number;
  registered_at: string;
  /** Who registered (or last repaired) the agent: a user or app id. */
  registered_by: string;
  last_contact_at: string | null;
  run_status: string | null;
  /** JSON of the heartbeat's `currentCycle`, or null. */
  current_cycle: string | null;
  /** JSON of the heartbeat's `lastError` (an error body, no secrets), or null. */
  last_error: string | null;
}

/** Who runs a configuration's cycle: one row per configuration, taken over once `expires_at` passed. */
export interface CycleLeasesTable {
  configuration_id: string;
  agent_id: string;
  cycle_id: string;
  kind: string;
  acquired_at: string;
  expires_at: string;
}

export type JobState = 'queued' | 'claimed' | 'succeeded' | 'failed' | 'expired' | 'cancelled';

/** A job for one agent (`agent_id`) or for any agent of a domain (`domain_key`). */
export interface AgentJobsTable {
  id: string;
  kind: string;
  agent_id: string | null;
  domain_key: string | null;
  configuration_id: string | null;
  /** JSON; secrets inside are JWE-encrypted to the agent's key, never in clear. */
  payload: string;
  state: JobState;
  attempts: number;
  claimed_by: string | null;
  /** While claimed: when the claim lapses and another poll may take the job again. */
  claim_until: string | null;
  expires_at: string;
  /** JSON of the agent's answer once done. */
  result: string | null;
  created_at: string;
  completed_at: string | null;
}

export type AgentsTables = {
  agents: AgentsTable;
  cycle_leases: CycleLeasesTable;
  agent_jobs: AgentJobsTable;
};

/** The store as agents see it: the directory's tables and their own. */
export type AgentsDatabase = Database & AgentsTables;
