/**
 * Row types of the tables self-service password reset and smart lockout own (migrations
 * `0005-password-reset`, `0007-password-reset-limits`). Flags are 0/1, timestamps ISO-8601 UTC text, JSON as text.
 */
import type { AgentsTables } from '../agents/schema.js';
import type { Database, Flag } from '../store/schema.js';
import type { SyncConfigTables } from '../sync-config/schema.js';

/** Smart lockout state of one user (a row exists once the user typed a wrong password). */
export interface SignInLockoutsTable {
  user_id: string;
  /** Wrong passwords since the last success or the last lockout. */
  failed_count: number;
  /** Lockouts so far: each one lasts twice as long as the one before. */
  lockout_count: number;
  locked_until: string | null;
  last_failure_at: string | null;
}

/** The tenant's self-service password reset policy: one row, id `default`. */
export interface PasswordResetPolicyTable {
  id: string;
  enabled_for: 'none' | 'all' | 'group';
  group_id: string | null;
  /** JSON array of `email` | `authenticatorApp`. */
  methods: string;
  registration_required: Flag;
  unlock_on_reset: Flag;
  keep_must_change: Flag;
  updated_at: string;
}

/** A verified reset method: an e-mail address, or a TOTP secret (base32) for an authenticator app. */
export interface AuthMethodsTable {
  user_id: string;
  kind: 'email' | 'authenticatorApp';
  value: string;
  created_at: string;
  /** The TOTP time step last accepted from this authenticator (a step is accepted once). */
  last_totp_step?: number | null;
}

/** A reset, change or registration in progress; `id` is the SHA-256 of the token the browser holds. */
export interface PasswordResetFlowsTable {
  id: string;
  user_id: string;
  purpose: 'reset' | 'register';
  method: string | null;
  /** `$sha256$<hex>` of the one-time code, salted with the flow id; never the code. */
  code_hash: string | null;
  code_expires_at: string | null;
  /** Codes tried in this flow, whatever the method: re-choosing the method does not reset it. */
  code_attempts: number;
  /** Code challenges (e-mails sent, authenticator asked) started in this flow. */
  challenge_count: number;
  /** During registration: the address or TOTP secret being verified. */
  pending_value: string | null;
  verified_at: string | null;
  expires_at: string;
  created_at: string;
}

/** A fixed-window counter shared by every cloud process (code e-mails, wrong codes a day). */
export interface PasswordResetCountersTable {
  key: string;
  window_start: string;
  count: number;
}

/**
 * A writeback the user was told has an unknown outcome (the agent had the job but had not
 * answered): the password hash the cloud keeps once AD's late answer says it accepted.
 */
export interface PasswordResetPendingTable {
  job_id: string;
  user_id: string;
  kind: string;
  /** What password hash sync would send: the hash of the NT hash, never the password. */
  password_hash: string;
  created_at: string;
}

export type PasswordResetTables = {
  sign_in_lockouts: SignInLockoutsTable;
  password_reset_policy: PasswordResetPolicyTable;
  auth_methods: AuthMethodsTable;
  password_reset_flows: PasswordResetFlowsTable;
  password_reset_counters: PasswordResetCountersTable;
  password_reset_pending: PasswordResetPendingTable;
};

/** The directory plus what reset reads of agents and sync configurations. */
export type PasswordResetDatabase = Database & PasswordResetExtraTables;

/** What `db.withTables` adds to the directory's database for reset and lockout. */
export type PasswordResetExtraTables = PasswordResetTables & SyncConfigTables & AgentsTables;
