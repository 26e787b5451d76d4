import type { AttributeMapping, AttributeMappings } from '@cloudsync/protocol';

const attr = (target: string, name: string): AttributeMapping => ({
  target,
  source: { kind: 'attribute', name },
  applyWhen: 'always',
});

const expr = (target: string, expression: string): AttributeMapping => ({
  target,
  source: { kind: 'expression', expression },
  applyWhen: 'always',
});

/** Person attributes users and contacts share (AD name → Graph name). */
const personMappings: readonly AttributeMapping[] = [
  expr('displayName', 'Coalesce([displayName], [cn])'),
  attr('givenName', 'givenName'),
  attr('surname', 'sn'),
  attr('mail', 'mail'),
  attr('jobTitle', 'title'),
  attr('department', 'department'),
  attr('companyName', 'company'),
  attr('businessPhones', 'telephoneNumber'),
  attr('mobilePhone', 'mobile'),
  attr('faxNumber', 'facsimileTelephoneNumber'),
  attr('officeLocation', 'physicalDeliveryOfficeName'),
  attr('streetAddress', 'streetAddress'),
  attr('city', 'l'),
  attr('state', 'st'),
  attr('postalCode', 'postalCode'),
  attr('country', 'co'),
  attr('proxyAddresses', 'proxyAddresses'),
];

/** The on-premises identity attributes every synced object carries. */
const onPremisesMappings: readonly AttributeMapping[] = [
  attr('onPremisesDistinguishedName', 'distinguishedName'),
  attr('onPremisesDomainName', 'domainFQDN'),
  attr('onPremisesNetBiosName', 'domainNetBios'),
];

/**
 * The default attribute mappings of a new configuration, after Microsoft Entra Cloud Sync's defaults
 * for users, groups and contacts. `domainFQDN`, `domainNetBios` and `sourceAnchor` are synthesized by
 * the agent (see `withSynthesizedAttributes`).
 */
export const DEFAULT_MAPPINGS: Readonly<AttributeMappings> = Object.freeze({
  user: [
    expr('accountEnabled', 'IIF(BitAnd([userAccountControl], 2) = 2, False, True)'),
    ...personMappings,
    expr('mailNickname', 'Coalesce([mailNickname], [sAMAccountName])'),
    expr('userPrincipalName', 'Coalesce([userPrincipalName], Join("@", [sAMAccountName], [domainFQDN]))'),
    attr('employeeId', 'employeeID'),
    attr('employeeType', 'employeeType'),
    attr('preferredLanguage', 'preferredLanguage'),
    attr('onPremisesSamAccountName', 'sAMAccountName'),
    attr('onPremisesUserPrincipalName', 'userPrincipalName'),
    expr('onPremisesSecurityIdentifier', 'ConvertSidToString([objectSid])'),
    attr('onPremisesImmutableId', 'sourceAnchor'),
    ...onPremisesMappings,
  ],
  group: [
    expr('displayName', 'Coalesce([displayName], [cn], [sAMAccountName])'),
    attr('description', 'description'),
    attr('mail', 'mail'),
    expr('mailNickname', 'Coalesce([mailNickname], [sAMAccountName], [cn])'),
    // groupType's top bit (0x80000000, negative in LDAP) marks a security group.
    expr('securityEnabled', 'IIF(BitAnd([groupType], -2147483648) = 0, False, True)'),
    expr('mailEnabled', 'IsPresent([mail])'),
    attr('proxyAddresses', 'proxyAddresses'),
    attr('onPremisesSamAccountName', 'sAMAccountName'),
    expr('onPremisesSecurityIdentifier', 'ConvertSidToString([objectSid])'),
    ...onPremisesMappings,
  ],
  contact: [...personMappings, expr('mailNickname', 'Coalesce([mailNickname], [cn])'), ...onPremisesMappings],
});
