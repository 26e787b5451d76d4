import { definePropertyMap, type ScalarProperty } from './odata/index.js';

const ci = (column: string, sortable = false): ScalarProperty => ({
  column,
  type: 'string',
  filterable: true,
  sortable,
  caseInsensitive: true,
});
const exact = (column: string): ScalarProperty => ({ column, type: 'string', filterable: true });
const flag = (column: string): ScalarProperty => ({ column, type: 'bool', filterable: true });
const when = (column: string): ScalarProperty => ({
  column,
  type: 'datetime',
  filterable: true,
  sortable: true,
});

/** What `$filter`/`$orderby`/`$select` may use on users (and deleted users). */
export const USER_PROPERTIES = definePropertyMap({
  resource: 'user',
  key: 'users.id',
  properties: {
    id: { column: 'users.id', type: 'guid', filterable: true },
    userPrincipalName: ci('users.user_principal_name', true),
    displayName: ci('users.display_name', true),
    givenName: ci('users.given_name', true),
    surname: ci('users.surname', true),
    mail: ci('users.mail', true),
    mailNickname: ci('users.mail_nickname'),
    accountEnabled: flag('users.account_enabled'),
    usageLocation: exact('users.usage_location'),
    jobTitle: ci('users.job_title'),
    department: ci('users.department'),
    officeLocation: ci('users.office_location'),
    mobilePhone: exact('users.mobile_phone'),
    companyName: ci('users.company_name'),
    employeeId: exact('users.employee_id'),
    onPremisesSyncEnabled: flag('users.on_premises_sync_enabled'),
    onPremisesImmutableId: exact('users.on_premises_immutable_id'),
    onPremisesSamAccountName: ci('users.on_premises_sam_account_name'),
    onPremisesDistinguishedName: exact('users.on_premises_distinguished_name'),
    onPremisesDomainName: ci('users.on_premises_domain_name'),
    onPremisesSecurityIdentifier: exact('users.on_premises_security_identifier'),
    onPremisesUserPrincipalName: ci('users.on_premises_user_principal_name'),
    onPremisesLastSyncDateTime: when('users.on_premises_last_sync_at'),
    createdDateTime: when('users.created_at'),
    deletedDateTime: when('users.deleted_at'),
    assignedLicenses: {
      type: 'collection',
      table: 'license_assignments',
      foreignKey: 'user_id',
      filterable: true,
      properties: { skuId: { column: 'sku_id', type: 'guid', filterable: true } },
    },
  },
});

export const GROUP_PROPERTIES = definePropertyMap({
  resource: 'group',
  key: 'groups.id',
  properties: {
    id: { column: 'groups.id', type: 'guid', filterable: true },
    displayName: ci('groups.display_name', true),
    description: ci('groups.description'),
    mailNickname: ci('groups.mail_nickname'),
    mail: ci('groups.mail', true),
    mailEnabled: flag('groups.mail_enabled'),
    securityEnabled: flag('groups.security_enabled'),
    groupTypes: { column: 'groups.group_types', type: 'string' },
    onPremisesSyncEnabled: flag('groups.on_premises_sync_enabled'),
    onPremisesImmutableId: exact('groups.on_premises_immutable_id'),
    onPremisesSamAccountName: ci('groups.on_premises_sam_account_name'),
    onPremisesDomainName: ci('groups.on_premises_domain_name'),
    onPremisesSecurityIdentifier: exact('groups.on_premises_security_identifier'),
    onPremisesLastSyncDateTime: when('groups.on_premises_last_sync_at'),
    createdDateTime: when('groups.created_at'),
  },
});

export const CONTACT_PROPERTIES = definePropertyMap({
  resource: 'orgContact',
  key: 'contacts.id',
  properties: {
    id: { column: 'contacts.id', type: 'guid', filterable: true },
    displayName: ci('contacts.display_name', true),
    givenName: ci('contacts.given_name', true),
    surname: ci('contacts.surname', true),
    mail: ci('contacts.mail', true),
    mailNickname: ci('contacts.mail_nickname'),
    companyName: ci('contacts.company_name'),
    jobTitle: ci('contacts.job_title'),
    department: ci('contacts.department'),
    onPremisesSyncEnabled: flag('contacts.on_premises_sync_enabled'),
    onPremisesLastSyncDateTime: when('contacts.on_premises_last_sync_at'),
    createdDateTime: when('contacts.created_at'),
  },
});

/** Direct members of a group (users, groups, contacts), as the members query names them. */
export const MEMBER_PROPERTIES = definePropertyMap({
  resource: 'directoryObject',
  key: 'm.id',
  properties: {
    id: { column: 'm.id', type: 'guid', filterable: true },
    displayName: ci('m.display_name', true),
    userPrincipalName: ci('m.user_principal_name', true),
    mail: ci('m.mail', true),
  },
});
