import type { UsersTable } from '../../store/schema.js';
import { isSet } from '../../store/schema.js';

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

/** A user as the directory hands it out: Graph's names, no secret. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string | null;
  accountEnabled: boolean;
  usageLocation: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  companyName: string | null;
  employeeId: string | null;
  /** `true` for synced users, `null` for cloud-only ones (as Graph reports it). */
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesDistinguishedName: string | null;
  onPremisesDomainName: string | null;
  onPremisesSecurityIdentifier: string | null;
  onPremisesUserPrincipalName: string | null;
  onPremisesLastSyncDateTime: string | null;
  assignedLicenses: AssignedLicense[];
  createdDateTime: string;
  deletedDateTime: string | null;
}

/** Profile attributes an admin may set, with their columns. */
export const USER_PROFILE_COLUMNS = {
  displayName: 'display_name',
  givenName: 'given_name',
  surname: 'surname',
  mail: 'mail',
  mailNickname: 'mail_nickname',
  accountEnabled: 'account_enabled',
  usageLocation: 'usage_location',
  jobTitle: 'job_title',
  department: 'department',
  officeLocation: 'office_location',
  mobilePhone: 'mobile_phone',
  companyName: 'company_name',
  employeeId: 'employee_id',
} as const satisfies Record<string, keyof UsersTable>;

/** Graph property → column, for `$filter`/`$orderby`/`$select` on users. */
export const USER_COLUMNS = {
  id: 'id',
  userPrincipalName: 'user_principal_name',
  ...USER_PROFILE_COLUMNS,
  onPremisesSyncEnabled: 'on_premises_sync_enabled',
  onPremisesImmutableId: 'on_premises_immutable_id',
  onPremisesSamAccountName: 'on_premises_sam_account_name',
  createdDateTime: 'created_at',
} as const satisfies Record<string, keyof UsersTable>;

/**
 * Attributes mastered on premises: for a synced user only the sync ingest may change them.
 * Cloud-mastered ones (usageLocation, licences) stay editable by admins.
 */
export const SYNC_MASTERED_USER_PROPERTIES: ReadonlySet<string> = new Set([
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'accountEnabled',
  'jobTitle',
  'department',
  'officeLocation',
  'mobilePhone',
  'companyName',
  'employeeId',
  'passwordProfile',
]);

export function toDirectoryUser(row: UsersTable, licenses: AssignedLicense[]): DirectoryUser {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    accountEnabled: isSet(row.account_enabled),
    usageLocation: row.usage_location,
    jobTitle: row.job_title,
    department: row.department,
    officeLocation: row.office_location,
    mobilePhone: row.mobile_phone,
    companyName: row.company_name,
    employeeId: row.employee_id,
    onPremisesSyncEnabled: isSet(row.on_premises_sync_enabled) ? true : null,
    onPremisesImmutableId: row.on_premises_immutable_id,
    onPremisesSamAccountName: row.on_premises_sam_account_name,
    onPremisesDistinguishedName: row.on_premises_distinguished_name,
    onPremisesDomainName: row.on_premises_domain_name,
    onPremisesSecurityIdentifier: row.on_premises_security_identifier,
    onPremisesUserPrincipalName: row.on_premises_user_principal_name,
    onPremisesLastSyncDateTime: row.on_premises_last_sync_at,
    assignedLicenses: licenses,
    createdDateTime: row.created_at,
    deletedDateTime: row.deleted_at,
  };
}
