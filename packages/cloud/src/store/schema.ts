/**
 * Row types of every table the directory owns. Booleans are stored as integers (0/1) and timestamps as
 * ISO-8601 UTC text so the same SQL runs on SQLite and PostgreSQL; JSON values are stored as text.
 * Migrations owned by other capabilities extend `Database` with their own tables.
 */

/**
 * A boolean column: `boolean` in PostgreSQL (read back as true/false), 0/1 in SQLite. Write 0 or 1
 * (better-sqlite3 cannot bind booleans, PostgreSQL accepts '1'/'0'); read it with {@link isSet}.
 */
export type Flag = 0 | 1 | boolean;

/** Reads a {@link Flag} column the same on both backends. */
export function isSet(flag: Flag | number): boolean {
  return flag === true || flag === 1;
}

export interface TenantTable {
  id: string;
  display_name: string;
  initial_domain: string;
  created_at: string;
}

/** Attributes shared by every object that can come from on premises. */
export interface OnPremisesColumns {
  on_premises_sync_enabled: Flag;
  on_premises_immutable_id: string | null;
  on_premises_sam_account_name: string | null;
  on_premises_distinguished_name: string | null;
  on_premises_domain_name: string | null;
  on_premises_security_identifier: string | null;
  on_premises_last_sync_at: string | null;
}

export interface UsersTable extends OnPremisesColumns {
  id: string;
  user_principal_name: string;
  /** Lower-cased UPN: the unique key, so UPNs are unique case-insensitively on both backends. */
  upn_key: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  mail_nickname: string | null;
  account_enabled: Flag;
  usage_location: string | null;
  job_title: string | null;
  department: string | null;
  office_location: string | null;
  mobile_phone: string | null;
  company_name: string | null;
  employee_id: string | null;
  on_premises_user_principal_name: string | null;
  /** Self-describing password hash (`$scrypt$...` or `$pbkdf2-sha256-nt$...`); never leaves the store layer. */
  password_hash: string | null;
  password_changed_at: string | null;
  created_at: string;
  /** Set when soft-deleted; purged 30 days later. */
  deleted_at: string | null;
}

export interface GroupsTable extends OnPremisesColumns {
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  mail: string | null;
  mail_enabled: Flag;
  security_enabled: Flag;
  /** JSON array of strings, e.g. `["Unified"]`. */
  group_types: string;
  created_at: string;
}

export type MemberType = 'user' | 'group' | 'contact';

export interface GroupMembersTable {
  group_id: string;
  member_id: string;
  member_type: MemberType;
  created_at: string;
}

export interface ContactsTable {
  id: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  mail_nickname: string | null;
  company_name: string | null;
  job_title: string | null;
  department: string | null;
  on_premises_sync_enabled: Flag;
  on_premises_immutable_id: string | null;
  on_premises_last_sync_at: string | null;
  created_at: string;
}

export interface DomainsTable {
  /** The lower-cased DNS name: Graph uses the name as the domain's id. */
  id: string;
  is_verified: Flag;
  is_default: Flag;
  is_initial: Flag;
  authentication_type: string;
  verification_token: string;
  created_at: string;
  verified_at: string | null;
}

export interface SubscribedSkusTable {
  id: string;
  sku_id: string;
  sku_part_number: string;
  display_name: string;
  applies_to: string;
  capability_status: string;
  enabled_units: number;
  /** Maintained in the same transaction as assignments; the seat guard is `consumed_units < enabled_units`. */
  consumed_units: number;
  /** JSON array of `{ servicePlanId, servicePlanName, provisioningStatus, appliesTo }`. */
  service_plans: string;
  created_at: string;
}

export interface LicenseAssignmentsTable {
  user_id: string;
  sku_id: string;
  /** JSON array of service plan ids. */
  disabled_plans: string;
  assigned_at: string;
}

export interface DirectoryRoleAssignmentsTable {
  id: string;
  principal_id: string;
  role_name: string;
  created_at: string;
}

export interface DirectoryAuditsTable {
  id: string;
  activity_date_time: string;
  category: string;
  activity_display_name: string;
  operation_type: string;
  result: 'success' | 'failure';
  result_reason: string;
  initiated_by_kind: string;
  initiated_by_id: string;
  initiated_by_name: string | null;
  target_id: string | null;
  target_type: string | null;
  target_name: string | null;
  /** JSON array of `{ displayName, oldValue, newValue }` (values JSON-encoded, secrets never). */
  modified_properties: string;
}

/** The tables of the directory core. */
export interface Database {
  tenant: TenantTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  contacts: ContactsTable;
  domains: DomainsTable;
  subscribed_skus: SubscribedSkusTable;
  license_assignments: LicenseAssignmentsTable;
  directory_role_assignments: DirectoryRoleAssignmentsTable;
  directory_audits: DirectoryAuditsTable;
}
