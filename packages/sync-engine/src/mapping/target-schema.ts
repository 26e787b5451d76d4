import type { ObjectType } from '@cloudsync/protocol';

/** The value kind of a target (Graph) attribute. Attributes not listed are inferred from their value. */
export type TargetType = 'string' | 'boolean' | 'string[]';

const common: Readonly<Record<string, TargetType>> = {
  displayName: 'string',
  mail: 'string',
  mailNickname: 'string',
  proxyAddresses: 'string[]',
  onPremisesDistinguishedName: 'string',
  onPremisesDomainName: 'string',
  onPremisesNetBiosName: 'string',
  onPremisesSamAccountName: 'string',
  onPremisesSecurityIdentifier: 'string',
};

const person: Readonly<Record<string, TargetType>> = {
  givenName: 'string',
  surname: 'string',
  jobTitle: 'string',
  department: 'string',
  companyName: 'string',
  businessPhones: 'string[]',
  mobilePhone: 'string',
  faxNumber: 'string',
  officeLocation: 'string',
  streetAddress: 'string',
  city: 'string',
  state: 'string',
  postalCode: 'string',
  country: 'string',
};

/**
 * Target attributes cloudsync knows, by object type (Microsoft Graph v1.0 names). The cloud's directory
 * stores these; the admin center offers them as mapping targets.
 */
export const TARGET_SCHEMA: Readonly<Record<ObjectType, Readonly<Record<string, TargetType>>>> = {
  user: {
    ...common,
    ...person,
    accountEnabled: 'boolean',
    userPrincipalName: 'string',
    employeeId: 'string',
    employeeType: 'string',
    otherMails: 'string[]',
    usageLocation: 'string',
    preferredLanguage: 'string',
    userType: 'string',
    onPremisesUserPrincipalName: 'string',
    onPremisesImmutableId: 'string',
  },
  group: {
    ...common,
    description: 'string',
    securityEnabled: 'boolean',
    mailEnabled: 'boolean',
  },
  contact: {
    ...common,
    ...person,
  },
};

/** The type of a target attribute, matched case-insensitively; undefined when cloudsync does not know it. */
export function targetTypeOf(objectType: ObjectType, target: string): TargetType | undefined {
  const schema = TARGET_SCHEMA[objectType];
  const exact = schema[target];
  if (exact) return exact;
  const lower = target.toLowerCase();
  for (const [name, type] of Object.entries(schema)) if (name.toLowerCase() === lower) return type;
  return undefined;
}
