/**
 * The on-premises columns of a user or group created in the cloud: not synced, no anchor, no AD
 * identity (users add their own `on_premises_user_principal_name`).
 */
export const CLOUD_ONLY_COLUMNS = {
  on_premises_sync_enabled: 0,
  on_premises_immutable_id: null,
  on_premises_sam_account_name: null,
  on_premises_distinguished_name: null,
  on_premises_domain_name: null,
  on_premises_security_identifier: null,
  on_premises_last_sync_at: null,
} as const;
